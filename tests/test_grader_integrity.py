"""Tampering with the in-process measurements gains nothing: it is seen, scored 0 and flagged.

The communication meter can only run in the submission's process (Spark's counters are read
through py4j there), so the harness records, before any student code runs, the identity of
everything the measurement goes through (``harness.watch_measurements``) and sends with every
call what changed since (``harness.integrity``). The trusted grader (``scoring.tampering``)
fails a measured call whose report is missing or shows a change, and sets the row's status to
``review``. Here: the harness's detection, in this process (pyspark imported, no JVM), of the
three patches the issue names (a class attribute, the module swapped, a harness function), and
the scoring of the reports. The sandboxed end-to-end cases are ``autograder/hostile/
01_closed_form/patch_meter*.py`` (grading tier).
"""

from __future__ import annotations

import builtins
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from autograder.grader import harness, scoring, spec  # noqa: E402
from autograder.grader.runner import QuestionRun, RunResult  # noqa: E402
from autograder.grader.spec import Call, Question  # noqa: E402
from autograder.grader.spec import Test as ProbeTest  # noqa: E402

pytestmark = pytest.mark.quick


@pytest.fixture
def watched():
    """The harness's snapshot, taken now (as it is before any student code)."""
    harness._WATCH.clear()
    harness.watch_measurements(vars(harness))
    yield
    harness._WATCH.clear()


def test_nothing_changed_reports_nothing_and_watches_enough(watched):
    report = harness.integrity()
    assert report["changed"] == []
    assert report["watched"] >= scoring.MIN_WATCHED


def test_a_class_attribute_of_the_meter_replaced_is_seen(watched, monkeypatch):
    from helpers.meter import CommunicationMeter
    monkeypatch.setattr(CommunicationMeter, "result_bytes",
                        property(lambda self: 0, lambda self, v: None))
    assert "helpers.meter.CommunicationMeter.result_bytes was replaced" in \
        harness.integrity()["changed"]


def test_a_method_code_swapped_is_seen(watched, monkeypatch):
    from helpers.meter import CommunicationMeter
    monkeypatch.setattr(CommunicationMeter.__exit__, "__code__",
                        (lambda self, *exc: False).__code__)
    assert "helpers.meter.CommunicationMeter.__exit__.__code__ was replaced" in \
        harness.integrity()["changed"]


def test_the_meter_module_swapped_for_a_fake_is_seen(watched, monkeypatch):
    import helpers
    fake = type(sys)("helpers.meter")
    fake.meter = lambda sc: None
    monkeypatch.setitem(sys.modules, "helpers.meter", fake)
    monkeypatch.setattr(helpers, "meter", fake.meter)
    changed = harness.integrity()["changed"]
    assert "sys.modules['helpers.meter'] was replaced" in changed
    assert "helpers.meter was replaced" in changed


def test_a_harness_function_patched_is_seen(watched, monkeypatch):
    original = harness.emit

    def emit(ev, **fields):  # what an attacker writes: zero the bytes on the way out
        if isinstance(fields.get("meter"), dict):
            fields["meter"]["result_bytes"] = 0
        return original(ev, **fields)

    monkeypatch.setattr(harness, "emit", emit)
    assert "grader harness emit was replaced" in harness.integrity()["changed"]


def test_a_builtin_and_py4j_patched_are_seen(watched, monkeypatch):
    import py4j.java_gateway
    monkeypatch.setattr(builtins, "sum", lambda *a, **k: 0)
    monkeypatch.setattr(py4j.java_gateway.JavaMember, "__call__", lambda self, *a: 0)
    changed = harness.integrity()["changed"]
    assert "builtins.sum was replaced" in changed
    assert "py4j.java_gateway.JavaMember.__call__ was replaced" in changed


# --- the trusted side -------------------------------------------------------------------------
CLEAN = {"changed": [], "watched": 4000}


@pytest.mark.parametrize("integrity, why", [
    (CLEAN, ""),
    (None, "the measurement's integrity report is missing or incomplete"),
    ({"changed": [], "watched": 3}, "the measurement's integrity report is missing or incomplete"),
    ({"changed": [], "watched": True}, "the measurement's integrity report is missing or incomplete"),
    ({"changed": "no", "watched": 4000}, "the measurement's integrity report is missing or incomplete"),
    ({"changed": ["helpers.meter was replaced"], "watched": 4000},
     "the measuring code was changed in the submission's process (helpers.meter was replaced)"),
])
def test_tampering(integrity, why):
    assert scoring.tampering({"integrity": integrity}) == why


