"""Unit tests of the grader's outputs (``autograder/grader/report.py``).

The grades CSV (its columns, how numbers are written, the atomic replacement), the journal
that makes an interrupted run resumable (load, append, compact: a line cut short by the
interruption, a submission graded twice) and where the feedback goes. Files in ``tmp_path``.
"""

from __future__ import annotations

import csv
import json
import os
import stat
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from autograder.grader import report  # noqa: E402

pytestmark = pytest.mark.quick


def row(submission, total=3, status="graded", reason="", scores=None, sha="00",
        assignment="01_closed_form", possible=6):
    return {"submission": submission, "sha256": sha, "assignment": assignment,
            "scores": {"q1": 1, "q2": 2} if scores is None else scores, "total": total,
            "possible": possible, "status": status, "reason": reason}


def entry(submission, **kwargs):
    return {"fingerprint": "fp", "row": row(submission, **kwargs)}


# --- number --------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, text", [
    (0, "0"), (3, "3"), (3.0, "3"), (-2.0, "-2"), (0.5, "0.5"), (2.25, "2.25"),
    (1 / 3, "0.333333"), (2 / 3, "0.666667"), (1e20, "100000000000000000000"),
    (1.5e-7, "1.5e-07"), (True, "1"), ("4", "4"), ("2.50", "2.5"),
])
def test_number(value, text):
    assert report.number(value) == text


def test_feedback_dir_sits_next_to_the_csv():
    assert report.feedback_dir(Path("/x/y/grades.csv")) == Path("/x/y/grades-feedback")
    assert report.feedback_dir(Path("out/marks")) == Path("out/marks-feedback")
    assert report.feedback_dir(Path("term.2.csv")) == Path("term.2-feedback")


# --- write_csv -----------------------------------------------------------------------------------
def test_write_csv_columns_order_and_numbers(tmp_path):
    out = tmp_path / "grades.csv"
    rows = {
        "b/bob.ipynb": row("b/bob.ipynb", total=2.5, scores={"q1": 0.5, "q2": 2.0},
                           reason="q1 0.5/1: wrong, \"badly\""),
        "a/alice.ipynb": row("a/alice.ipynb", total=3.0, scores={"q2": 2, "q1": 1.0}),
        "z.ipynb": row("z.ipynb", total=0, scores={}, status="invalid", assignment="",
                       possible=0, reason="empty file"),
    }
    report.write_csv(out, rows, ["q1", "q2"])
    assert out.read_text(encoding="utf-8") == (
        "submission,sha256,assignment,q1,q2,total,possible,status,reason\n"
        "a/alice.ipynb,00,01_closed_form,1,2,3,6,graded,\n"
        "b/bob.ipynb,00,01_closed_form,0.5,2,2.5,6,graded,\"q1 0.5/1: wrong, \"\"badly\"\"\"\n"
        "z.ipynb,00,,0,0,0,0,invalid,empty file\n")
    # and a CSV reader gets the reason back whole
    with open(out, newline="", encoding="utf-8") as f:
        parsed = list(csv.DictReader(f))
    assert parsed[1]["reason"] == "q1 0.5/1: wrong, \"badly\""


def test_write_csv_a_row_without_scores_and_no_question_columns(tmp_path):
    out = tmp_path / "g.csv"
    r = row("x.ipynb", scores={})
    del r["scores"]
    report.write_csv(out, {"x.ipynb": r}, ["q1"])
    assert out.read_text().splitlines()[1] == "x.ipynb,00,01_closed_form,0,3,6,graded,"
    report.write_csv(out, {}, [])
    assert out.read_text() == "submission,sha256,assignment,total,possible,status,reason\n"


def test_write_csv_keeps_non_ascii_and_line_breaks_in_quotes(tmp_path):
    out = tmp_path / "g.csv"
    report.write_csv(out, {"é.ipynb": row("é.ipynb", reason="line 1\nline 2 ✓")}, [])
    with open(out, newline="", encoding="utf-8") as f:
        parsed = list(csv.reader(f))
    assert parsed[1][0] == "é.ipynb" and parsed[1][-1] == "line 1\nline 2 ✓"


