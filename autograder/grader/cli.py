"""Grade a folder of student notebooks: ``python -m autograder.grader SUBMISSIONS [--out FILE]``.

Every ``.ipynb`` under SUBMISSIONS (hidden folders such as ``.ipynb_checkpoints`` skipped) gets
one row in the CSV: ``submission, sha256, assignment, <one column per question>, total,
possible, status, reason``. Status is ``graded`` (every question ran), ``partial`` (an answer
cell is missing), ``timeout`` (a call, cell or the notebook ran out of time), ``error`` (the
kernel died or Spark did not start), ``invalid`` (not a gradable notebook) or ``review`` (the
submission changed the measuring code in its process: the measured tests score 0; a person
should look). Feedback for
each submission goes to ``<OUT stem>-feedback/<submission>.md``.
A row whose feedback cannot be written is an ``error`` too. Any file name gets its row: bytes
that are not UTF-8 are shown as ``\\xe9``, and a cell that would start with ``=``, ``+``, ``-`` or
``@`` is written with a leading ``'`` (no spreadsheet formulas).

Two outputs per submission: ``<OUT stem>-report/<submission>.md``, the instructor's report
(every call, expected and returned value, what the notebook printed), and the feedback above,
what may go back to the student: hidden tests say only passed/FAILED and a hint. ``--reveal``
(after the deadline) makes the student feedback the full report, without grading again. The CSV
and the report folder are for the instructor only.

Submissions are read once and never modified; each runs in a sandbox (see ``sandbox.py``);
scores are computed here, from the plain data the sandbox returns, against the reference
submission's results. The CSV is rewritten atomically after every submission and every row is
journalled (``<OUT stem>-report/.journal.jsonl``) as soon as it is graded: an interrupted run,
or one that failed, picks up where it stopped.

A large class over several machines (any batch scheduler): run shard K of N on each,
``python -m autograder.grader SUBMISSIONS --shard K/N --out grades-K.csv`` (a fixed 1/N of the
files, by a hash of each file's path under SUBMISSIONS, whatever the order or the machine), then
``python -m autograder.grader merge --out grades.csv grades-*.csv`` joins the shards' rows,
feedback and reports: the same files as one run over everything.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import stat
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed, wait
from pathlib import Path

from autograder.grader import assignments as asg
from autograder.grader import report, sandbox, scoring
from autograder.grader.runner import Limits, Run

GRADER_FILES = ("assignments.py", "cli.py", "harness.py", "magics.py", "report.py",
                "runner.py", "sandbox.py", "scoring.py", "spec.py")


def grader_version() -> str:
    h = hashlib.sha256()
    for name in GRADER_FILES:
        h.update((asg.GRADER_DIR / name).read_bytes())
    return h.hexdigest()[:16]


def discover(root: Path, skip: list[Path]) -> list[tuple[str, Path]]:
    """``(path relative to root, path)`` of every notebook under root, sorted."""
    found = []
    skip_resolved = {p.resolve() for p in skip}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and Path(dirpath, d).resolve() not in skip_resolved)
        for f in sorted(filenames):
            if f.endswith(".ipynb") and not f.startswith("."):
                path = Path(dirpath, f)
                found.append((path.relative_to(root).as_posix(), path))
    return found


def read_bytes(path: Path) -> bytes:
    """The file's bytes, without following a symbolic link (and without modifying anything)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise asg.NotGradable("not a regular file")
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > asg.MAX_NOTEBOOK_BYTES:
                raise asg.NotGradable(f"file is larger than {asg.MAX_NOTEBOOK_BYTES:,} bytes")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


