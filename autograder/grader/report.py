"""The grades CSV (rewritten atomically), the journal that makes runs resumable, and feedback files.

Beside ``OUT`` (``grades.csv``) the grader keeps two folders with one Markdown file per
submission: ``grades-feedback/`` for the students and ``grades-report/`` for the instructor, which
also holds ``.journal.jsonl``: one line per graded submission (its row and both texts), appended
and synced as soon as it is graded. A run that is interrupted and started again takes the rows
of the journal whose file (sha256) and grader (fingerprint) are unchanged and grades only the
rest, so no submission is graded twice and no row is duplicated (the last line for a file wins).

Any name the file system accepts gets its row. The journal keys rows by the path as Python reads
it (bytes that are not UTF-8, as unzipping a Latin-1 zip from an LMS gives, are kept through
``surrogateescape``); the CSV and the feedback show it with such bytes as ``\\xe9``
(:func:`display_name`), and a CSV cell that would start with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return gets a leading ``'`` so that no spreadsheet reads it as a formula
(:func:`csv_cell`). A feedback file's name is the submission's, shortened with a hash when it
would be too long for the file system (:func:`feedback_path`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
from pathlib import Path

FIXED = ["submission", "sha256", "assignment"]
TAIL = ["total", "possible", "status", "reason"]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_NAME_BYTES = 200  # a file name's bytes, leaving room for ".md" and atomic_write's prefix


def feedback_dir(out: Path) -> Path:
    """The student feedback: what may be returned to students (see ``scoring.feedback``)."""
    return out.with_name(f"{out.stem}-feedback")


def report_dir(out: Path) -> Path:
    """The instructor's reports (everything) and the journal: not for students."""
    return out.with_name(f"{out.stem}-report")


def write_feedback(entry: dict, feedback: Path, reports: Path, reveal: bool = False,
                   only_changed: bool = False) -> None:
    """Write a journal entry's two texts: the instructor report, and the student feedback (the
    report itself when ``reveal``)."""
    texts = entry.get("feedback")
    if not isinstance(texts, dict):
        return
    rel = entry["row"]["submission"]
    for folder, text in ((reports, texts.get("instructor")),
                         (feedback, texts.get("instructor") if reveal else texts.get("student"))):
        if not isinstance(text, str):
            continue
        path = feedback_path(folder, rel)
        if only_changed:
            try:
                if path.read_text(encoding="utf-8") == text:
                    continue
            except (OSError, ValueError):
                pass
        atomic_write(path, text)


def display_name(rel: str) -> str:
    """A submission's path as text: bytes that are not UTF-8 shown as ``\\xe9``."""
    return os.fsencode(rel).decode("utf-8", "backslashreplace")


def csv_cell(value) -> str:
    """A CSV cell no spreadsheet takes for a formula (``=1+1`` is written ``'=1+1``)."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _short(component: str, digest: str) -> str:
    raw = component.encode("utf-8")
    if len(raw) <= MAX_NAME_BYTES:
        return component
    cut = raw[: MAX_NAME_BYTES - 14].decode("utf-8", "ignore")
    return f"{cut}-{digest}"


def feedback_path(folder: Path, rel: str) -> Path:
    """Where the feedback of submission ``rel`` goes: ``folder/<rel>.md``, every part of the
    path as :func:`display_name` shows it, and shortened (with a hash of the whole path) when
    too long for the file system."""
    digest = hashlib.sha256(os.fsencode(rel)).hexdigest()[:12]
    parts = [_short(p, digest) for p in display_name(rel).split("/")
             if p not in ("", ".", "..")]
    parts[-1] = _short(parts[-1] + ".md", digest)
    if not parts[-1].endswith(".md"):
        parts[-1] += ".md"
    return folder.joinpath(*parts)


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def number(x) -> str:
    x = float(x)
    return str(int(x)) if x.is_integer() else f"{x:g}"


def write_csv(out: Path, rows: dict[str, dict], questions: list[str]) -> None:
    """All rows, sorted by submission path, every question column a number."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(FIXED + questions + TAIL)
    for name in sorted(rows):
        r = rows[name]
        scores = r.get("scores", {})
        w.writerow([csv_cell(c) for c in
                    [display_name(r["submission"]), r["sha256"], r["assignment"]]
                    + [number(scores.get(q, 0)) for q in questions]
                    + [number(r["total"]), number(r["possible"]), r["status"], r["reason"]]])
    atomic_write(out, buf.getvalue())


class Journal:
    """Append-only record of finished submissions (one JSON line each, fsynced)."""

    def __init__(self, path: Path):
        self.path = path

    def load(self) -> dict[str, dict]:
        entries = {}
        if not self.path.is_file():
            return entries
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                e = json.loads(line)
                entries[e["row"]["submission"]] = e
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by an interruption
        return entries

    def append(self, entry: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")
            f.flush()
            os.fsync(f.fileno())

    def compact(self, keep: dict[str, dict]) -> None:
        atomic_write(self.path, "".join(json.dumps(e) + "\n" for e in keep.values()))
