"""Run one submission's answer cells and probe calls in sandboxes, surviving whatever they do.

The grader sends the harness the trusted set-up and the answer cells, then one question at a
time, and watches every step with a deadline: set-up, each answer cell, Spark's start, each
call. When a step times out, or the kernel dies (``os._exit``, a segfault, the memory or process
limit), the sandbox is killed and a new one carries on with what is left: the question that was
running scores 0 with the reason, an answer cell that killed the kernel is left out of the next
sandbox, and the other questions are still graded. A notebook-wide deadline bounds the whole.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field

from autograder.grader.assignments import Assignment, reference_answers
from autograder.grader.sandbox import Config, Ended, Sandbox

MAX_LINE = 8 * 1024 * 1024  # bytes of one record (the harness keeps a result under ~4.5 MB)


@dataclass
class Limits:
    """Deadlines in seconds (``scale`` multiplies every per-call timeout of the probes)."""

    cell: float = 60.0
    setup: float = 300.0
    spark: float = 300.0
    scale: float = 1.0
    notebook: float | None = None
    probe_setup: float = 120.0   # a call's trusted set-up (inputs, synthetic data), not scaled


@dataclass
class QuestionRun:
    name: str
    state: str                 # done | timeout | died | missing | unanswered | error
    calls: list = field(default_factory=list)
    reason: str = ""


@dataclass
class RunResult:
    questions: dict
    cell_errors: dict
    setup_skipped: list
    output: str
    sandboxes: int
    seconds: float
    forged: int
    notes: list
    timeline: list = field(default_factory=list)
    peak_memory: int = 0
    output_bytes: int = 0


class _Failure(Exception):
    def __init__(self, kind: str, detail: str = ""):
        super().__init__(kind, detail)
        self.kind, self.detail = kind, detail


_STANDIN_CACHE: dict[str, dict[str, str]] = {}


def standin_sources(assignment: Assignment) -> dict[str, str]:
    """Question -> the reference's answer-cell code for it (what stand-ins run)."""
    if assignment.name not in _STANDIN_CACHE:
        answers = reference_answers(assignment)
        _STANDIN_CACHE[assignment.name] = {
            q: "\n\n".join(answers[c] for c in assignment.cells_of(q) if c in answers)
            for q in {q for _, q in assignment.answer_cells if q}}
    return _STANDIN_CACHE[assignment.name]