def test_write_csv_replaces_the_file_whole_and_leaves_no_temporary(tmp_path):
    out = tmp_path / "sub" / "grades.csv"  # the folder is created
    report.write_csv(out, {"a": row("a")}, ["q1"])
    report.write_csv(out, {"b": row("b")}, ["q1"])
    assert out.read_text().splitlines()[1:] == ["b,00,01_closed_form,1,3,6,graded,"]
    assert [p.name for p in out.parent.iterdir()] == ["grades.csv"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary(tmp_path, monkeypatch):
    out = tmp_path / "grades.csv"
    report.write_csv(out, {"a": row("a")}, ["q1"])
    before = out.read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(report.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        report.write_csv(out, {"b": row("b")}, ["q1"])
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["grades.csv"]


def test_an_interrupted_write_removes_the_temporary_too(tmp_path, monkeypatch):
    def interrupted_fsync(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(report.os, "fsync", interrupted_fsync)
    with pytest.raises(KeyboardInterrupt):
        report.atomic_write(tmp_path / "f.md", "text")
    assert list(tmp_path.iterdir()) == []


# --- Journal -------------------------------------------------------------------------------------
def test_journal_of_a_first_run_is_empty(tmp_path):
    assert report.Journal(tmp_path / "none" / ".journal.jsonl").load() == {}


def test_journal_append_then_load(tmp_path):
    j = report.Journal(tmp_path / "fb" / ".journal.jsonl")  # the folder is created
    j.append(entry("a.ipynb"))
    j.append(entry("b/c.ipynb", total=1.5))
    assert j.load() == {"a.ipynb": entry("a.ipynb"), "b/c.ipynb": entry("b/c.ipynb", total=1.5)}
    lines = j.path.read_text().splitlines()
    assert len(lines) == 2 and json.loads(lines[1]) == entry("b/c.ipynb", total=1.5)


def test_journal_the_last_line_of_a_submission_wins(tmp_path):
    j = report.Journal(tmp_path / ".journal.jsonl")
    j.append(entry("a.ipynb", total=1, sha="old"))
    j.append(entry("b.ipynb"))
    j.append(entry("a.ipynb", total=2, sha="new"))
    loaded = j.load()
    assert list(loaded) == ["a.ipynb", "b.ipynb"]
    assert loaded["a.ipynb"]["row"]["sha256"] == "new" and loaded["a.ipynb"]["row"]["total"] == 2


def test_journal_skips_a_line_cut_short_and_lines_that_are_not_entries(tmp_path):
    j = report.Journal(tmp_path / ".journal.jsonl")
    good = json.dumps(entry("a.ipynb"))
    j.path.write_text("\n".join([
        good,
        "",                                           # empty line
        "[1, 2]",                                     # JSON, not an entry
        '"text"',
        '{"fingerprint": "fp"}',                      # no row
        '{"row": {"sha256": "x"}}',                   # a row without its submission
        '{"row": {"submission": ["a"]}}',             # a submission that is not a key
        json.dumps(entry("b.ipynb")),
        json.dumps(entry("c.ipynb"))[:-7],            # the interruption: cut short
    ]))
    assert list(j.load()) == ["a.ipynb", "b.ipynb"]


def test_journal_survives_bytes_that_are_not_utf8(tmp_path):
    j = report.Journal(tmp_path / ".journal.jsonl")
    j.path.write_bytes(b"\xff\xfe garbage\n" + json.dumps(entry("a.ipynb")).encode() + b"\n")
    assert list(j.load()) == ["a.ipynb"]


def test_journal_compact_keeps_exactly_the_entries_given(tmp_path):
    j = report.Journal(tmp_path / ".journal.jsonl")
    for total, name in enumerate(("a", "b", "a", "c")):
        j.append(entry(name, total=total))
    keep = {k: v for k, v in j.load().items() if k != "b"}
    assert [v["row"]["total"] for v in keep.values()] == [2, 3]
    j.compact(keep)
    assert j.path.read_text().splitlines() == [json.dumps(keep["a"]), json.dumps(keep["c"])]
    assert j.load() == keep
    j.compact({})
    assert j.path.read_text() == "" and j.load() == {}


def test_journal_resume_after_an_interruption(tmp_path):
    """What cli.main does: load, keep what is still valid, compact, then append new results."""
    j = report.Journal(tmp_path / ".journal.jsonl")
    j.append(entry("a.ipynb", sha="1"))
    j.append(entry("b.ipynb", sha="2"))
    with open(j.path, "a") as f:
        f.write(json.dumps(entry("c.ipynb"))[:20])  # killed while writing c's line
    previous = j.load()
    assert set(previous) == {"a.ipynb", "b.ipynb"}
    # b's file changed since: only a is kept; b and c are graded again and appended
    kept = {"a.ipynb": previous["a.ipynb"]}
    j.compact(kept)
    j.append(entry("b.ipynb", sha="2bis"))
    j.append(entry("c.ipynb", sha="3"))
    loaded = j.load()
    assert [(k, v["row"]["sha256"]) for k, v in loaded.items()] == [
        ("a.ipynb", "1"), ("b.ipynb", "2bis"), ("c.ipynb", "3")]
    assert len(j.path.read_text().splitlines()) == 3  # no half line, no duplicate


def test_journal_compact_is_atomic(tmp_path, monkeypatch):
    j = report.Journal(tmp_path / ".journal.jsonl")
    j.append(entry("a.ipynb"))
    before = j.path.read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(report.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        j.compact({})
    assert j.path.read_bytes() == before
    assert os.listdir(tmp_path) == [".journal.jsonl"]
