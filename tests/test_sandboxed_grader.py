"""The sandboxed instructor grader (``python -m autograder.grader``) on everything we can throw at it.

One grader run, ``--jobs 2``, grades a folder holding, per assignment with a probe file: the
reference submission (full marks), the blank student notebook (zero), the wrong/alternative
submissions of ``autograder/corpus/`` that ``corpus.sandbox_cases`` picks for what crosses the
process boundary (every correct alternative, every communication mistake, a wrong value of every
question; the scores their ``FAILS`` imply, as otter gives them), cases that answer different
questions sharing a notebook (``corpus.sandbox_groups``), and
every hostile or broken submission of ``autograder/hostile/`` (the row in its ``EXPECTED``,
``STATUS`` and ``REASON``). The tests then check each row, that the batch went on, that the
submissions are untouched, that no process survived, that a listener on the host's loopback was
never reached, and the feedback. Separate, cheaper runs check resuming after an interruption and
the loud fallback without a sandbox.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

from corpus import (ROOT, answer_cells, build_submission, group_expected, read_case,
                    sandbox_groups)

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# One worker: the batch below runs once.
pytestmark = [pytest.mark.grading, pytest.mark.xdist_group("grader")]

PROBES = sorted(p.stem for p in (ROOT / "autograder" / "questions").glob("[0-9][0-9]_*.py"))
TOPICS = [t for t in PROBES if (ROOT / "notebooks" / f"{t}.ipynb").is_file()
          and (ROOT / "autograder" / "samples" / t / "reference.ipynb").is_file()]
# The corpus cases, packed into notebooks (corpus.sandbox_groups): its file, per case.
GROUPS = {t: sandbox_groups(t) for t in TOPICS}
CORPUS = [(t, case) for t in TOPICS for group in GROUPS[t] for case in group]
CORPUS_FILE = {(t, case): f"{t}/corpus-{'+'.join(group)}.ipynb"
               for t in TOPICS for group in GROUPS[t] for case in group}
HOSTILE = [(t, p.stem) for t in TOPICS
           for p in sorted((ROOT / "autograder" / "hostile" / t).glob("*.py"))]
# The runs below that need one full-marks notebook grade this topic's reference: it makes the
# fewest Spark calls (about 8 CPU-seconds here, against 22-32 for the others).
LIGHT = "03_communication" if "03_communication" in TOPICS else (TOPICS or [None])[0]
DAEMON_MARK = b"distml-hostile-daemon-7f3a"
HAS_BWRAP = shutil.which("bwrap") is not None


def _grader(args, timeout=2700, **kwargs):
    env = dict(os.environ, PYTHONHASHSEED="0")
    return subprocess.run([sys.executable, "-m", "autograder.grader", *map(str, args)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
                          **kwargs)


def read_hostile(path: Path) -> dict:
    """A hostile case: EXPECTED, STATUS, REASON (a regex), MUTATE, CELLS and its sections."""
    case = read_case(path)
    values, answers = case.values, case.answers
    answers.update(values.get("CELLS", {}))
    return {"expected": case.expected, "answers": answers, "status": values["STATUS"],
            "reason": values["REASON"], "mutate": values.get("MUTATE"),
            "status_without_cgroups": values.get("STATUS_WITHOUT_CGROUPS", values["STATUS"]),
            "reason_without_cgroups": values.get("REASON_WITHOUT_CGROUPS", values["REASON"])}


def mutate(reference: Path, how: str, dest: Path) -> None:
    """Write a broken (or oddly saved) variant of the reference submission to ``dest``.

    ``how`` is one operation, or several joined by ``+`` (applied in order) among the notebook
    edits (``drop``, ``drop_all``, ``blank``, ``rename``, ``magic:<q>:<line>``, ``paste:<q>``) and the ways
    to save (``nbformat44``, ``crlf_bom``)."""
    raw = reference.read_bytes()
    if how == "truncate":
        dest.write_bytes(raw[: len(raw) // 2])
    elif how == "png":
        dest.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    elif how == "empty":
        dest.write_bytes(b"")
    elif how == "json_list":
        dest.write_text("[1, 2, 3]")
    elif how == "nbformat3":
        nb = json.loads(raw)
        cells = [{"cell_type": c["cell_type"], "input": c["source"], "metadata": {}}
                 for c in nb["cells"]]
        dest.write_text(json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {},
                                    "worksheets": [{"cells": cells}]}))
    else:
        nb = nbformat.read(reference, as_version=4)
        save = []
        for step in how.split("+"):
            op, _, question = step.partition(":")
            if op in ("nbformat44", "crlf_bom"):
                save.append(op)
                continue
            where = answer_cells(nb)
            if op == "drop":
                del nb.cells[where[question]]
            elif op == "drop_all":
                nb.cells = [c for c in nb.cells
                            if "otter_answer_cell" not in c.metadata.get("tags", [])]
            elif op == "blank":  # the answer cell as handed out: that question needs no call
                nb.cells[where[question]].source = _blank_answer(reference, question)
            elif op == "rename":
                cell = nb.cells[where[question]]
                cell.id = "my-own-new-cell"
                cell.metadata["tags"] = []
            elif op == "magic":  # magic:<question>:<first line>, e.g. magic:f:%%time
                question, _, line = question.partition(":")
                cell = nb.cells[where[question]]
                cell.source = f"{line}\n{cell.source}"
            elif op == "paste":
                # the student pasted a copy below the answer cell (JupyterLab: new id, same
                # tags), finished the copy and left the original as it was handed out
                at = where[question]
                copy = nbformat.from_dict(json.loads(json.dumps(nb.cells[at])))
                copy.id = "pasted-copy"
                nb.cells.insert(at + 1, copy)
                nb.cells[at].source = _blank_answer(reference, question)
            else:
                raise ValueError(f"unknown MUTATE {how!r}")
        if not save:
            nbformat.write(nb, dest)
            return
        data = json.loads(nbformat.writes(nb))
        if "nbformat44" in save:  # an older JupyterLab: nbformat 4.4, cells without ids
            data["nbformat_minor"] = 4
            for cell in data["cells"]:
                cell.pop("id", None)
        if "crlf_bom" in save:  # saved on Windows by an editor that writes a byte-order mark
            for cell in data["cells"]:
                src = cell["source"]
                src = "".join(src) if isinstance(src, list) else src
                cell["source"] = src.replace("\n", "\r\n")
            dest.write_bytes(b"\xef\xbb\xbf"
                             + json.dumps(data, indent=1).replace("\n", "\r\n").encode())
        else:
            dest.write_text(json.dumps(data, indent=1))


def _blank_answer(reference: Path, question: str) -> str:
    """The answer cell of ``question`` as the student notebook hands it out (unfinished)."""
    topic = reference.parent.name
    student = nbformat.read(ROOT / "notebooks" / f"{topic}.ipynb", as_version=4)
    return student.cells[answer_cells(student)[question]].source


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


class _Listener:
    """A TCP listener on the host's loopback, in the port range the network case tries."""

    def __init__(self):
        self.sock, self.connections = None, []
        for port in range(47800, 47830):
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                s.close()
                continue
            s.listen(16)
            s.settimeout(0.5)
            self.sock, self.port = s, port
            break
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.sock and not self.stopping.is_set():
            try:
                conn, addr = self.sock.accept()
                self.connections.append(addr)
                conn.close()
            except OSError:
                continue

    def close(self):
        self.stopping.set()
        self.thread.join(timeout=5)
        if self.sock:
            self.sock.close()


