"""Assignments the grader knows: probe files, trusted notebook cells, and submissions' answers.

An assignment ``NN_topic`` is gradable when these exist:

- ``autograder/questions/NN_topic.py`` — the probe specification (see :mod:`.spec`);
- ``notebooks/NN_topic.ipynb`` — the generated student notebook: its code cells before the first
  answer cell are the trusted set-up, and its answer cells (tag ``otter_answer_cell``, each
  belonging to the question of the next ``grader.check("...")`` cell) say which cell ids to take
  from a submission;
- ``autograder/samples/NN_topic/reference.ipynb`` — the reference answers.

Submissions are read here, as bytes, by trusted code: JSON, nbformat 4, cells matched by id.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from autograder.grader import magics

ROOT = Path(__file__).resolve().parents[2]
GRADER_DIR = Path(__file__).resolve().parent
ANSWER_TAG = "otter_answer_cell"
CHECK = re.compile(r'grader\.check\(\s*["\']([^"\']+)["\']\s*\)')
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024


class NotGradable(Exception):
    """A submission that cannot be graded at all (its row is ``invalid``)."""


@dataclass
class Assignment:
    name: str
    probe_path: Path
    student_path: Path
    reference_path: Path
    questions: list
    setup_sources: list[str]
    answer_cells: list[tuple[str, str | None]]  # (cell id, question) in notebook order
    setup_mode: str = "lazy"
    notebook_timeout: float = 900.0
    _fingerprint: str = field(default="", repr=False)

    @property
    def possible(self) -> float:
        return sum(q.points for q in self.questions)

    def question(self, name: str):
        return next(q for q in self.questions if q.name == name)

    def cells_of(self, question: str) -> list[str]:
        return [cid for cid, q in self.answer_cells if q == question]

    def fingerprint(self) -> str:
        """Hash of everything the expected results depend on (cache key of the reference)."""
        if not self._fingerprint:
            h = hashlib.sha256()
            # The whole grader, not only the harness: which cells run is decided here too.
            for path in (self.probe_path, self.student_path, self.reference_path,
                         *sorted(GRADER_DIR.glob("*.py"))):
                h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
            self._fingerprint = h.hexdigest()
        return self._fingerprint


def _cells(nb: dict) -> list[dict]:
    return nb.get("cells", [])


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _tags(cell: dict) -> list:
    meta = cell.get("metadata")
    tags = meta.get("tags", []) if isinstance(meta, dict) else []
    return tags if isinstance(tags, list) else []


def answer_layout(nb: dict) -> list[tuple[str, str | None]]:
    """``[(cell id, question)]`` of a trusted notebook's answer cells (question: the next check)."""
    layout, waiting = [], []
    for cell in _cells(nb):
        if cell.get("cell_type") != "code":
            continue
        if ANSWER_TAG in _tags(cell):
            waiting.append(cell.get("id"))
            continue
        m = CHECK.search(_source(cell))
        if m:
            layout += [(cid, m.group(1)) for cid in waiting]
            waiting = []
    return layout + [(cid, None) for cid in waiting]


def setup_sources(nb: dict) -> list[str]:
    """Code cells before the first answer cell (the trusted set-up), without the illustrations.

    Cells tagged ``otter_ignore`` are measurements and plots for the student; otter skips them
    when grading, and so does the grader (they would only cost time and clutter the feedback).
    """
    out = []
    for cell in _cells(nb):
        if ANSWER_TAG in _tags(cell):
            break
        if cell.get("cell_type") == "code" and "otter_ignore" not in _tags(cell):
            out.append(_source(cell))
    return out


