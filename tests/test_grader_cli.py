"""Unit tests of the grader's batch front end (``autograder/grader/cli.py``), without a sandbox.

``discover`` (which files of a folder are submissions), ``read_bytes`` (never through a link,
never a FIFO or a device), ``_columns`` (the CSV's question columns), ``Batch.prepare`` and
``invalid_entry`` (a file that cannot be graded still gets its row), and ``main``: the argument
errors it gives before anything starts, and a whole batch of ungradable files run through
``main`` with the sandbox configuration replaced, written, then resumed from the journal.
``sandbox.configure`` is replaced in every ``main`` test so that no sandbox can start.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from autograder.grader import assignments as asg  # noqa: E402
from autograder.grader import cli, report, sandbox, scoring  # noqa: E402
from autograder.grader.runner import Limits  # noqa: E402

pytestmark = pytest.mark.quick

REFERENCE = ROOT / "autograder" / "samples" / "01_closed_form" / "reference.ipynb"


def touch(path: Path, data: bytes = b"{}") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --- discover ------------------------------------------------------------------------------------
def test_discover_walks_sub_folders_and_skips_hidden_ones(tmp_path):
    for rel in ["a.ipynb", "b c (1).ipynb", "é-ü.ipynb", "sub/x.ipynb", "sub/deeper/y.ipynb",
                "sub/.ipynb_checkpoints/x-checkpoint.ipynb", ".hidden/z.ipynb",
                ".dotfile.ipynb", "notes.txt", "a.ipynb.bak", "sub/readme.md"]:
        touch(tmp_path / rel)
    found = cli.discover(tmp_path, skip=[])
    assert [rel for rel, _ in found] == ["a.ipynb", "b c (1).ipynb", "é-ü.ipynb", "sub/x.ipynb",
                                         "sub/deeper/y.ipynb"]
    assert all(path == tmp_path / rel for rel, path in found)


def test_discover_skips_the_feedback_folder_and_does_not_follow_folder_links(tmp_path):
    outside = tmp_path / "outside"
    touch(outside / "secret.ipynb")
    root = tmp_path / "subs"
    touch(root / "one.ipynb")
    touch(root / "grades-feedback" / "one.ipynb.ipynb")
    (root / "linked").symlink_to(outside, target_is_directory=True)
    found = cli.discover(root, skip=[root / "grades-feedback"])
    assert [rel for rel, _ in found] == ["one.ipynb"]


def test_discover_lists_a_file_link_for_prepare_to_refuse(tmp_path):
    touch(tmp_path / "real" / "a.ipynb")
    root = tmp_path / "subs"
    root.mkdir()
    (root / "link.ipynb").symlink_to(tmp_path / "real" / "a.ipynb")
    assert [rel for rel, _ in cli.discover(root, skip=[])] == ["link.ipynb"]


def test_discover_an_empty_folder(tmp_path):
    assert cli.discover(tmp_path, skip=[]) == []


# --- read_bytes ----------------------------------------------------------------------------------
def test_read_bytes_of_a_file(tmp_path):
    data = bytes(range(256)) * 5000  # more than one read
    assert cli.read_bytes(touch(tmp_path / "f.ipynb", data)) == data
    assert cli.read_bytes(touch(tmp_path / "empty.ipynb", b"")) == b""


def test_read_bytes_refuses_a_symbolic_link(tmp_path):
    target = touch(tmp_path / "target", b"secret")
    (tmp_path / "link.ipynb").symlink_to(target)
    with pytest.raises(OSError):
        cli.read_bytes(tmp_path / "link.ipynb")


def test_read_bytes_refuses_a_fifo_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.ipynb")
    with pytest.raises(asg.NotGradable, match="^not a regular file$"):
        cli.read_bytes(tmp_path / "pipe.ipynb")


def test_read_bytes_refuses_a_folder(tmp_path):
    (tmp_path / "dir.ipynb").mkdir()
    with pytest.raises(asg.NotGradable, match="^not a regular file$"):
        cli.read_bytes(tmp_path / "dir.ipynb")


def test_read_bytes_stops_at_the_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(asg, "MAX_NOTEBOOK_BYTES", 10)
    assert cli.read_bytes(touch(tmp_path / "ok.ipynb", b"x" * 10)) == b"x" * 10
    with pytest.raises(asg.NotGradable, match="^file is larger than 10 bytes$"):
        cli.read_bytes(touch(tmp_path / "big.ipynb", b"x" * 11))


# --- _columns ------------------------------------------------------------------------------------
def q(name):
    return SimpleNamespace(name=name)


KNOWN = {"01_a": SimpleNamespace(questions=[q("f"), q("g")]),
         "02_b": SimpleNamespace(questions=[q("h"), q("f")]),
         "03_c": SimpleNamespace(questions=[q("k")])}


@pytest.mark.parametrize("assignments, columns", [
    (["02_b", "01_a", "01_a"], ["f", "g", "h"]),  # by assignment name, each column once
    (["03_c"], ["k"]),
    (["02_b", ""], ["h", "f"]),                  # an invalid row (no assignment) adds nothing
    (["", "99_unknown"], ["f", "g", "h", "k"]),  # no known assignment used: every column
    ([], ["f", "g", "h", "k"]),
])
def test_columns(assignments, columns):
    rows = {str(i): {"assignment": a} for i, a in enumerate(assignments)}
    assert cli._columns(rows, KNOWN) == columns


# --- Batch.prepare and invalid_entry -------------------------------------------------------------
@pytest.fixture(scope="module")
def known():
    return {"01_closed_form": asg.load("01_closed_form")}


def make_batch(known, assignment=None):
    args = SimpleNamespace(jobs=1, assignment=assignment)
    return cli.Batch(args, known, SimpleNamespace(isolated=False), Limits())


def test_prepare_a_gradable_submission(tmp_path, known):
    data = REFERENCE.read_bytes()
    item = make_batch(known).prepare("alice.ipynb", touch(tmp_path / "alice.ipynb", data))
    assert item["invalid"] == "" and item["sha"] == hashlib.sha256(data).hexdigest()
    assert item["assignment"] is known["01_closed_form"]
    assert list(item["sub"].answers) == ["01-208", "01-217", "01-013", "01-025", "01-pp-04"]


@pytest.mark.parametrize("name, data, reason, guessed", [
    ("01_closed_form-bob.ipynb", b"", "empty file", True),
    ("bob.ipynb", b"[]", "not a notebook: JSON without cells", False),
    ("01_closed_form/carol.ipynb", b'{"cells": [], "nbformat": 4}',
     "none of the 01_closed_form answer cells", True),
])
def test_prepare_an_ungradable_file(tmp_path, known, name, data, reason, guessed):
    batch = make_batch(known)
    item = batch.prepare(name, touch(tmp_path / name, data))
    assert item["invalid"].startswith(reason) and item["sub"] is None
    assert item["sha"] == hashlib.sha256(data).hexdigest()
    assert (item["assignment"] is known["01_closed_form"]) == guessed
    entry, feedback = batch.invalid_entry(item)
    assert entry == {"fingerprint": batch.version, "row": {
        "submission": name, "sha256": item["sha"],
        "assignment": "01_closed_form" if guessed else "",
        "scores": {"parsePoint": 0, "prepareSongs": 0, "computeOuterProduct": 0,
                   "linregClosedForm": 0, "linregClosedFormPartitions": 0} if guessed else {},
        "total": 0, "possible": 15 if guessed else 0, "status": "invalid",
        "reason": item["invalid"]}, "feedback": {"student": feedback, "instructor": feedback}}
    assert feedback.startswith(f"# Feedback: {name}\n\n- status: **invalid**\n")
    assert f"This file could not be graded: {item['invalid']}." in feedback


def test_prepare_a_link_and_a_fifo(tmp_path, known):
    batch = make_batch(known)
    (tmp_path / "link.ipynb").symlink_to(REFERENCE)
    item = batch.prepare("link.ipynb", tmp_path / "link.ipynb")
    assert item["invalid"] == "a symbolic link, not a notebook file: not graded"
    assert item["sha"] == ""
    os.mkfifo(tmp_path / "fifo.ipynb")
    assert batch.prepare("fifo.ipynb", tmp_path / "fifo.ipynb")["invalid"] == \
        "not a regular file"


def test_prepare_with_a_forced_assignment(tmp_path, known):
    item = make_batch(known, "01_closed_form").prepare("x.ipynb", touch(tmp_path / "x.ipynb",
                                                                        b"   "))
    assert item["invalid"] == "empty file" and item["assignment"] is known["01_closed_form"]


def test_fingerprints_change_with_the_grader_and_the_assignment(known):
    batch = make_batch(known)
    a = known["01_closed_form"]
    assert len(batch.version) == 16 and batch.version == cli.grader_version()
    assert batch.fingerprint(None) == batch.version
    assert batch.fingerprint(a) == f"{batch.version}:{a.fingerprint()[:20]}"


# --- main ----------------------------------------------------------------------------------------
@pytest.fixture
def no_sandbox(monkeypatch, tmp_path):
    """main with the sandbox set-up replaced (and the process's SIGTERM handler kept)."""
    configured = []

    def configure(mode, memory, pids):
        configured.append((mode, memory, pids))
        return SimpleNamespace(warnings=[], isolated=True)

    monkeypatch.setattr(sandbox, "configure", configure)
    monkeypatch.setattr(signal, "signal", lambda *args: None)
    monkeypatch.setenv("PYTHONHASHSEED", "0")  # main sets a default: keep ours unchanged
    # the default --out is relative: a main that went too far writes here, not in the repository
    monkeypatch.chdir(tmp_path)
    return configured


@pytest.mark.parametrize("argv, message", [
    (["{missing}"], "error: {missing} is not a folder"),
    (["{file}"], "error: {file} is not a folder"),
    ([], "error: the following arguments are required: submissions"),
    (["{dir}", "--jobs", "two"], "error: argument --jobs/-j: invalid int value: 'two'"),
    (["{dir}", "--sandbox", "docker"], "error: argument --sandbox: invalid choice: 'docker'"),
    (["{dir}", "--timeout-scale", "x"], "error: argument --timeout-scale: invalid float value"),
    (["{dir}", "--assignment", "99_nope"],
     "error: --assignment 99_nope: known are 01_closed_form, 02_gradient_descent, "
     "03_communication, 04_minibatch"),
])
def test_main_argument_errors_exit_2_before_any_sandbox(tmp_path, capsys, no_sandbox,
                                                        argv, message):
    names = {"missing": tmp_path / "missing", "file": touch(tmp_path / "f.ipynb"),
             "dir": tmp_path}
    argv = [a.format(**names) for a in argv]
    message = message.format(**names)
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: python -m autograder.grader")
    assert message in err
    assert no_sandbox == []
    assert not (tmp_path / "grades.csv").exists()


def test_main_without_any_gradable_assignment_exits_3(tmp_path, capsys, no_sandbox,
                                                       monkeypatch):
    monkeypatch.setattr(asg, "available", lambda: ({}, ["07_x: notebooks/07_x.ipynb is missing"]))
    assert cli.main([str(tmp_path)]) == 3
    assert capsys.readouterr().err == (
        "note: 07_x: notebooks/07_x.ipynb is missing\n"
        "error: no gradable assignment (autograder/questions/NN_topic.py with its notebooks)\n")
    assert no_sandbox == []


def test_main_help_exits_0(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "Every ``.ipynb`` under SUBMISSIONS" in out and "--timeout-scale" in out


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_main_grades_ungradable_files_then_resumes_from_the_journal(tmp_path, capsys,
                                                                     no_sandbox, monkeypatch):
    subs = tmp_path / "subs"
    touch(subs / "01_closed_form-ann.ipynb", b"")
    touch(subs / "bob.ipynb", b"[1]")
    out = tmp_path / "out" / "grades.csv"
    graded = []
    real_invalid_entry = cli.Batch.invalid_entry

    def counting(self, item):
        graded.append(item["rel"])
        return real_invalid_entry(self, item)

    monkeypatch.setattr(cli.Batch, "invalid_entry", counting)
    argv = [str(subs), "--out", str(out), "--no-progress", "--sandbox", "none",
            "--memory", "3G", "--pids", "99", "--cache", str(tmp_path / "cache")]
    assert cli.main(argv) == 0
    assert no_sandbox == [("none", "3G", 99)]
    assert sorted(graded) == ["01_closed_form-ann.ipynb", "bob.ipynb"]
    rows = read_csv(out)
    assert list(rows[0]) == ["submission", "sha256", "assignment", "parsePoint", "prepareSongs",
                             "computeOuterProduct", "linregClosedForm",
                             "linregClosedFormPartitions", "total", "possible", "status", "reason"]
    assert [(r["submission"], r["assignment"], r["computeOuterProduct"], r["possible"],
             r["status"], r["reason"]) for r in rows] == [
        ("01_closed_form-ann.ipynb", "01_closed_form", "0", "15", "invalid", "empty file"),
        ("bob.ipynb", "", "0", "0", "invalid", "not a notebook: JSON without cells")]
    assert rows[0]["sha256"] == hashlib.sha256(b"").hexdigest()
    feedback = out.parent / "grades-feedback"
    assert (feedback / "bob.ipynb.md").read_text().startswith("# Feedback: bob.ipynb\n")
    journal = report.Journal(out.parent / "grades-report" / ".journal.jsonl")
    assert sorted(journal.load()) == ["01_closed_form-ann.ipynb", "bob.ipynb"]
    assert "2 notebooks (2 invalid)" in capsys.readouterr().err
    # run again: nothing is graded twice; a changed file is graded again
    graded.clear()
    touch(subs / "bob.ipynb", b'{"nbformat": 3, "worksheets": []}')
    assert cli.main(argv) == 0
    assert graded == ["bob.ipynb"]
    assert read_csv(out)[1]["reason"].startswith("nbformat 3: only nbformat 4 notebooks")
    assert len(journal.path.read_text().splitlines()) == 2
    # --fresh grades everything again
    graded.clear()
    assert cli.main(argv + ["--fresh"]) == 0
    assert sorted(graded) == ["01_closed_form-ann.ipynb", "bob.ipynb"]


def test_main_grades_a_submission_with_a_stand_in_for_the_sandboxed_run(tmp_path, capsys,
                                                                       no_sandbox, monkeypatch):
    """The wiring from a file to its row: reference results and Run replaced, scoring real.

    computeOuterProduct's hidden calls return a wrong value: the instructor's report shows the
    calls, expected values and the notebook's output; the student feedback shows only that the
    hidden tests failed, with their hints, until ``--reveal`` (which grades nothing again)."""
    from autograder.grader.runner import QuestionRun, RunResult

    def value(v):
        return {"value": {"t": "ndarray", "dtype": "float64", "shape": [1], "v": [v]},
                "error": None, "phase": None, "meter": {"result_bytes": 10},
                "integrity": {"changed": [], "watched": 1000}}

    def reference_results(assignment, config, limits, cache_dir):
        return {q.name: [value(1.0)] * len(q.calls()) for q in assignment.questions}

    runs = []

    class FakeRun:
        def __init__(self, assignment, answers, missing, config, slot, limits, tag, order=None,
                     unanswered=()):
            self.a, self.answers = assignment, answers
            runs.append(order)

        def run(self):
            questions = {q.name: QuestionRun(q.name, "done", [
                value(1.0 if i == 0 or q.name != "computeOuterProduct" else 2.0)
                for i in range(len(q.calls()))]) for q in self.a.questions}
            return RunResult(questions, {}, [], "hello from the notebook", 1, 0.5, 0, [])

    monkeypatch.setattr(scoring, "reference_results", reference_results)
    monkeypatch.setattr(cli, "Run", FakeRun)
    subs = tmp_path / "subs"
    touch(subs / "alice.ipynb", REFERENCE.read_bytes())
    out = tmp_path / "grades.csv"
    argv = [str(subs), "--out", str(out), "--no-progress", "--cache", str(tmp_path / "cache")]
    assert cli.main(argv) == 0
    assert runs == [[("01-208", "parsePoint"), ("01-217", "prepareSongs"),
                     ("01-013", "computeOuterProduct"), ("01-025", "linregClosedForm"),
                     ("01-pp-04", "linregClosedFormPartitions")]]
    (row,) = read_csv(out)
    # The pipeline questions' checks also want a LabeledPoint and three parts, which an array
    # is not: they score 0 too.
    assert (row["computeOuterProduct"], row["linregClosedForm"], row["possible"],
            row["status"]) == ("0", "4", "15", "graded")
    assert float(row["total"]) == sum(float(row[q]) for q in
                                      ("parsePoint", "prepareSongs", "computeOuterProduct",
                                       "linregClosedForm", "linregClosedFormPartitions"))
    assert "computeOuterProduct 0/2: hidden: random features" in row["reason"]
    instructor = (tmp_path / "grades-report" / "alice.ipynb.md").read_text()
    student = (tmp_path / "grades-feedback" / "alice.ipynb.md").read_text()
    for text in (instructor, student):
        assert f"- score: **{row['total']} / 15**" in text
        assert "- FAILED: hidden: a float numpy array" in text
        assert "hint: Return a numpy array of floats" in text
    hidden_call = "computeOuterProduct(LabeledPoint(-3.5, "
    assert hidden_call in instructor and "expected: `" in instructor
    assert "hello from the notebook" in instructor
    # (the pipeline questions' public checks fail too, and may show their values; not these)
    section = student.split("## computeOuterProduct")[1].split("\n## ")[0]
    assert hidden_call not in student and "expected: `" not in section and "got: " not in section
    assert "hello from the notebook" not in student and "(hidden test)" in student
    assert "computeOuterProduct 0/2: hidden: random features, d = 1, 4 and 9 failed" in \
        student.split("Summary: ")[1].split("\n")[0]
    entry = json.loads((tmp_path / "grades-report" / ".journal.jsonl").read_text())
    assert entry["fingerprint"].startswith(cli.grader_version() + ":")
    assert not (tmp_path / "grades-feedback" / ".journal.jsonl").exists()
    # after the deadline: --reveal gives students the full report, without grading again
    assert cli.main(argv + ["--reveal"]) == 0
    assert len(runs) == 1
    assert (tmp_path / "grades-feedback" / "alice.ipynb.md").read_text() == instructor
    assert cli.main(argv) == 0  # and back
    assert (tmp_path / "grades-feedback" / "alice.ipynb.md").read_text() == student


# --- any file name gets a row --------------------------------------------------------------------
ODD_NAMES = {
    "long": "a" * 233 + ".ipynb",                      # 239 characters (the issue's)
    "longest": "b" * 249 + ".ipynb",                   # 255 bytes: the file system's limit
    "latin1": os.fsdecode(b"caf\xe9-01_closed_form.ipynb"),  # unzipped from a Latin-1 zip
    "formula": "=HYPERLINK(\"x\",\"y\").ipynb",
    "plus": "+1.ipynb", "minus": "-2.ipynb", "at": "@SUM(A1).ipynb",
}


def test_any_file_name_gets_a_row_and_no_csv_cell_is_a_formula(tmp_path, no_sandbox):
    subs = tmp_path / "subs"
    for name in ODD_NAMES.values():
        touch(subs / name, b"")  # empty files: invalid, graded without a sandbox
    touch(subs / "fine.ipynb", b"")
    out = tmp_path / "grades.csv"
    assert cli.main([str(subs), "--out", str(out), "--no-progress"]) == 0
    rows = read_csv(out)
    shown = {r["submission"] for r in rows}
    assert shown == {"a" * 233 + ".ipynb", "b" * 249 + ".ipynb",
                     "caf\\xe9-01_closed_form.ipynb", "'=HYPERLINK(\"x\",\"y\").ipynb",
                     "'+1.ipynb", "'-2.ipynb", "'@SUM(A1).ipynb", "fine.ipynb"}
    assert all(r["status"] == "invalid" and r["reason"] == "empty file" for r in rows)
    assert next(r for r in rows if r["submission"].startswith("caf"))["assignment"] == \
        "01_closed_form"
    with open(out, newline="", encoding="utf-8") as f:
        cells = [c for line in csv.reader(f) for c in line]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    # one feedback file each, names shortened when too long; the journal keeps the real names
    feedback = tmp_path / "grades-feedback"
    files = sorted(p.name for p in feedback.iterdir() if not p.name.startswith("."))
    assert len(files) == len(rows) and all(len(f.encode()) <= 255 for f in files)
    assert "caf\\xe9-01_closed_form.ipynb.md" in files
    longest = report.feedback_path(feedback, ODD_NAMES["longest"])
    assert longest.read_text().startswith(f"# Feedback: {'b' * 249}.ipynb\n")
    assert set(report.Journal(tmp_path / "grades-report" / ".journal.jsonl").load()) == \
        set(ODD_NAMES.values()) | {"fine.ipynb"}
    # a second run keeps every row (the journal's keys are the names as read)
    assert cli.main([str(subs), "--out", str(out), "--no-progress"]) == 0
    assert read_csv(out) == rows


def test_an_error_writing_one_feedback_is_that_rows_error(tmp_path, no_sandbox):
    subs = tmp_path / "subs"
    touch(subs / "blocked.ipynb", b"")
    touch(subs / "fine.ipynb", b"")
    out = tmp_path / "grades.csv"
    (tmp_path / "grades-feedback" / "blocked.ipynb.md").mkdir(parents=True)  # cannot be replaced
    assert cli.main([str(subs), "--out", str(out), "--no-progress"]) == 0
    rows = {r["submission"]: r for r in read_csv(out)}
    assert rows["fine.ipynb"]["status"] == "invalid"
    assert rows["blocked.ipynb"]["status"] == "error"
    assert "its feedback could not be written (IsADirectoryError" in rows["blocked.ipynb"]["reason"]
    assert (tmp_path / "grades-feedback" / "fine.ipynb.md").is_file()


def test_a_grader_error_on_one_submission_keeps_the_rows_in_flight(tmp_path, no_sandbox,
                                                                  monkeypatch):
    """A submission the grader crashes on is that row's error; the others are journalled."""
    subs = tmp_path / "subs"
    for name in ("a.ipynb", "b.ipynb", "c.ipynb"):
        touch(subs / name, b"")
    real = cli.Batch.grade

    def grade(self, item):
        if item["rel"] == "b.ipynb":
            raise UnicodeEncodeError("utf-8", "\udce9", 0, 1, "surrogates not allowed")
        return real(self, item)

    monkeypatch.setattr(cli.Batch, "grade", grade)
    out = tmp_path / "grades.csv"
    assert cli.main([str(subs), "--out", str(out), "--no-progress", "--jobs", "2"]) == 0
    rows = {r["submission"]: r for r in read_csv(out)}
    assert [rows[n]["status"] for n in ("a.ipynb", "b.ipynb", "c.ipynb")] == \
        ["invalid", "error", "invalid"]
    assert rows["b.ipynb"]["reason"].startswith("grader error: UnicodeEncodeError")
    assert set(report.Journal(tmp_path / "grades-report" / ".journal.jsonl").load()) == \
        {"a.ipynb", "b.ipynb", "c.ipynb"}


def test_csv_cell_and_feedback_path():
    assert [report.csv_cell(x) for x in ("=1+1", "+1", "-1", "@a", "\tx", "a=b", "")] == \
        ["'=1+1", "'+1", "'-1", "'@a", "'\tx", "a=b", ""]
    assert report.display_name(os.fsdecode(b"x\xff/y.ipynb")) == "x\\xff/y.ipynb"
    p = report.feedback_path(Path("/fb"), "d/" + "é" * 200 + ".ipynb")
    assert p.parent == Path("/fb/d") and len(p.name.encode()) <= 203 and p.name.endswith(".md")
    assert p != report.feedback_path(Path("/fb"), "d/" + "é" * 200 + "x.ipynb")
    assert report.feedback_path(Path("/fb"), "../../etc/x.ipynb") == Path("/fb/etc/x.ipynb.md")


# --- shards and merge ----------------------------------------------------------------------------
def test_in_shard_is_a_partition_fixed_by_the_path():
    rels = [f"{d}/s{i:03d}.ipynb" for d in ("01_closed_form", "x") for i in range(150)]
    rels.append(os.fsdecode(b"caf\xe9.ipynb"))
    shards = [[r for r in rels if cli.in_shard(r, (k, 3))] for k in (1, 2, 3)]
    assert sorted(sum(shards, [])) == sorted(rels)            # every file in exactly one shard
    assert all(60 < len(s) < 150 for s in shards)               # roughly a third each
    assert [[r for r in reversed(rels) if cli.in_shard(r, (k, 3))] for k in (1, 2, 3)] == \
        [list(reversed(s)) for s in shards]                     # the order of listing is irrelevant
    assert all(cli.in_shard(r, None) and cli.in_shard(r, (1, 1)) for r in rels)
    with pytest.raises(SystemExit):
        cli.main(["x", "--shard", "4/3"])


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".journal.jsonl"}


def test_three_shards_merged_are_the_same_as_one_run(tmp_path, no_sandbox, monkeypatch):
    from autograder.grader.runner import QuestionRun, RunResult

    def value(v):
        return {"value": {"t": "ndarray", "dtype": "float64", "shape": [1], "v": [v]},
                "error": None, "phase": None, "meter": {"result_bytes": 10},
                "integrity": {"changed": [], "watched": 1000}}

    monkeypatch.setattr(scoring, "reference_results", lambda a, config, limits, cache_dir: {
        q.name: [value(1.0)] * len(q.calls()) for q in a.questions})

    class FakeRun:  # a score that depends on the submission: its first answer's length
        def __init__(self, assignment, answers, missing, config, slot, limits, tag, order=None,
                     unanswered=()):
            self.a, self.wrong = assignment, len(answers["01-013"]) % 2

        def run(self):
            return RunResult({q.name: QuestionRun(q.name, "done", [
                value(2.0 if self.wrong and i else 1.0) for i in range(len(q.calls()))])
                for q in self.a.questions}, {}, [], "printed", 1, 0.5, 0, [])

    monkeypatch.setattr(cli, "Run", FakeRun)
    subs = tmp_path / "subs"
    nb = json.loads(REFERENCE.read_text())
    for i in range(8):
        cell = next(c for c in nb["cells"] if c.get("id") == "01-013")
        cell["source"] = "def computeOuterProduct(lp):\n    return 1" + " " * i + "\n"
        touch(subs / f"sec{i % 3}" / f"student{i}.ipynb", json.dumps(nb).encode())
    for name in [*ODD_NAMES.values(), "01_closed_form-empty.ipynb"]:
        touch(subs / name, b"")
    base = ["--no-progress", "--cache", str(tmp_path / "cache")]
    one = tmp_path / "one" / "grades.csv"
    assert cli.main([str(subs), "--out", str(one), *base]) == 0
    shards = [tmp_path / f"shard{k}" / f"grades-{k}.csv" for k in (1, 2, 3)]
    for k, shard in enumerate(shards, 1):
        assert cli.main([str(subs), "--out", str(shard), "--shard", f"{k}/3", *base]) == 0
    sizes = [len(read_csv(s)) for s in shards]
    assert sum(sizes) == len(read_csv(one)) == 16 and all(sizes)
    merged = tmp_path / "merged" / "grades.csv"
    assert cli.main(["merge", "--out", str(merged), *map(str, shards)]) == 0
    assert merged.read_bytes() == one.read_bytes()
    for folder in ("grades-feedback", "grades-report"):
        assert _tree(merged.parent / folder) == _tree(one.parent / folder)
    assert report.Journal(merged.parent / "grades-report" / ".journal.jsonl").load() == \
        report.Journal(one.parent / "grades-report" / ".journal.jsonl").load()
    scores = {r["total"] for r in read_csv(one) if r["status"] == "graded"}
    assert len(scores) == 2  # the submissions differ, so the comparison means something
    # the merged output resumes like a run's: nothing graded again
    assert cli.main([str(subs), "--out", str(merged), *base]) == 0
    assert merged.read_bytes() == one.read_bytes()


def test_a_blank_notebook_is_graded_without_a_sandbox(tmp_path, no_sandbox, monkeypatch):
    """Unanswered questions need no sandbox and no Spark: the blank student notebook gets its
    row (0, each question 'not answered') with no sandbox able to start."""
    monkeypatch.setattr(scoring, "reference_results", lambda a, config, limits, cache_dir: {
        q.name: [] for q in a.questions})

    def no_sandbox_here(*args, **kwargs):
        raise AssertionError("a sandbox was started for a blank notebook")

    monkeypatch.setattr(sandbox.Sandbox, "start", no_sandbox_here)
    subs = tmp_path / "subs"
    touch(subs / "blank.ipynb", (ROOT / "notebooks" / "01_closed_form.ipynb").read_bytes())
    out = tmp_path / "grades.csv"
    assert cli.main([str(subs), "--out", str(out), "--no-progress"]) == 0
    (row,) = read_csv(out)
    assert (row["total"], row["status"]) == ("0", "graded")
    assert row["reason"] == "; ".join(
        f"{q} 0/{p}: not answered (its answer cell is as handed out)"
        for q, p in [("parsePoint", 1), ("prepareSongs", 3), ("computeOuterProduct", 2),
                     ("linregClosedForm", 4), ("linregClosedFormPartitions", 5)])


def test_a_journal_left_in_the_student_feedback_folder_is_moved_out(tmp_path, no_sandbox):
    subs = tmp_path / "subs"
    touch(subs / "a.ipynb", b"")
    old = touch(tmp_path / "grades-feedback" / ".journal.jsonl", b"")
    assert cli.main([str(subs), "--out", str(tmp_path / "grades.csv"), "--no-progress"]) == 0
    assert not old.exists()
    assert list(report.Journal(tmp_path / "grades-report" / ".journal.jsonl").load()) == ["a.ipynb"]