def _metered_question():
    return Question("lcf", tests=[
        ProbeTest("values", 2, [Call("f(1)")], check=[spec.close()]),
        ProbeTest("bytes", 4, [Call("f(2)", meter=True)],
                  check=[spec.close(), spec.meter_below(1000)]),
    ])


def _record(integrity):
    return {"value": {"t": "float", "v": 1.0}, "error": None, "phase": None,
            "meter": {"result_bytes": 10}, "integrity": integrity}


def _grade(integrity):
    q = _metered_question()
    assignment = type("A", (), {"questions": [q], "possible": q.points,
                                "cells_of": lambda self, name: []})()
    run = RunResult(questions={"lcf": QuestionRun("lcf", "done", [_record(CLEAN),
                                                                  _record(integrity)])},
                    cell_errors={}, setup_skipped=[], output="", sandboxes=1, seconds=1.0,
                    forged=0, notes=[])
    reference = {"lcf": [{"value": {"t": "float", "v": 1.0}}] * 2}
    return scoring.grade(assignment, run, reference)


def test_an_honest_measured_call_scores_and_is_graded():
    g = _grade(CLEAN)
    assert (g.total, g.status, g.reason) == (6, "graded", "")


@pytest.mark.parametrize("integrity", [
    {"changed": ["helpers.meter.CommunicationMeter.result_bytes was replaced"], "watched": 4000},
    None,
])
def test_a_tampered_or_unreported_measurement_scores_0_and_asks_for_review(integrity):
    g = _grade(integrity)
    assert g.scores == {"lcf": 2} and g.status == "review"
    assert g.reason.startswith("lcf 2/6: bytes: not scored: ")
    assert "review lcf: " in g.reason


def test_otter_in_cell_path_needs_no_report():
    """incell.check judges records made in the student's own kernel (no harness, no report)."""
    q = _metered_question()
    v = scoring.judge_question(q, QuestionRun("lcf", "done", [_record(None), _record(None)]),
                               [{"value": {"t": "float", "v": 1.0}}] * 2)
    assert v.score == 6 and v.review == []


# --- time limits: the grader's clock only ----------------------------------------------------
class ScriptedSandbox:
    """Sends ``lines`` one every ``every`` seconds (real time), then nothing."""

    def __init__(self, lines, every):
        self.lines, self.every = list(lines), every

    def next_line(self, timeout):
        import time
        if not self.lines or self.every > timeout:
            time.sleep(max(timeout, 0))
            return "timeout"
        time.sleep(self.every)
        return self.lines.pop(0)


def _run(spark_limit=0.6):
    import json
    import time

    from autograder.grader.runner import Limits, Run
    run = Run.__new__(Run)
    run.limits = Limits(spark=spark_limit)
    run.nonce, run.forged, run.notes, run.timeline = "n0", 0, [], []
    run.t0 = time.monotonic()
    run.deadline = time.monotonic() + 60
    run.in_spark = run.spark_started = run.spark_extended = False
    return run, lambda ev, **f: json.dumps({"ev": ev, "nonce": "n0", **f}).encode()


def test_forged_progress_never_extends_a_running_call():
    """A call whose limit is 0.3 s, with forged Spark records every 0.05 s: it ends at 0.3 s."""
    from autograder.grader.runner import _Failure
    run, line = _run()
    sb = ScriptedSandbox([line("spark-start"), line("spark-end", error=None)] * 40, 0.05)
    with pytest.raises(_Failure) as failure:
        run._expect(sb, "call-end", {"q": "f", "i": 0}, 0.3, extend=False)
    assert failure.value.kind == "timeout"
    assert len(sb.lines) > 60  # about 6 of the 80 forged records were read, not all


def test_only_the_first_spark_start_of_a_sandbox_gets_the_spark_limit():
    """Outside a call, one Spark start may take Spark's limit (0.6 s); forged ones after it get
    nothing: the wait ends at the first spark-end + 0.3 s, not 4 s of records later."""
    from autograder.grader.runner import _Failure
    run, line = _run(spark_limit=0.6)
    sb = ScriptedSandbox([line("spark-start"), line("spark-end", error=None)] * 40, 0.05)
    with pytest.raises(_Failure):
        run._expect(sb, "call-run", {"q": "f", "i": 0}, 0.3)
    assert run.spark_extended and len(sb.lines) > 60