def load_probe(path: Path):
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location(f"_distml_probe_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load(name: str, root: Path = ROOT) -> Assignment:
    """The assignment ``name`` (raises FileNotFoundError or ValueError when incomplete)."""
    probe_path = root / "autograder" / "questions" / f"{name}.py"
    student_path = root / "notebooks" / f"{name}.ipynb"
    reference_path = root / "autograder" / "samples" / name / "reference.ipynb"
    for path in (probe_path, student_path, reference_path):
        if not path.is_file():
            raise FileNotFoundError(f"{name}: {path.relative_to(root)} is missing")
    probe = load_probe(probe_path)
    student = json.loads(student_path.read_text())
    layout = answer_layout(student)
    questions = list(probe.QUESTIONS)
    known = {q for _, q in layout}
    for q in questions:
        if q.name not in known:
            raise ValueError(f"{probe_path.name}: question {q.name!r} has no answer cell in "
                             f"{student_path.relative_to(root)}")
        for s in q.standins:
            if s not in known:
                raise ValueError(f"{probe_path.name}: stand-in {s!r} of {q.name} is not a question")
    return Assignment(name=name, probe_path=probe_path, student_path=student_path,
                      reference_path=reference_path, questions=questions,
                      setup_sources=setup_sources(student), answer_cells=layout,
                      setup_mode=getattr(probe, "SETUP", "lazy"),
                      notebook_timeout=float(getattr(probe, "NOTEBOOK_TIMEOUT", 900)))


def available(root: Path = ROOT) -> tuple[dict[str, Assignment], list[str]]:
    """Every gradable assignment, and a note for each probe that cannot be used yet."""
    found, notes = {}, []
    for probe in sorted((root / "autograder" / "questions").glob("[0-9][0-9]_*.py")):
        try:
            found[probe.stem] = load(probe.stem, root)
        except (FileNotFoundError, ValueError) as err:
            notes.append(str(err))
    return found, notes


# --- submissions -------------------------------------------------------------------------------
@dataclass
class Submission:
    assignment: Assignment
    answers: dict[str, str]          # key -> plain Python source, for the answer cells found
    missing: dict[str, list[str]]    # question -> its answer-cell ids not found
    notes: list[str]
    # (key, question) in the order the cells run: a key is an answer-cell id, or ``ID~N`` for
    # the N-th cell standing for answer cell ID (a pasted copy)
    order: list = field(default_factory=list)
    # questions every answer cell of which is as handed out: 0 points without running anything
    unanswered: list = field(default_factory=list)


def parse_notebook(data: bytes) -> dict:
    """The notebook JSON of a submission's bytes (raises NotGradable with the reason)."""
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise NotGradable(f"file is {len(data):,} bytes, more than the {MAX_NOTEBOOK_BYTES:,} "
                          "a notebook may have")
    if not data.strip():
        raise NotGradable("empty file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotGradable("not a notebook: not UTF-8 text") from None
    try:
        nb = json.loads(text)
    except RecursionError:
        raise NotGradable("not a notebook: JSON nested too deeply") from None
    except json.JSONDecodeError as err:
        # The decoder ran out of text (inside a string, or where more was expected); a file cut
        # inside a cell's source can still end with "}" (LaTeX, f-strings), so that is not enough.
        ended = (err.msg.startswith("Unterminated string") or err.pos >= len(text.rstrip())
                 or not text.rstrip().endswith("}"))
        cut = "; the file ends early: truncated?" if ended else ""
        what = err.msg.removesuffix(" at")  # "Unterminated string starting at" + " at line"
        raise NotGradable(f"not valid JSON ({what} at line {err.lineno} column {err.colno}{cut})"
                          ) from None
    if not isinstance(nb, dict) or "cells" not in nb and "worksheets" not in nb:
        raise NotGradable("not a notebook: JSON without cells")
    version = nb.get("nbformat")
    if version != 4:
        raise NotGradable(f"nbformat {version!r}: only nbformat 4 notebooks (Jupyter 4 and later) "
                          "can be graded; open it in JupyterLab and save it again")
    if not isinstance(nb.get("cells"), list):
        raise NotGradable("not a notebook: 'cells' is not a list")
    for i, cell in enumerate(nb["cells"]):
        if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
            raise NotGradable(f"cell {i} is malformed")
        src = cell.get("source", "")
        if not (isinstance(src, str) or (isinstance(src, list)
                                         and all(isinstance(s, str) for s in src))):
            raise NotGradable(f"cell {i} has a malformed source")
    return nb


def identify(nb: dict, path: str, assignments: dict[str, Assignment],
             forced: str | None = None) -> Assignment:
    """Which assignment a notebook belongs to: ``forced``, else its otter metadata, else its
    ``otter.Notebook("NN_topic.ipynb")`` cell, else its answer-cell ids, else its file name."""
    if forced:
        return assignments[forced]
    meta = nb.get("metadata") if isinstance(nb.get("metadata"), dict) else {}
    otter = meta.get("otter") if isinstance(meta.get("otter"), dict) else {}
    name = otter.get("assignment_name")
    if isinstance(name, str) and name in assignments:
        return assignments[name]
    for cell in _cells(nb):
        m = re.search(r'otter\.Notebook\(\s*["\'](\d\d_\w+)\.ipynb', _source(cell))
        if m and m.group(1) in assignments:
            return assignments[m.group(1)]
    ids = {c.get("id") for c in _cells(nb)}
    overlap = {n: len(ids & {cid for cid, _ in a.answer_cells}) for n, a in assignments.items()}
    best = max(overlap, key=overlap.get, default=None)
    if best and overlap[best]:
        return assignments[best]
    guess = guess_from_name(path, assignments)
    if guess:
        return guess
    raise NotGradable("cannot tell which assignment this notebook is (no otter metadata, no "
                      "known answer cells, no assignment name in the file name)")


def guess_from_name(path: str, assignments: dict[str, Assignment]) -> Assignment | None:
    """The assignment named in a submission's path (``01_closed_form/alice.ipynb``,
    ``alice-01_closed_form.ipynb``), if exactly one is."""
    found = [a for name, a in assignments.items() if name in path]
    return found[0] if len(found) == 1 else None


COPY = "~"  # the key of a pasted copy of answer cell ID, run after it: ``ID~2``, ``ID~3``...


def base_id(key: str) -> str:
    """The answer-cell id a key of :attr:`Submission.order` stands for (``01-013~2``:
    ``01-013``)."""
    return key.split(COPY, 1)[0]


def _defines(source: str) -> set[str]:
    """Top-level function names a cell defines (for a tagged cell no check cell follows)."""
    try:
        tree = ast.parse(magics.to_python(source))
    except (SyntaxError, ValueError, RecursionError):
        return set()
    return {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}


def read_submission(nb: dict, assignment: Assignment) -> Submission:
    """The answer cells of a parsed notebook, in the notebook's order, as plain Python.

    What a fresh kernel would have defined after the notebook's cells is what is graded: every
    answer cell runs, in the submission's order, so a pasted copy of an answer cell that comes
    later (the last definition of the function) wins, as it would in Jupyter. A cell is an
    answer cell when its id is one of the trusted layout's, or when it carries the answer tag
    (copies keep the tag; nbformat 4.0-4.4 cells have no ids): then it is the answer cell of
    the question whose ``grader.check`` follows it in the submission, else of the question whose
    function it defines, else of the tagged cell at its position when the count matches. Cells
    without the tag and with another id (scratch cells) are not run. Magics become plain Python
    (:mod:`.magics`), CRLF and byte-order marks are normalised.
    """
    wanted = [cid for cid, _ in assignment.answer_cells]
    question_of = dict(assignment.answer_cells)
    id_of = {q: cid for cid, q in assignment.answer_cells if q}
    code_cells = [c for c in _cells(nb) if c.get("cell_type") == "code"]
    # the question of each grader.check cell, and what a tagged cell without a known id is
    checks_after: list[str | None] = [None] * len(code_cells)
    upcoming = None
    for i in range(len(code_cells) - 1, -1, -1):
        checks_after[i] = upcoming
        m = CHECK.search(_source(code_cells[i]))
        if m and ANSWER_TAG not in _tags(code_cells[i]):
            upcoming = m.group(1)
    tagged_positions = [i for i, c in enumerate(code_cells) if ANSWER_TAG in _tags(c)]
    by_position = (dict(zip(tagged_positions, wanted))
                   if len(tagged_positions) == len(wanted) else {})
    order: list[tuple[str, str | None]] = []
    answers: dict[str, str] = {}
    seen: dict[str, int] = {}
    unmatched = matched_by_tag = 0
    for i, c in enumerate(code_cells):
        cid = c.get("id")
        if isinstance(cid, str) and cid in question_of:
            target = cid
        elif ANSWER_TAG in _tags(c):
            q = checks_after[i]
            if q not in id_of:
                defined = [name for name in _defines(_source(c)) if name in id_of]
                q = defined[-1] if len(defined) == 1 else None
            target = id_of.get(q) if q else by_position.get(i)
            if target is None:
                unmatched += 1
                continue
            matched_by_tag += 1
        else:
            continue
        seen[target] = seen.get(target, 0) + 1
        key = target if seen[target] == 1 else f"{target}{COPY}{seen[target]}"
        order.append((key, question_of[target]))
        answers[key] = magics.to_python(_source(c))
    if not order:
        raise NotGradable(f"none of the {assignment.name} answer cells (ids "
                          f"{', '.join(wanted)}) is in the notebook: were they deleted, or the "
                          "work done in new cells? Answers must be in the answer cells")
    notes = []
    if matched_by_tag and not any(isinstance(c.get("id"), str) for c in _cells(nb)):
        notes.append("cells have no ids (old nbformat): answer cells matched by their tag and "
                     "the check cell after them")
    copies = sorted(t for t, n in seen.items() if n > 1)
    if copies:
        notes.append("answer cell " + ", ".join(f"{t} appears {seen[t]} times" for t in copies)
                     + " (pasted copies): all run in the notebook's order, the last definition "
                     "counts")
    if unmatched:
        notes.append(f"{unmatched} tagged cell{'s' if unmatched > 1 else ''} not matched to a "
                     "question: not run")
    missing: dict[str, list[str]] = {}
    for cid, q in assignment.answer_cells:
        if q and cid not in seen:
            missing.setdefault(q, []).append(cid)
    blank = blank_answers(assignment)
    unanswered = [] if not blank else [
        q.name for q in assignment.questions if q.name not in missing
        and all(answers[k].strip() == blank.get(base_id(k), "").strip()
                for k, kq in order if kq == q.name)]
    return Submission(assignment=assignment, answers=answers, missing=missing, notes=notes,
                      order=order, unanswered=unanswered)


_BLANK: dict[str, dict[str, str]] = {}


def blank_answers(assignment: Assignment) -> dict[str, str]:
    """Answer-cell id -> its source as handed out (the student notebook's), as plain Python."""
    key = str(assignment.student_path)
    if key not in _BLANK:
        try:
            nb = json.loads(assignment.student_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        wanted = {cid for cid, _ in assignment.answer_cells}
        _BLANK[key] = {c.get("id"): magics.to_python(_source(c)) for c in _cells(nb)
                       if c.get("cell_type") == "code" and c.get("id") in wanted}
    return _BLANK[key]


def reference_answers(assignment: Assignment) -> dict[str, str]:
    nb = json.loads(assignment.reference_path.read_text())
    return read_submission(nb, assignment).answers
