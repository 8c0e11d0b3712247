"""Generated files follow their masters, and student notebooks carry no solutions or outputs.

The masters themselves run end to end under nbval (``make test-notebooks``), and the student
notebooks' set-up cells in ``tests/test_student_setup.py``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.exercises import PLACEHOLDER, unfinished_reason

ROOT = Path(__file__).resolve().parents[1]
MASTERS = sorted((ROOT / "autograder" / "source").glob("[0-9][0-9]_*.ipynb"))
TOPICS = [m.stem for m in MASTERS]
LEAKS = re.compile(r"BEGIN SOLUTION|END SOLUTION|# SOLUTION|BEGIN TESTS|BEGIN QUESTION|hidden: true")


def test_every_topic_has_every_generated_file():
    assert TOPICS, "no master notebooks in autograder/source"
    for topic in TOPICS:
        for path in (ROOT / "notebooks" / f"{topic}.ipynb",
                     ROOT / "autograder" / "samples" / topic / "reference.ipynb",
                     ROOT / "autograder" / "dist" / topic / "autograder" / f"{topic}-autograder.zip",
                     ROOT / "autograder" / "corpus" / topic):
            assert path.exists(), f"{path.relative_to(ROOT)} missing: run 'make assign'"


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    """Every master rebuilt by tools/assign.py into a scratch root (one process for all)."""
    out = tmp_path_factory.mktemp("assign")
    subprocess.run([sys.executable, str(ROOT / "tools" / "assign.py"), *TOPICS, "--out", str(out)],
                   check=True, capture_output=True)
    return out


@pytest.mark.xdist_group("assign")  # one worker builds them all once
@pytest.mark.parametrize("topic", TOPICS)
def test_generated_files_are_up_to_date(topic, rebuilt):
    """Rebuilding a master gives exactly the committed files (run 'make assign')."""
    tmp_path = rebuilt
    built = sorted(p for p in tmp_path.rglob("*") if p.is_file()
                   and topic in str(p.relative_to(tmp_path)))
    names = {str(p.relative_to(tmp_path)) for p in built}
    assert {f"notebooks/{topic}.ipynb", f"autograder/samples/{topic}/reference.ipynb",
            f"autograder/dist/{topic}/autograder/{topic}-autograder.zip"} <= names, names
    stale = []
    for path in built:
        committed = ROOT / path.relative_to(tmp_path)
        if not committed.exists() or committed.read_bytes() != path.read_bytes():
            stale.append(str(committed.relative_to(ROOT)))
    assert not stale, f"out of date with its master (run 'make assign'): {stale}"


@pytest.mark.parametrize("topic", TOPICS)
def test_student_notebook_has_no_solutions_tests_or_outputs(topic):
    nb = json.loads((ROOT / "notebooks" / f"{topic}.ipynb").read_text())
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        assert not LEAKS.search(source), f"solution or test marker in a cell:\n{source}"
        assert cell["cell_type"] != "raw", f"otter raw cell left in:\n{source}"
        if cell["cell_type"] == "code":
            assert not cell["outputs"] and cell["execution_count"] is None, source
    public = json.dumps(nb["metadata"].get("otter", {}))
    assert '"hidden": true' not in public, "hidden tests in the student notebook's metadata"
    answers = [c for c in nb["cells"] if "otter_answer_cell" in c["metadata"].get("tags", [])]
    assert answers and all("..." in "".join(c["source"]) or PLACEHOLDER in "".join(c["source"])
                           for c in answers)


@pytest.mark.parametrize("topic", TOPICS)
def test_student_answer_cells_run_and_count_as_unfinished(topic):
    """A skeleton is valid Python, so running it does not stop "Run All"; and every function an
    answer cell defines counts as unfinished, so the cells that use it skip with a message."""
    nb = json.loads((ROOT / "notebooks" / f"{topic}.ipynb").read_text())
    answers = ["".join(c["source"]) for c in nb["cells"]
               if "otter_answer_cell" in c["metadata"].get("tags", [])]
    for source in answers:
        namespace = {}
        exec(compile(source, f"<{topic} answer cell>", "exec"), namespace)  # defines only
        functions = [v for k, v in namespace.items() if callable(v) and k != "__builtins__"]
        assert functions, f"no function defined by:\n{source}"
        for fn in functions:
            assert unfinished_reason(fn), f"{fn.__name__} counts as finished:\n{source}"