def _survivors() -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if DAEMON_MARK in Path(f"/proc/{entry}/cmdline").read_bytes():
                    found.append(int(entry))
            except OSError:
                pass
    return found


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Build every submission, grade them all in one run, and record what happened."""
    if not HAS_BWRAP:
        pytest.skip("bubblewrap (bwrap) is not installed: apt-get install bubblewrap")
    if not TOPICS:
        pytest.skip("no assignment has a probe file yet")
    base = tmp_path_factory.mktemp("grader")
    subs, out = base / "submissions", base / "results" / "grades.csv"
    for topic in TOPICS:
        folder = subs / topic
        folder.mkdir(parents=True)
        reference = ROOT / "autograder" / "samples" / topic / "reference.ipynb"
        shutil.copyfile(reference, folder / "reference.ipynb")
        shutil.copyfile(ROOT / "notebooks" / f"{topic}.ipynb", folder / "blank.ipynb")
        for group in GROUPS[topic]:
            answers = {}
            for case in group:
                answers.update(read_case(ROOT / "autograder" / "corpus" / topic /
                                         f"{case}.py").answers)
            build_submission(reference, answers, folder / f"corpus-{'+'.join(group)}.ipynb")
        for _, case in [c for c in HOSTILE if c[0] == topic]:
            spec = read_hostile(ROOT / "autograder" / "hostile" / topic / f"{case}.py")
            dest = folder / f"hostile-{case}.ipynb"
            if spec["answers"]:
                build_submission(reference, spec["answers"], dest)
            if spec["mutate"]:
                mutate(dest if spec["answers"] else reference, spec["mutate"], dest)
        checkpoints = folder / ".ipynb_checkpoints"
        checkpoints.mkdir()
        shutil.copyfile(reference, checkpoints / "reference-checkpoint.ipynb")
    only = os.environ.get("DISTML_GRADER_ONLY")  # e.g. "01_closed_form/hostile-frame*": a
    if only:                                     # targeted run (with -k) grades only those
        keep = {p for pattern in only.split(",") for p in subs.glob(pattern.strip() + ".ipynb")}
        for p in subs.rglob("*.ipynb"):
            if p not in keep and ".ipynb_checkpoints" not in p.parts:
                p.unlink()
    before = _digest(subs)
    listener = _Listener()
    t0 = time.monotonic()
    try:
        # The probes' own per-call timeouts (scale 1): make test runs other Spark jobs beside
        # this batch, and a slow machine must not turn a correct answer into a timeout.
        run = _grader([subs, "--out", out, "--jobs", "2", "--cell-timeout", "20",
                       "--timeout-scale", "1", "--no-progress"])
    finally:
        listener.close()
    seconds = time.monotonic() - t0
    assert run.returncode == 0, f"grader failed:\n{run.stdout[-3000:]}\n{run.stderr[-5000:]}"
    with open(out, newline="") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, list(reader)
    from autograder.grader.sandbox import Cgroups
    (base / "stderr.txt").write_text(run.stderr)
    return {"subs": subs, "out": out, "rows": {r["submission"]: r for r in rows},
            "row_list": rows, "header": header, "stderr": run.stderr, "before": before,
            "after": _digest(subs), "listener": listener, "survivors": _survivors(),
            "seconds": seconds, "cgroups": Cgroups().usable}


@functools.lru_cache(maxsize=None)
def _questions(topic):
    from autograder.grader.assignments import load
    assignment = load(topic)
    return [q.name for q in assignment.questions], assignment.possible


def _scores(row, topic):
    names, _ = _questions(topic)
    return {q: float(row[q]) for q in names}


def test_one_row_per_notebook_with_every_column(batch):
    files = sorted(str(p.relative_to(batch["subs"])) for p in batch["subs"].rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)
    assert [r["submission"] for r in batch["row_list"]] == files  # sorted, no duplicates
    questions = [q for t in TOPICS for q in _questions(t)[0]]
    assert batch["header"] == (["submission", "sha256", "assignment"] + questions
                               + ["total", "possible", "status", "reason"])
    for row in batch["row_list"]:
        for q in questions + ["total", "possible"]:
            float(row[q])  # a number, never empty
        assert row["status"] in {"graded", "partial", "timeout", "invalid", "error", "review"}
        if row["status"] != "invalid":
            assert re.fullmatch(r"[0-9a-f]{64}", row["sha256"])
            names, possible = _questions(row["assignment"])
            assert float(row["possible"]) == possible
            assert float(row["total"]) == sum(float(row[q]) for q in names)
        for q in _questions(row["assignment"])[0] if row["assignment"] else []:
            if float(row[q]) == 0 and row["status"] != "invalid":
                assert q in row["reason"], f"{row['submission']}: {q} is 0 without a reason"


@pytest.mark.parametrize("topic", TOPICS)
def test_reference_gets_full_marks(batch, topic):
    row = batch["rows"][f"{topic}/reference.ipynb"]
    assert (row["status"], row["reason"]) == ("graded", "")
    assert float(row["total"]) == float(row["possible"]) > 0


@pytest.mark.parametrize("topic", TOPICS)
def test_blank_student_notebook_gets_zero(batch, topic):
    row = batch["rows"][f"{topic}/blank.ipynb"]
    assert row["status"] == "graded" and float(row["total"]) == 0, row
    assert all(v == 0 for v in _scores(row, topic).values())


@pytest.mark.parametrize("topic,case", CORPUS)
def test_corpus_submission_gets_the_otter_score(batch, topic, case):
    """Its questions score as otter scores the case alone; the notebook it shares with cases
    that answer other questions scores theirs (corpus.sandbox_groups)."""
    file = CORPUS_FILE[(topic, case)]
    row = batch["rows"][file]
    group = file.split("/corpus-", 1)[1][:-len(".ipynb")].split("+")
    expected = group_expected(topic, group)
    own = read_case(ROOT / "autograder" / "corpus" / topic / f"{case}.py")
    assert all(expected[q] == own.expected[q] for q in own.answers)
    assert row["status"] == "graded", row
    assert _scores(row, topic) == {q: float(v) for q, v in expected.items()}, row["reason"]


@pytest.mark.parametrize("topic,case", HOSTILE)
def test_hostile_submission_gets_its_row(batch, topic, case):
    spec = read_hostile(ROOT / "autograder" / "hostile" / topic / f"{case}.py")
    row = batch["rows"][f"{topic}/hostile-{case}.ipynb"]
    status, reason = ((spec["status"], spec["reason"]) if batch["cgroups"] else
                      (spec["status_without_cgroups"], spec["reason_without_cgroups"]))
    assert _scores(row, topic) == {q: float(v) for q, v in spec["expected"].items()}, row
    assert row["status"] == status, row
    assert re.search(reason, row["reason"]), f"reason {row['reason']!r} !~ {reason!r}"
    assert row["assignment"] == topic


def test_submissions_are_never_modified(batch):
    assert batch["after"] == batch["before"]


def test_no_process_outlives_its_sandbox(batch):
    assert batch["survivors"] == [], "a planted background process survived grading"


def test_loopback_listener_on_the_host_is_unreachable(batch):
    assert batch["listener"].sock is not None, "no free port in 47800-47829 for the listener"
    assert batch["listener"].connections == []


def test_feedback_for_every_row_says_what_was_called_expected_and_got(batch):
    """The instructor's report says everything; the student feedback, for hidden tests, only
    passed/FAILED and the hint (no call, no expected value, not what the notebook printed)."""
    reports = batch["out"].with_name("grades-report")
    folder = batch["out"].with_name("grades-feedback")
    for row in batch["row_list"]:
        for where in (reports, folder):
            path = where / f"{row['submission']}.md"
            assert path.is_file(), path
            assert path.stat().st_size < 200_000, f"{path} is not capped"
    # Every topic has corpus cases that lose marks; the first of each topic is read here.
    failing = {}
    for t, c in CORPUS:
        row = batch["rows"][CORPUS_FILE[(t, c)]]
        if float(row["total"]) < float(row["possible"]):
            failing.setdefault(t, CORPUS_FILE[(t, c)])
    assert sorted(failing) == TOPICS, f"topics without a losing corpus case: {failing}"
    for t, file in failing.items():
        text = (reports / f"{file}.md").read_text()
        assert "FAILED" in text and "called `" in text and "expected: `" in text
        assert "got: `" in text and "why: " in text and "hint: " in text
        student = (folder / f"{file}.md").read_text()
        assert "(hidden test)" in student and "hint: " in student
        in_hidden = False
        for line in student.splitlines():  # the lines under each hidden test: its hint only
            if line.startswith(("- ", "#")) or not line.strip():
                in_hidden = "(hidden test)" in line
            elif in_hidden:
                assert line.startswith("  - hint: "), line
    huge = "01_closed_form/hostile-huge_output.ipynb.md"
    assert "[output cut: " in (reports / huge).read_text()
    assert "[output cut: " not in (folder / huge).read_text()


def test_checkpoints_are_skipped_and_progress_is_reported(batch):
    assert not any(".ipynb_checkpoints" in s for s in batch["rows"])
    assert "per minute with 2 jobs" in batch["stderr"]
    print(f"graded {len(batch['rows'])} notebooks in {batch['seconds']:.0f} s")


def test_rerun_is_resumed_and_identical(batch):
    """Run again on the same folder: every row comes from the journal, the CSV is identical."""
    first = batch["out"].read_text()
    run = _grader([batch["subs"], "--out", batch["out"], "--no-progress"], timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "[0 graded now" in run.stderr
    assert batch["out"].read_text() == first


@pytest.mark.xdist_group("grader-alone")  # no batch: any worker
def test_interrupted_run_resumes_without_duplicates(tmp_path):
    """SIGTERM in the middle, then the same command: every file once, the rest graded."""
    if not HAS_BWRAP:
        pytest.skip("bubblewrap (bwrap) is not installed")
    topic = LIGHT
    subs, out = tmp_path / "subs", tmp_path / "out" / "grades.csv"
    subs.mkdir()
    reference = ROOT / "autograder" / "samples" / topic / "reference.ipynb"
    for i, how in enumerate(["truncate", "empty", "json_list"]):
        mutate(reference, how, subs / f"a{i}-{topic}.ipynb")
    shutil.copyfile(reference, subs / "z-reference.ipynb")
    env = dict(os.environ, PYTHONHASHSEED="0")
    proc = subprocess.Popen([sys.executable, "-m", "autograder.grader", subs, "--out", out,
                             "--jobs", "1", "--no-progress"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    journal = out.with_name("grades-report") / ".journal.jsonl"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists() and len(journal.read_text().splitlines()) >= 3:
            break
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err[-2000:]
    with open(out, newline="") as f:
        partial = list(csv.DictReader(f))
    assert len(partial) == 3 and all(r["status"] == "invalid" for r in partial)
    run = _grader([subs, "--out", out, "--no-progress"], timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "[1 graded now" in run.stderr
    with open(out, newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["submission"] for r in rows] == sorted(p.name for p in subs.iterdir())
    assert rows[-1]["status"] == "graded" and rows[-1]["total"] == rows[-1]["possible"]
    # Grading everything again from scratch gives the same CSV, byte for byte.
    first = out.read_text()
    run = _grader([subs, "--out", out, "--fresh", "--no-progress"], timeout=900)
    assert run.returncode == 0 and "[4 graded now" in run.stderr, run.stderr[-3000:]
    assert out.read_text() == first


@pytest.mark.xdist_group("grader-alone")  # no batch: any worker
def test_without_a_sandbox_it_still_grades_and_says_so_loudly(tmp_path):
    topic = LIGHT
    subs, out = tmp_path / "subs", tmp_path / "grades.csv"
    subs.mkdir()
    shutil.copyfile(ROOT / "autograder" / "samples" / topic / "reference.ipynb",
                    subs / "reference.ipynb")
    run = _grader([subs, "--out", out, "--sandbox", "none", "--no-progress"], timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "NOT ISOLATED" in run.stderr
    with open(out, newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert row["total"] == row["possible"] and "NOT ISOLATED" in row["reason"]