class Batch:
    def __init__(self, args, known: dict, config: sandbox.Config, limits: Limits):
        self.args, self.known, self.config, self.limits = args, known, config, limits
        self.version = grader_version()
        self.not_isolated = "" if config.isolated else "NOT ISOLATED (no sandbox)"
        self.references: dict[str, dict] = {}
        self.slots = list(range(max(1, args.jobs)))
        self.slot_lock = threading.Lock()

    def fingerprint(self, assignment) -> str:
        return self.version + (":" + assignment.fingerprint()[:20] if assignment else "")

    def prepare(self, rel: str, path: Path) -> dict:
        """Read and parse one file: a finished entry (invalid) or what to run."""
        try:
            return self._prepare(rel, path)
        except Exception as err:  # noqa: BLE001 - one row, never the batch
            return {"rel": rel, "sha": "", "assignment": None, "sub": None,
                    "invalid": f"grader error reading the file: {type(err).__name__}: {err}"[:500]}

    def _prepare(self, rel: str, path: Path) -> dict:
        item = {"rel": rel, "sha": "", "assignment": None, "sub": None, "invalid": ""}
        try:
            data = read_bytes(path)
        except OSError as err:
            if os.path.islink(path):
                item["invalid"] = "a symbolic link, not a notebook file: not graded"
            else:
                item["invalid"] = f"cannot read the file ({err.strerror})"
            return item
        except asg.NotGradable as err:
            item["invalid"] = str(err)
            return item
        item["sha"] = hashlib.sha256(data).hexdigest()
        try:
            nb = asg.parse_notebook(data)
            a = asg.identify(nb, rel, self.known, self.args.assignment)
            item["assignment"] = a
            item["sub"] = asg.read_submission(nb, a)
        except asg.NotGradable as err:
            item["invalid"] = str(err)
            if item["assignment"] is None:
                item["assignment"] = (self.known.get(self.args.assignment or "")
                                      or asg.guess_from_name(rel, self.known))
        return item

    def invalid_entry(self, item) -> tuple[dict, str]:
        a = item["assignment"]
        row = {"submission": item["rel"], "sha256": item["sha"],
               "assignment": a.name if a else "",
               "scores": {q.name: 0 for q in a.questions} if a else {},
               "total": 0, "possible": a.possible if a else 0, "status": "invalid",
               "reason": item["invalid"]}
        fb = scoring.feedback(report.display_name(item["rel"]), item["sha"], None, None,
                              "invalid", f"This file could not be graded: {item['invalid']}.")
        return {"fingerprint": self.fingerprint(None), "row": row,
                "feedback": {"student": fb, "instructor": fb}}, fb

    def grade(self, item) -> tuple[dict, str]:
        if item["invalid"]:
            return self.invalid_entry(item)
        a, sub = item["assignment"], item["sub"]
        with self.slot_lock:
            slot = self.slots.pop()
        try:
            run = Run(a, sub.answers, sub.missing, self.config, slot, self.limits,
                      tag=hashlib.sha1(os.fsencode(item["rel"])).hexdigest()[:8],
                      order=sub.order, unanswered=sub.unanswered).run()
        finally:
            with self.slot_lock:
                self.slots.append(slot)
        g = scoring.grade(a, run, self.references[a.name], self.not_isolated)
        reason = g.reason
        if sub.notes:
            reason = "; ".join([reason] + sub.notes) if reason else "; ".join(sub.notes)
        row = {"submission": item["rel"], "sha256": item["sha"], "assignment": a.name,
               "scores": g.scores, "total": g.total, "possible": g.possible, "status": g.status,
               "reason": reason}
        name = report.display_name(item["rel"])
        fb = scoring.feedback(name, item["sha"], a, g, g.status, reason, run)
        student = scoring.feedback(name, item["sha"], a, g, g.status, reason, run,
                                   audience="student", notes=sub.notes)
        return {"fingerprint": self.fingerprint(a), "row": row,
                "feedback": {"student": student, "instructor": fb},
                "seconds": round(run.seconds, 2), "sandboxes": run.sandboxes,
                "peak_mib": run.peak_memory >> 20}, fb


def error_entry(item, reason: str) -> tuple[dict, str]:
    """The row and feedback of a submission the grader itself failed on."""
    a = item["assignment"]
    entry = {"fingerprint": "", "row": {
        "submission": item["rel"], "sha256": item["sha"], "assignment": a.name if a else "",
        "scores": {q.name: 0 for q in a.questions} if a else {}, "total": 0,
        "possible": a.possible if a else 0, "status": "error", "reason": reason[:500]}}
    fb = scoring.feedback(report.display_name(item["rel"]), item["sha"], None, None, "error",
                          reason[:500])
    entry["feedback"] = {"student": fb, "instructor": fb}
    return entry, fb


