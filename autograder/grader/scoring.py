"""Scores from plain data: the submission's results against the reference's, in trusted code.

Also the reference results themselves. They are the one oracle otter's test cells use too:
``autograder/questions/expected/`` (the reference run on every declared call by ``make assign``;
see :mod:`autograder.grader.incell`), read here when they are current. Otherwise (a declaration
edited without ``make assign``, or a root other than this repository's) the reference submission
runs through the same sandboxed harness, cached outside the repository's committed files
(``build/grader/``, readable by root only) under a hash of the declarations, the notebooks and
the grader.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder.grader import spec
from autograder.grader.assignments import ROOT, Assignment, base_id, reference_answers
from autograder.grader.runner import Limits, Run, RunResult

CACHE_DIR = ROOT / "build" / "grader"


class ReferenceFailed(RuntimeError):
    """The reference submission does not pass its own probes: the probe file needs fixing."""


def declared_oracle(assignment: Assignment) -> dict | None:
    """``{question: [{"value", "meter"}, ...]}`` from ``autograder/questions/expected/``, in the
    order of each question's calls; None unless they are current and complete."""
    from autograder.grader import incell

    if assignment.probe_path != incell.QUESTIONS_DIR / f"{assignment.name}.py":
        return None
    try:
        if not incell.oracle_is_current(assignment.name):
            return None
        merged: dict = {}
        for part in ("public", "hidden"):
            for q, calls in incell.expected(assignment.name, part)["questions"].items():
                merged.setdefault(q, {}).update(calls)
    except (OSError, ValueError, KeyError):
        return None
    results = {}
    for q in assignment.questions:
        calls = merged.get(q.name, {})
        if sorted(calls, key=int) != [str(k) for k in range(len(q.calls()))]:
            return None
        results[q.name] = [calls[str(k)] for k in range(len(q.calls()))]
    return results


def reference_results(assignment: Assignment, config, limits: Limits,
                      cache_dir: Path = CACHE_DIR, slot: int = 0) -> dict:
    """``{question: [{"value", "meter"}, ...]}`` of the reference: the declared oracle's files
    when current, else from the cache or computed in a sandbox."""
    declared = declared_oracle(assignment)
    if declared is not None:
        return declared
    key = assignment.fingerprint()
    path = Path(cache_dir) / f"{assignment.name}-{key[:20]}.json"
    if path.is_file():
        try:
            data = json.loads(path.read_text())
            if data.get("fingerprint") == key:
                return data["results"]
        except (OSError, ValueError):
            pass
    run = Run(assignment, reference_answers(assignment), {}, config, slot, limits,
              tag="reference").run()
    problems = []
    results = {}
    for q in assignment.questions:
        qr = run.questions.get(q.name)
        if qr is None or qr.state != "done":
            problems.append(f"{q.name}: {qr.reason if qr else 'not run'}")
            continue
        results[q.name] = []
        for call, rec in zip(q.calls(), qr.calls):
            if rec.get("error"):
                problems.append(f"{q.name}: `{call.show or call.expr}` raised "
                                f"{rec['error'].get('type')}: {rec['error'].get('message')}")
            results[q.name].append({"value": rec.get("value"), "meter": rec.get("meter")})
    for cid, err in run.cell_errors.items():
        problems.append(f"reference answer cell {cid} raised {err.get('type')}: "
                        f"{err.get('message')}")
    if problems:
        raise ReferenceFailed(
            f"the reference submission of {assignment.name} does not pass its probes "
            f"({assignment.probe_path.relative_to(ROOT)}):\n  " + "\n  ".join(problems)
            + (f"\nits output:\n{run.output[-3000:]}" if run.output else ""))
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".ref-")
    with os.fdopen(fd, "w") as f:
        json.dump({"fingerprint": key, "assignment": assignment.name, "results": results}, f)
    os.replace(tmp, path)
    return results


# --- scoring --------------------------------------------------------------------------------------
@dataclass
class CallVerdict:
    shown: str
    ok: bool
    expected: str = ""
    got: str = ""
    why: str = ""


@dataclass
class TestVerdict:
    name: str
    points: float
    passed: bool
    calls: list = field(default_factory=list)
    hint: str = ""
    public: bool = False


@dataclass
class QuestionVerdict:
    name: str
    score: float
    possible: float
    state: str
    reason: str = ""
    tests: list = field(default_factory=list)
    cell_error: str = ""
    review: list = field(default_factory=list)  # why an instructor must look at it


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _error_text(err: dict) -> str:
    if not isinstance(err, dict):
        return "an error"
    return f"{str(err.get('type'))[:80]}: {str(err.get('message'))[:300]}".rstrip(": ")