def _fmt(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"


class Run:
    """The grading of one submission (``answers``: cell id -> source)."""

    def __init__(self, assignment: Assignment, answers: dict[str, str],
                 missing: dict[str, list[str]], config: Config, slot: int, limits: Limits,
                 tag: str = "run", order: list | None = None, unanswered=()):
        self.a, self.answers, self.config, self.slot = assignment, answers, config, slot
        # (key, question) in the order the cells run (the submission's; pasted copies included)
        self.order = order if order is not None else [
            (cid, q) for cid, q in assignment.answer_cells if cid in answers]
        self.limits, self.tag = limits, tag
        self.results: dict[str, QuestionRun] = {}
        for q, cells in missing.items():
            self.results[q] = QuestionRun(q, "missing", reason=(
                f"its answer cell{'s' if len(cells) > 1 else ''} ({', '.join(cells)}) "
                "is missing from the notebook (deleted, or its id changed)"))
        for q in unanswered:  # nothing to run: a blank question needs no sandbox, no Spark
            self.results[q] = QuestionRun(q, "unanswered", reason=(
                "not answered (its answer cell is as handed out)"))
        self.pending = [q for q in assignment.questions if q.name not in self.results]
        self.poisoned: dict[str, str] = {}
        self.cell_errors: dict[str, dict] = {}
        self.setup_skipped: list[str] = []
        self.outputs: list[str] = []
        self.notes: list[str] = []
        self.forged = 0
        self.sandboxes = 0
        self.spark_retried = False
        self.setup_retried = False
        self.where: tuple = ("setup",)
        self.nonce = ""
        self.t0 = time.monotonic()
        self.timeline: list = []
        self.in_spark = False        # Spark is starting in the current sandbox
        self.spark_extended = False  # its start was given the Spark limit (once per sandbox)
        self.setup_seconds = 0.0     # probe set-up time, on the grader's clock (not the call's)
        self.spark_started = False   # ... and has started
        self.recycled = False
        self.spark_procs = 0         # processes in the sandbox after its last Spark question
        self.peak = 0
        self.output_bytes = 0
        budget = limits.notebook or assignment.notebook_timeout
        self.deadline = time.monotonic() + budget
        self.budget = budget

    # -- the event stream
    def _expect(self, sb: Sandbox, ev_name: str, match: dict, timeout: float,
                spark_fatal: bool = True, extend: bool = True) -> dict:
        """The next record, ``ev_name`` matching ``match``, within ``timeout`` seconds of the
        grader's own clock. Only the first ``spark-start`` of a sandbox, outside a call's own
        run (``extend=False``), may give Spark's start its own limit: records are forgeable
        (the nonce is readable in the sandbox), so no other record extends a deadline."""
        now = time.monotonic()
        deadline = min(now + timeout, self.deadline)
        extended = False
        while True:
            line = sb.next_line(deadline - time.monotonic())
            if line == "timeout":
                if time.monotonic() >= self.deadline - 0.01:
                    raise _Failure("notebook-timeout")
                raise _Failure("timeout", _fmt(timeout))
            if line is None:
                raise _Failure("died")
            if not line.strip():
                continue
            if isinstance(line, dict):  # overflow marker from the reader
                raise _Failure("protocol", "the sandbox sent too much data")
            ev = self._parse(line)
            if ev is None:
                continue
            kind = ev.get("ev")
            self.timeline.append((round(time.monotonic() - self.t0, 2), str(kind)[:20],
                                  ev.get("q"), ev.get("i")))
            if kind == "spark-start":
                if extend and not self.spark_extended:
                    self.spark_extended = extended = True
                    self.in_spark = True
                    deadline = min(time.monotonic() + self.limits.spark, self.deadline)
                continue
            if kind == "spark-end":
                if not extended:
                    continue
                extended = False
                self.in_spark = False
                self.spark_started = not ev.get("error")
                if ev.get("error") and spark_fatal:
                    err = ev["error"] if isinstance(ev["error"], dict) else {}
                    raise _Failure("spark", str(err.get("message", ""))[:300])
                deadline = min(time.monotonic() + timeout, self.deadline)
                continue
            if kind == "standin-error":
                self.notes.append(f"reference stand-in {ev.get('name')} failed: "
                                  f"{str(ev.get('error'))[:200]}")
                continue
            if kind == "harness-error":
                raise _Failure("died", f"grader harness error: {str(ev.get('error'))[:300]}")
            if kind == ev_name and all(ev.get(k) == v for k, v in match.items()):
                return ev
            raise _Failure("protocol", f"unexpected {str(kind)[:40]} record")

    def _parse(self, line: bytes):
        if len(line) > MAX_LINE:
            self.forged += 1
            return None
        try:
            ev = json.loads(line)
        except (ValueError, RecursionError):
            self.forged += 1
            return None
        if not isinstance(ev, dict) or ev.get("nonce") != self.nonce:
            self.forged += 1
            return None
        return ev

    # -- one sandbox
    def _session(self, sb: Sandbox) -> None:
        a, lim = self.a, self.limits
        self.nonce = secrets.token_hex(16)
        cells = [(cid, q) for cid, q in self.order
                 if cid in self.answers and cid not in self.poisoned]
        self.where = ("setup",)
        sb.send({"op": "hello", "nonce": self.nonce, "setup": a.setup_sources,
                 "setup_mode": a.setup_mode,
                 "prestart": any(q.spark for q in self.pending),
                 "answers": [{"id": cid, "source": self.answers[cid]} for cid, _ in cells]})
        ev = self._expect(sb, "setup-done", {}, lim.setup)
        self.setup_skipped = [str(s)[:200] for s in ev.get("skipped") or []][:50]
        for cid, q in cells:
            self.where = ("cell", cid, q)
            self._expect(sb, "cell-start", {"id": cid}, lim.cell, spark_fatal=False)
            ev = self._expect(sb, "cell-end", {"id": cid}, lim.cell, spark_fatal=False)
            if ev.get("error"):
                self.cell_errors[cid] = ev["error"]
            else:
                self.cell_errors.pop(cid, None)
        self.where = ("ready",)
        self._expect(sb, "ready", {}, lim.cell)
        standins = standin_sources(a)
        for q in list(self.pending):
            timeout = q.timeout * lim.scale
            if q.spark and not self.recycled and sb.cgroup:
                # Processes the submission left behind (a process spray, say) would starve
                # Spark's JVM of threads: give the Spark questions a fresh sandbox, once. This
                # holds after an earlier Spark question too (Spark's own processes, counted
                # when that question ended, are not the submission's): a spray in a later
                # question's call must not cost the Spark questions after it.
                left = len(sb.cgroup.pids_in()) - self.spark_procs
                if left > 32 or sb.cgroup.pids_exhausted():
                    self.recycled = True
                    self.notes.append("the submission left processes running: the Spark "
                                      "questions were run in a fresh sandbox")
                    raise _Failure("recycle")
            self.where = ("question", q.name, None)
            sb.send({"op": "question", "nonce": self.nonce, "q": q.name, "spark": q.spark,
                     "standins": {s: standins.get(s, "") for s in q.standins}})
            records = []
            for i, call in enumerate(q.calls()):
                # One call at a time: a call's set-up and inputs are not in the sandbox before
                # its turn, so no earlier call can read them.
                self.where = ("question", q.name, i)
                sb.send({"op": "call", "nonce": self.nonce, "i": i, **call.message()})
                # The probe's own set-up (inputs, synthetic data) has a limit of its own and
                # is not counted against the submission; the call's limit starts when the
                # grader hears that the call runs, and nothing extends it.
                t_setup = time.monotonic()
                self._expect(sb, "call-start", {"q": q.name, "i": i}, lim.probe_setup)
                self._expect(sb, "call-run", {"q": q.name, "i": i},
                             max(lim.probe_setup - (time.monotonic() - t_setup), 0.0))
                self.setup_seconds += time.monotonic() - t_setup
                records.append(self._expect(sb, "call-end", {"q": q.name, "i": i}, timeout,
                                            extend=False))
            sb.send({"op": "end-question", "nonce": self.nonce})
            self._expect(sb, "question-end", {"q": q.name}, timeout)
            self.results[q.name] = QuestionRun(q.name, "done", records)
            self.pending.remove(q)
            if q.spark and sb.cgroup:
                self.spark_procs = max(self.spark_procs, len(sb.cgroup.pids_in()))
        self.where = ("bye",)
        sb.send({"op": "bye", "nonce": self.nonce})

    def _fail(self, q: str, state: str, reason: str) -> None:
        self.results[q] = QuestionRun(q, state, reason=reason)
        self.pending = [p for p in self.pending if p.name != q]

    def _blame(self, failure: _Failure, ended: Ended) -> None:
        kind, where = failure.kind, self.where
        if kind == "recycle":
            return
        if self.in_spark and kind in ("timeout", "died") and where[0] == "question":
            kind = "spark"  # Spark's start itself failed: retried once below
            failure = _Failure("spark", failure.detail or ended.describe())
        if kind == "notebook-timeout":
            for q in list(self.pending):
                self._fail(q.name, "timeout", f"not graded: the notebook's time limit of "
                                              f"{_fmt(self.budget)} was reached")
            return
        if kind == "died":
            what = failure.detail or ended.describe()
        elif kind == "timeout":
            what = f"timed out after {failure.detail}"
        elif kind == "protocol":
            what = f"the sandbox broke the grading protocol ({failure.detail})"
        else:
            what = f"Spark did not start ({failure.detail})"
        state = {"died": "died", "timeout": "timeout"}.get(kind, "error")
        if where[0] in ("setup", "ready"):
            if not self.setup_retried:
                self.setup_retried = True
                self.notes.append(f"set-up failed once ({what}); retried in a new sandbox")
                return
            for q in list(self.pending):
                self._fail(q.name, "error", f"not graded: the notebook's set-up failed ({what})")
            return
        if where[0] == "cell":
            cid, q = where[1], where[2]
            self.poisoned[cid] = what
            if q and any(p.name == q for p in self.pending):
                self._fail(q, state, f"its answer cell {cid} {what}" if kind != "died"
                           else f"running its answer cell {cid}: {what}")
            return
        if where[0] == "question":
            q, i = where[1], where[2]
            if kind == "spark" and not self.spark_retried:
                self.spark_retried = True
                self.notes.append(f"Spark did not start for {q} ({failure.detail}); retried in "
                                  "a new sandbox")
                return
            call = f" in call {i + 1}" if i is not None else ""
            if kind == "died":
                self._fail(q, state, f"{what}{call}")
            else:
                self._fail(q, state, f"{what}{call}")
            return
        for q in list(self.pending):  # "bye": nothing pending normally
            self._fail(q.name, "error", what)

    def run(self) -> RunResult:
        t0 = time.monotonic()
        max_boxes = len(self.a.questions) + len(self.a.answer_cells) + 4
        while self.pending:
            if time.monotonic() >= self.deadline or self.sandboxes >= max_boxes:
                for q in list(self.pending):
                    self._fail(q.name, "timeout" if time.monotonic() >= self.deadline else "error",
                               f"not graded: the notebook's time limit of {_fmt(self.budget)} "
                               "was reached" if time.monotonic() >= self.deadline
                               else "not graded: too many kernel failures")
                break
            self.sandboxes += 1
            sb = Sandbox(self.config, self.slot, f"{self.tag}-{self.sandboxes}")
            self.in_spark = self.spark_started = self.spark_extended = False
            self.spark_procs = 0
            try:
                sb.start()
                self._session(sb)
                sb.wait_exit(10)
                ended = sb.stop()
            except _Failure as failure:
                if failure.kind == "died":
                    sb.wait_exit(10)
                ended = sb.stop()
                self._blame(failure, ended)
            except BaseException:
                sb.stop()
                raise
            self.forged += ended.forged
            self.peak = max(self.peak, ended.peak_memory or 0)
            self.output_bytes += ended.output_bytes
            out = (ended.stdout + ("\n" if ended.stdout and ended.stderr else "") + ended.stderr)
            if out.strip():
                self.outputs.append(out)
        output = "\n--- next sandbox ---\n".join(self.outputs)
        return RunResult(questions=self.results, cell_errors=self.cell_errors,
                         setup_skipped=self.setup_skipped, output=output[:64 * 1024],
                         sandboxes=self.sandboxes, seconds=time.monotonic() - t0,
                         forged=self.forged, notes=self.notes, timeline=self.timeline,
                         peak_memory=self.peak, output_bytes=self.output_bytes)
