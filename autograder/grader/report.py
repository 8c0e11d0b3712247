"""The grades CSV (rewritten atomically), the journal that makes runs resumable, and feedback files.

Beside ``OUT`` (``grades.csv``) the grader keeps a folder ``grades-feedback/`` with one Markdown
file per submission and ``.journal.jsonl``: one line per graded submission, appended and synced
as soon as it is graded. A run that is interrupted and started again takes the rows of the
journal whose file (sha256) and grader (fingerprint) are unchanged and grades only the rest, so
no submission is graded twice and no row is duplicated (the last line for a file wins).
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

FIXED = ["submission", "sha256", "assignment"]
TAIL = ["total", "possible", "status", "reason"]


def feedback_dir(out: Path) -> Path:
    return out.with_name(f"{out.stem}-feedback")


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
        w.writerow([r["submission"], r["sha256"], r["assignment"]]
                   + [number(scores.get(q, 0)) for q in questions]
                   + [number(r["total"]), number(r["possible"]), r["status"], r["reason"]])
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