#: Fewest objects the harness must have watched for its integrity report to count (the meter,
#: pyspark's and py4j's classes, builtins and the harness: several thousand in practice).
MIN_WATCHED = 500


def tampering(rec) -> str:
    """'' when a measured call's integrity report says nothing was changed, else why not."""
    integ = rec.get("integrity") if isinstance(rec, dict) else None
    if not isinstance(integ, dict) or not isinstance(integ.get("changed"), list) \
            or type(integ.get("watched")) is not int or integ["watched"] < MIN_WATCHED:
        return "the measurement's integrity report is missing or incomplete"
    if integ["changed"]:
        return ("the measuring code was changed in the submission's process ("
                + "; ".join(str(c)[:120] for c in integ["changed"][:5]) + ")")
    return ""


def judge_question(question, run_q, reference: list, sandboxed: bool = False) -> QuestionVerdict:
    """Score one question from its call records. ``sandboxed``: the records come from the
    sandbox's harness, whose measured calls carry an integrity report: a measured call whose
    report is missing or shows tampering fails, and the question is flagged for review."""
    v = QuestionVerdict(question.name, 0.0, question.points, run_q.state)
    if run_q.state != "done":
        v.reason = run_q.reason
        return v
    records = run_q.calls
    index = {id(c): k for k, c in enumerate(question.calls())}
    for test in question.tests:
        tv = TestVerdict(test.name, test.points, True, public=test.public)
        for call in test.calls:
            k = index[id(call)]
            rec = records[k] if k < len(records) else {}
            ref = reference[k] if k < len(reference) else {}
            want = spec.decode(ref.get("value"))
            shown = call.show or call.expr
            if not isinstance(rec, dict) or rec.get("error") or "value" not in rec:
                err = rec.get("error") if isinstance(rec, dict) else None
                phase = rec.get("phase") if isinstance(rec, dict) else None
                why = (f"raised {_error_text(err)}" if phase in ("call", "convert", None)
                       else f"the test's input could not be built in the submission's "
                            f"kernel ({_error_text(err)})")
                tv.calls.append(CallVerdict(shown, False, spec.render(want), "—", why))
                tv.passed = False
                continue
            got = spec.decode(rec.get("value"))
            checks = call.check if call.check is not None else test.check
            meter = rec.get("meter") if isinstance(rec.get("meter"), dict) else {}
            why = spec.run_checks(checks, got, want, {"meter": meter})
            tampered = tampering(rec) if sandboxed and call.measured else ""
            if tampered:
                why = f"not scored: {tampered}"
                if tampered not in v.review:
                    v.review.append(tampered)
            got_text = f"{spec.render(got)} ({spec.kind(got)})"
            if meter:
                got_text += f"; {meter.get('result_bytes', '?'):,} bytes sent to the driver" \
                    if isinstance(meter.get("result_bytes"), int) else ""
            tv.calls.append(CallVerdict(shown, why is None, spec.render(want), got_text,
                                        why or ""))
            if why is not None and tv.passed:
                tv.passed = False
                hint = test.hint
                if callable(hint):
                    try:
                        hint = hint(got, want)
                    except Exception:  # noqa: BLE001 - a hint must never break grading
                        hint = ""
                tv.hint = hint or ""
        if tv.passed:
            v.score += test.points
        v.tests.append(tv)
    failed = [t for t in v.tests if not t.passed and t.points > 0]
    if failed:
        first = next(c for c in failed[0].calls if not c.ok)
        v.reason = f"{failed[0].name}: {first.why}"
    return v


@dataclass
class Graded:
    scores: dict
    total: float
    possible: float
    status: str
    reason: str
    verdicts: list