def _columns(rows: dict, known: dict) -> list[str]:
    used = [known[n] for n in sorted({r["assignment"] for r in rows.values()}) if n in known]
    cols: list[str] = []
    for a in used or list(known.values()):
        cols += [q.name for q in a.questions if q.name not in cols]
    return cols


def _loud(message: str) -> None:
    bar = "!" * 78
    print(f"{bar}\n{message}\n{bar}", file=sys.stderr)


def in_shard(rel: str, shard: tuple[int, int] | None) -> bool:
    """Whether submission ``rel`` belongs to shard ``(K, N)``: by a hash of its relative path,
    so the split does not depend on the order files are listed in, nor on other files."""
    if shard is None:
        return True
    k, n = shard
    digest = hashlib.sha256(os.fsencode(rel)).digest()
    return int.from_bytes(digest[:8], "big") % n == k - 1


def _shard(text: str) -> tuple[int, int]:
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected K/N, e.g. 2/8") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError(f"{text!r}: K must be between 1 and N")
    return k, n


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["merge"]:
        return merge(argv[1:])
    p = argparse.ArgumentParser(prog="python -m autograder.grader",
                                usage="%(prog)s SUBMISSIONS [options]\n"
                                      "       %(prog)s merge --out OUT SHARD.csv [SHARD.csv ...]",
                                description="\n\n".join(__doc__.split("\n\n")[:2]),
                                epilog=__doc__.split("\n\n", 2)[2],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("submissions", type=Path, help="folder of .ipynb files (searched recursively)")
    p.add_argument("--out", type=Path, default=Path("grades.csv"), help="CSV to write "
                   "(default grades.csv); feedback goes to <OUT stem>-feedback/")
    p.add_argument("--jobs", "-j", type=int, default=min(2, os.cpu_count() or 1),
                   help="submissions graded at once (default: 2, or 1 on one core)")
    p.add_argument("--assignment", help="grade every notebook as this assignment (NN_topic)")
    p.add_argument("--fresh", action="store_true", help="ignore earlier results in the journal")
    p.add_argument("--shard", type=_shard, metavar="K/N",
                   help="grade only shard K of N (a fixed 1/N of the files, by a hash of their "
                        "path under SUBMISSIONS); give each shard its own --out, then join them "
                        "with `python -m autograder.grader merge --out OUT SHARD.csv...`")
    p.add_argument("--reveal", action="store_true",
                   help="student feedback shows the hidden tests' calls, expected values and "
                        "what the notebook printed, as the instructor's report does (after the "
                        "deadline; no regrading needed: the journal keeps both texts)")
    p.add_argument("--sandbox", choices=["auto", "bwrap", "none"], default="auto",
                   help="bwrap (default when it works) or none (limits only: NOT isolated)")
    p.add_argument("--memory", default="2G", help="memory per submission (default 2G)")
    p.add_argument("--pids", type=int, default=512, help="processes+threads per submission")
    p.add_argument("--cell-timeout", type=float, default=60, help="seconds per answer cell")
    p.add_argument("--timeout-scale", type=float, default=1.0,
                   help="multiply the probes' per-call timeouts (slow machines)")
    p.add_argument("--notebook-timeout", type=float, default=None,
                   help="seconds per notebook (default: the probe's, 900)")
    p.add_argument("--cache", type=Path, default=scoring.CACHE_DIR,
                   help="where reference results are cached (default build/grader)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = p.parse_args(argv)

    if not args.submissions.is_dir():
        p.error(f"{args.submissions} is not a folder")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    known, notes = asg.available()
    for n in notes:
        print(f"note: {n}", file=sys.stderr)
    if not known:
        print("error: no gradable assignment (autograder/questions/NN_topic.py with its notebooks)",
              file=sys.stderr)
        return 3
    if args.assignment and args.assignment not in known:
        p.error(f"--assignment {args.assignment}: known are {', '.join(known)}")
    config = sandbox.configure(args.sandbox, memory=args.memory, pids=args.pids)
    for w in config.warnings:
        _loud(f"WARNING: {w}") if "NOT ISOLATED" in w else print(f"warning: {w}", file=sys.stderr)
    limits = Limits(cell=args.cell_timeout, scale=args.timeout_scale,
                    notebook=args.notebook_timeout)
    out = args.out.resolve()
    fb_dir, report_dir = report.feedback_dir(out), report.report_dir(out)
    journal = report.Journal(report_dir / ".journal.jsonl")
    old_journal = fb_dir / ".journal.jsonl"  # where earlier versions kept it: not for students
    if old_journal.is_file() and not journal.path.exists():
        report_dir.mkdir(parents=True, exist_ok=True)
        os.replace(old_journal, journal.path)
    batch = Batch(args, known, config, limits)

    files = [(rel, path) for rel, path in discover(args.submissions, skip=[fb_dir, report_dir])
             if in_shard(rel, args.shard)]
    previous = {} if args.fresh else journal.load()
    rows, todo = {}, []
    for rel, path in files:
        item = batch.prepare(rel, path)
        old = previous.get(rel)
        if (old and old["row"].get("sha256") == item["sha"]
                and old.get("fingerprint") == batch.fingerprint(
                    None if item["invalid"] else item["assignment"])):
            rows[rel] = old["row"]
        else:
            todo.append(item)
    kept = {rel: previous[rel] for rel in rows}
    journal.compact(kept)
    for entry in kept.values():  # --reveal (or not) applies to the rows kept as well
        try:
            report.write_feedback(entry, fb_dir, report_dir, args.reveal, only_changed=True)
        except Exception:  # noqa: BLE001 - the file stays as the last run wrote it
            pass

    def stop(signum, frame):  # SIGTERM: the same as Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    started = time.monotonic()
    try:
        for name in sorted({i["assignment"].name for i in todo if not i["invalid"]}):
            source = ("the declared expected values" if scoring.declared_oracle(known[name])
                      else "cached" if _cached(known[name], args.cache) else "computing (once)")
            print(f"reference results of {name}: {source}", file=sys.stderr)
            try:
                batch.references[name] = scoring.reference_results(known[name], config, limits,
                                                                   args.cache)
            except scoring.ReferenceFailed as err:
                print(f"error: {err}", file=sys.stderr)
                return 2
        report.write_csv(out, rows, _columns(rows, known))
        counts: dict[str, int] = {}
        for r in rows.values():
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        from tqdm import tqdm
        bar = tqdm(total=len(files), initial=len(rows), desc="grading", unit="nb",
                   file=sys.stderr, disable=args.no_progress, dynamic_ncols=True,
                   smoothing=0.1)
        t_grade = time.monotonic()
        def record(item, fut) -> dict:
            """The row of one finished submission, journalled; nothing here stops the batch."""
            try:
                entry, fb = fut.result()
            except Exception as err:  # noqa: BLE001 - one row, never the batch
                entry, fb = error_entry(item, f"grader error: {type(err).__name__}: {err}")
            entry.setdefault("feedback", {"student": fb, "instructor": fb})
            try:
                report.write_feedback(entry, fb_dir, report_dir, args.reveal)
            except Exception as err:  # noqa: BLE001 - that row's error, not the batch's
                row = entry["row"]
                row["status"] = "error"
                row["reason"] = "; ".join(filter(None, [
                    row["reason"], f"its feedback could not be written "
                    f"({type(err).__name__}: {err})"[:300]]))
                entry["fingerprint"] = ""  # graded again by the next run
            journal.append(entry)
            rows[item["rel"]] = entry["row"]
            try:
                report.write_csv(out, rows, _columns(rows, known))
            except OSError:
                pass  # the journal has the row; the CSV is written again next row and at the end
            return entry["row"]

        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = {pool.submit(batch.grade, item): item for item in todo}
            try:
                for fut in as_completed(futures):
                    row = record(futures[fut], fut)
                    counts[row["status"]] = counts.get(row["status"], 0) + 1
                    bar.set_postfix({k: v for k, v in sorted(counts.items())}, refresh=False)
                    bar.update(1)
            except KeyboardInterrupt:
                sandbox.STOPPING.set()
                for f in futures:
                    f.cancel()
                sandbox.kill_everything()
                raise
            except BaseException:
                # Whatever failed here, the submissions still in flight finish and are
                # journalled: a second run keeps them.
                for f in futures:
                    f.cancel()
                wait([f for f in futures if not f.cancelled()])
                for f in futures:
                    if not f.cancelled() and futures[f]["rel"] not in rows:
                        try:
                            record(futures[f], f)
                        except Exception:  # noqa: BLE001
                            pass
                raise
        bar.close()
    except KeyboardInterrupt:
        sandbox.STOPPING.set()
        sandbox.kill_everything()
        report.write_csv(out, rows, _columns(rows, known))
        print(f"\ninterrupted: {len(rows)} of {len(files)} rows in {out}; run the same command "
              "again to grade the rest", file=sys.stderr)
        return 130
    try:
        report.write_csv(out, rows, _columns(rows, known))
    except OSError as err:
        print(f"error: cannot write {out} ({err}); every row is in {journal.path}: run the "
              "same command again to write it", file=sys.stderr)
        return 2
    graded_now = len(todo)
    seconds = time.monotonic() - started
    summary = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
    rate = ""
    if graded_now:
        per = (time.monotonic() - t_grade) / graded_now
        rate = f"; {per:.1f} s per notebook, {60 / per:.1f} per minute with {args.jobs} jobs"
    print(f"{len(rows)} notebooks ({summary}) -> {out}; student feedback in {fb_dir}/"
          f"{' (hidden tests REVEALED)' if args.reveal else ''}, full reports in {report_dir}/ "
          f"[{graded_now} graded now in {seconds:.0f} s{rate}]", file=sys.stderr)
    for w in config.warnings:
        if "NOT ISOLATED" in w:
            _loud(f"WARNING: {w}")
    return 0


def _cached(assignment, cache: Path) -> bool:
    return (cache / f"{assignment.name}-{assignment.fingerprint()[:20]}.json").is_file()


def merge(argv) -> int:
    """``python -m autograder.grader merge --out OUT SHARD.csv...``: one CSV, feedback and report
    folder and journal from the shards' journals, the same as one run over all the files."""
    p = argparse.ArgumentParser(prog="python -m autograder.grader merge",
                                description="Join the outputs of `--shard K/N` runs (each with "
                                            "its own --out) into one, as if graded in one run.")
    p.add_argument("shards", type=Path, nargs="+", help="the shards' CSV files (their "
                   "<stem>-report/.journal.jsonl is read, <stem>-feedback/ is not needed)")
    p.add_argument("--out", type=Path, required=True, help="the merged CSV; its feedback and "
                   "report folders are written beside it")
    p.add_argument("--reveal", action="store_true",
                   help="student feedback shows everything, as with grading --reveal")
    args = p.parse_args(argv)
    out = args.out.resolve()
    entries: dict[str, dict] = {}
    versions: set[str] = set()
    for shard in args.shards:
        journal = report.Journal(report.report_dir(shard.resolve()) / ".journal.jsonl")
        if not journal.path.is_file():
            p.error(f"{shard}: no journal at {journal.path} (was it graded with --out {shard}?)")
        for rel, entry in journal.load().items():
            if rel in entries and entries[rel]["row"] != entry["row"]:
                print(f"warning: {report.display_name(rel)} is in more than one shard with "
                      f"different rows; {shard}'s is kept", file=sys.stderr)
            entries[rel] = entry
            if entry.get("fingerprint"):
                versions.add(entry["fingerprint"].split(":")[0])
    if len(versions) > 1:
        print("warning: the shards were graded by different versions of the grader",
              file=sys.stderr)
    known, _ = asg.available()
    fb_dir, report_dir = report.feedback_dir(out), report.report_dir(out)
    report.Journal(report_dir / ".journal.jsonl").compact(
        {rel: entries[rel] for rel in sorted(entries)})
    missing = 0
    for entry in entries.values():
        if not isinstance(entry.get("feedback"), dict):
            missing += 1
        report.write_feedback(entry, fb_dir, report_dir, args.reveal)
    rows = {rel: e["row"] for rel, e in entries.items()}
    report.write_csv(out, rows, _columns(rows, known))
    if missing:
        print(f"warning: {missing} rows have no feedback in their journal (graded by an older "
              "grader): grade them again to write it", file=sys.stderr)
    print(f"{len(rows)} notebooks from {len(args.shards)} shards -> {out}; student feedback in "
          f"{fb_dir}/, full reports in {report_dir}/", file=sys.stderr)
    return 0
