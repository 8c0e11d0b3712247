"""Write each master's otter test cells from the question declarations (part of ``make assign``).

A master (``autograder/source/NN_topic.ipynb``) keeps its prose, its set-up and its solutions; its
test cells are generated: between each question's ``# BEGIN TESTS`` and ``# END TESTS`` there is
one short cell per test declared in ``autograder/questions/NN_topic.py``, calling
:func:`autograder.grader.incell.check`, and the question's ``points:`` list is the declaration's.
So a question is defined once, and otter (a student's ``grader.check``, ``otter run``, Gradescope)
and the sandboxed grader run the same tests with the same points and tolerances.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from autograder.grader.incell import declarations  # noqa: E402

HIDDEN = '""" # BEGIN TEST CONFIG\nhidden: true\n""" # END TEST CONFIG\n'
_NAME = re.compile(r"^name:\s*(\S+)\s*$", re.M)
_POINTS = re.compile(r"^points:.*$", re.M)


def cell_source(topic: str, question: str, test) -> str:
    """The otter test cell of one declared test."""
    call = f"check({topic!r}, {question!r}, {test.name!r})".replace("'", '"')
    return ("" if test.public else HIDDEN) + (
        "from autograder.grader.incell import check\n" + call)


def _points(test_points: list) -> str:
    return "[" + ", ".join(f"{p:g}" for p in test_points) + "]"


def sync(master: Path) -> nbformat.NotebookNode:
    """The master with every question's test cells and points written from its declaration."""
    topic = master.stem
    questions = {q.name: q for q in declarations(topic).QUESTIONS}
    nb = nbformat.read(master, as_version=4)
    cells, seen, i = [], [], 0
    current = None
    while i < len(nb.cells):
        cell = nb.cells[i]
        text = cell.source if cell.cell_type == "raw" else ""
        if text.startswith("# BEGIN QUESTION"):
            name = _NAME.search(text)
            if not name or name.group(1) not in questions:
                raise SystemExit(f"{master.name}: question {name and name.group(1)!r} is not "
                                 f"declared in autograder/questions/{topic}.py")
            current = questions[name.group(1)]
            seen.append(current.name)
            points = f"points: {_points([t.points for t in current.tests])}"
            cell.source = (_POINTS.sub(points, text) if _POINTS.search(text)
                           else text.rstrip("\n") + "\n" + points)
        cells.append(cell)
        i += 1
        if text.startswith("# BEGIN TESTS"):
            if current is None:
                raise SystemExit(f"{master.name}: # BEGIN TESTS outside a question")
            while i < len(nb.cells) and not (nb.cells[i].cell_type == "raw" and
                                              nb.cells[i].source.startswith("# END TESTS")):
                i += 1  # the old test cells: replaced below
            for k, test in enumerate(current.tests):
                new = nbformat.v4.new_code_cell(cell_source(topic, current.name, test))
                new.id = f"test-{current.name}-{k}"[:64]
                cells.append(new)
    missing = [q for q in questions if q not in seen]
    if missing:
        raise SystemExit(f"{master.name}: declared in autograder/questions/{topic}.py but with "
                         f"no # BEGIN QUESTION in the master: {missing}")
    nb.cells = cells
    return nb