def grade(assignment: Assignment, run: RunResult, reference: dict,
          not_isolated: str = "") -> Graded:
    verdicts = []
    for q in assignment.questions:
        v = judge_question(q, run.questions[q.name], reference.get(q.name, []), sandboxed=True)
        cells = assignment.cells_of(q.name)
        errors = [f"{key} raised {_error_text(err)}" for key, err in run.cell_errors.items()
                  if base_id(key) in cells]
        if errors:
            v.cell_error = "; ".join(errors)
        verdicts.append(v)
    states = {v.state for v in verdicts}
    if any(v.review for v in verdicts):
        status = "review"  # tampering gains nothing (those tests score 0); a person looks
    elif states & {"died", "error"}:
        status = "error"
    elif "timeout" in states:
        status = "timeout"
    elif "missing" in states:
        status = "partial"
    else:
        status = "graded"
    parts = []
    for v in verdicts:
        if v.score < v.possible:
            text = f"{v.name} {_num(v.score)}/{_num(v.possible)}: {v.reason or 'failed'}"
            if v.cell_error and v.state == "done":
                text += f" (answer cell {v.cell_error})"
            parts.append(text)
    for v in verdicts:
        if v.review:
            parts.append(f"review {v.name}: " + "; ".join(v.review))
    if run.forged:
        parts.append(f"{run.forged} forged or malformed grader records ignored")
    if not_isolated:
        parts.append(not_isolated)
    reason = "; ".join(p.replace("\n", " ") for p in parts)
    total = sum(v.score for v in verdicts)
    return Graded({v.name: v.score for v in verdicts}, total, assignment.possible, status,
                  reason, verdicts)


# --- feedback -------------------------------------------------------------------------------------
def _block(text: str) -> str:
    text = text.replace("```", "'''")
    return f"```\n{text}\n```"


def _student_summary(graded: Graded, notes) -> str:
    """The summary line a student may see: scores, which test failed, no values."""
    parts = []
    for v in graded.verdicts:
        if v.score >= v.possible:
            continue
        text = f"{v.name} {_num(v.score)}/{_num(v.possible)}"
        if v.state != "done":
            text += f": {v.reason or 'not graded'}"
        else:
            failed = [t for t in v.tests if not t.passed and t.points > 0]
            if failed:
                text += f": {failed[0].name} failed"
        parts.append(text)
    return "; ".join(p.replace("\n", " ") for p in [*parts, *notes])


def feedback(submission: str, sha: str, assignment: Assignment | None, graded: Graded | None,
             status: str, reason: str, run: RunResult | None = None, *,
             audience: str = "instructor", notes=()) -> str:
    """The per-submission feedback (Markdown).

    ``audience="instructor"``: everything (the calls, expected values, what was returned, why,
    what the notebook printed). ``audience="student"``: what may go back to a student before the
    deadline: public checks in full (the student notebook shows them anyway), hidden tests as
    passed/FAILED with their hint only (no call, input, expected or returned value), and not
    what the notebook printed while being graded (it may print the hidden tests' inputs).
    ``notes``: remarks on the file itself (pasted copies, no cell ids), shown to both.
    """
    student = audience == "student"
    lines = [f"# Feedback: {submission}", ""]
    if assignment is None or graded is None:
        lines += [f"- status: **{status}**", f"- sha256: `{sha}`", "", reason, ""]
        return "\n".join(lines)
    lines += [f"- assignment: {assignment.name}",
              f"- score: **{_num(graded.total)} / {_num(graded.possible)}**",
              f"- status: {status}", f"- sha256: `{sha}`", ""]
    summary = _student_summary(graded, notes) if student else reason
    if summary:
        lines += [f"Summary: {summary}", ""]
    for v in graded.verdicts:
        lines += [f"## {v.name}: {_num(v.score)} / {_num(v.possible)}", ""]
        if v.cell_error:
            lines += [f"Your answer cell {v.cell_error}.", ""]
        if v.state != "done":
            lines += [f"Not graded: {v.reason}.", ""]
            continue
        for t in v.tests:
            mark = "passed" if t.passed else "FAILED"
            hidden = " (hidden test)" if student and not t.public else ""
            lines.append(f"- {mark}: {t.name}{hidden} ({_num(t.points)} "
                         f"point{'s' if t.points != 1 else ''})")
            if t.passed:
                continue
            if not (student and not t.public):
                for c in t.calls:
                    lines.append(f"  - called `{c.shown}`: {'ok' if c.ok else 'wrong'}")
                    if not c.ok:
                        lines += [f"    - expected: `{c.expected}`", f"    - got: `{c.got}`",
                                  f"    - why: {c.why}"]
            if t.hint:
                lines.append(f"  - hint: {t.hint}")
        lines.append("")
    if student:
        if run is not None and run.output.strip():
            lines += ["What your notebook printed while being graded is not shown here (it can "
                      "include the hidden tests' inputs): run your notebook to see your own "
                      "output.", ""]
        return "\n".join(lines)
    if run is not None and run.output.strip():
        shown = run.output[:8000]
        lines += ["## What your notebook printed while being graded", "", _block(shown)]
        if run.output_bytes > len(shown.encode()):
            lines.append(f"[output cut: {run.output_bytes:,} bytes printed in all]")
        lines.append("")
    return "\n".join(lines)
