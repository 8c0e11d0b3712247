"""Unit tests of the grader's scoring (``autograder/grader/scoring.py``), on hand-made runs.

``judge_question`` and ``grade`` take the plain records a sandbox run produced (``QuestionRun``
and ``RunResult`` of ``runner.py``) and the reference's records; here both are written by hand,
so partial credit, errors, time-outs, missing answers and the reason text are checked exactly,
and ``feedback`` is checked line by line. ``reference_results`` is checked with its cache and
with ``Run`` replaced by a stand-in (no sandbox is started).
"""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from autograder.grader import scoring, spec  # noqa: E402
from autograder.grader.assignments import Assignment  # noqa: E402
from autograder.grader.runner import Limits, QuestionRun, RunResult  # noqa: E402
from autograder.grader.spec import Call, Question  # noqa: E402
from autograder.grader.spec import Test as ProbeTest  # noqa: E402 - not a pytest class

pytestmark = pytest.mark.quick

DIFFER = "the values differ from the expected ones"


# --- records as the harness sends them -----------------------------------------------------------
def num(x):
    return {"t": "float", "v": x}


def arr(values):
    return {"t": "ndarray", "dtype": "float64", "shape": [len(values)], "v": list(values)}


def ok(value, meter=None):
    """A call-end record of a call that returned ``value`` (a plain record)."""
    return {"value": value, "error": None, "phase": None, "meter": meter}


def raised(kind, message, phase="call"):
    return {"value": None, "error": {"type": kind, "message": message, "where": []},
            "phase": phase, "meter": None}


def ref(value, meter=None):
    return {"value": value, "meter": meter}


def run_result(questions, cell_errors=None, forged=0, output="", output_bytes=None):
    return RunResult(questions={q.name: q for q in questions}, cell_errors=cell_errors or {},
                     setup_skipped=[], output=output, sandboxes=1, seconds=1.0, forged=forged,
                     notes=[], output_bytes=len(output.encode()) if output_bytes is None
                     else output_bytes)


# --- a small question: a public test, a two-call test and a test with a hint function ------------
def make_question():
    c0, c1, c2, c3 = Call("f(0)"), Call("f(1)", show="f(one)"), Call("f(2)"), Call("g(3)")
    return Question("f", tests=[
        ProbeTest("public", 0, [c0], check=[spec.number(), spec.close()]),
        ProbeTest("hidden a", 1, [c1, c2], check=[spec.number(), spec.close()], hint="hint A"),
        ProbeTest("hidden b", 2, [c3], hint=lambda got, want: f"got {got!r}, want {want!r}"),
    ])


REFERENCE = [ref(num(0.0)), ref(num(1.0)), ref(num(2.0)), ref(arr([3.0]))]
RIGHT = [ok(num(0.0)), ok(num(1.0)), ok(num(2.0)), ok(arr([3.0]))]


def judge(records, reference=REFERENCE, state="done", reason="", question=None):
    q = question or make_question()
    return scoring.judge_question(q, QuestionRun(q.name, state, records, reason), reference)


def test_every_test_passed_is_full_marks():
    v = judge(RIGHT)
    assert (v.name, v.score, v.possible, v.state, v.reason) == ("f", 3.0, 3.0, "done", "")
    assert [(t.name, t.points, t.passed, t.hint) for t in v.tests] == [
        ("public", 0, True, ""), ("hidden a", 1, True, ""), ("hidden b", 2, True, "")]
    assert [c.ok for t in v.tests for c in t.calls] == [True] * 4


def test_a_wrong_call_fails_its_test_only():
    v = judge([RIGHT[0], RIGHT[1], ok(num(2.5)), RIGHT[3]])
    assert v.score == 2.0 and v.possible == 3.0
    assert v.reason == f"hidden a: {DIFFER}"
    a = v.tests[1]
    assert not a.passed and a.hint == "hint A"
    assert [(c.shown, c.ok) for c in a.calls] == [("f(one)", True), ("f(2)", False)]
    assert (a.calls[1].expected, a.calls[1].got, a.calls[1].why) == (
        "2.0", "2.5 (a Python float)", DIFFER)
    assert a.calls[0].why == ""


def test_the_hint_function_sees_the_decoded_values():
    v = judge(RIGHT[:3] + [ok(arr([4.0]))])
    b = v.tests[2]
    assert not b.passed and v.score == 1.0
    assert b.hint == "got array([4.]), want array([3.])"
    assert v.reason == f"hidden b: {DIFFER}"  # the default check is close()


def test_a_hint_function_that_raises_gives_no_hint():
    q = Question("f", [ProbeTest("t", 1, [Call("f()")], hint=lambda got, want: 1 / 0)])
    v = judge([ok(num(9.0))], [ref(num(1.0))], question=q)
    assert v.score == 0 and v.tests[0].hint == "" and v.reason == f"t: {DIFFER}"


def test_only_the_first_failing_call_of_a_test_gives_the_hint():
    calls = [Call("f(1)"), Call("f(2)")]
    seen = []
    q = Question("f", [ProbeTest("t", 1, calls, hint=lambda got, want: seen.append(got) or "h")])
    v = judge([ok(num(5.0)), ok(num(6.0))], [ref(num(1.0)), ref(num(2.0))], question=q)
    assert seen == [5.0] and v.tests[0].hint == "h"
    assert [c.ok for c in v.tests[0].calls] == [False, False]  # every call still reported


def test_a_failed_public_test_costs_nothing_and_is_not_the_reason():
    v = judge([ok(num(7.0))] + RIGHT[1:])
    assert v.score == 3.0 and v.reason == ""
    assert not v.tests[0].passed


def test_partial_credit_adds_the_points_of_the_passed_tests():
    q = Question("h", [ProbeTest("a", 0.5, [Call("a()")]), ProbeTest("b", 0.25, [Call("b()")]),
                       ProbeTest("c", 1.25, [Call("c()")])])
    reference = [ref(num(1.0)), ref(num(2.0)), ref(num(3.0))]
    v = judge([ok(num(1.0)), ok(num(0.0)), ok(num(3.0))], reference, question=q)
    assert v.score == 1.75 and v.possible == 2.0
    assert v.reason == f"b: {DIFFER}"  # the first failed test with points


def test_an_error_in_the_call_fails_with_its_message():
    v = judge(RIGHT[:3] + [raised("ZeroDivisionError", "division by zero")])
    c = v.tests[2].calls[0]
    assert (c.ok, c.got, c.why) == (False, "—", "raised ZeroDivisionError: division by zero")
    assert c.expected == "array([3.], dtype=float64, shape=(1,))"
    assert v.score == 1.0
    assert v.reason == "hidden b: raised ZeroDivisionError: division by zero"
    # no hint for an exception: the hint explains wrong values
    assert v.tests[2].hint == ""


def test_an_error_while_building_the_inputs_is_told_apart():
    v = judge(RIGHT[:3] + [raised("TypeError", "bad input", phase="input")])
    assert v.tests[2].calls[0].why == ("the test's input could not be built in the "
                                       "submission's kernel (TypeError: bad input)")
    v = judge(RIGHT[:3] + [raised("TypeError", "", phase="convert")])
    assert v.tests[2].calls[0].why == "raised TypeError"


@pytest.mark.parametrize("records", [RIGHT[:3], RIGHT[:3] + [None], RIGHT[:3] + [{}]],
                         ids=["record missing", "record None", "record without value"])
def test_a_missing_or_malformed_record_fails_the_call(records):
    v = judge(records)
    assert v.score == 1.0
    assert v.tests[2].calls[0].why == "raised an error"
    assert v.reason == "hidden b: raised an error"


def test_a_missing_reference_value_fails_rather_than_passes():
    v = judge(RIGHT, REFERENCE[:3])
    assert v.score == 1.0 and not v.tests[2].passed
    assert v.tests[2].calls[0].why == "the reference result is not numeric (probe error)"


@pytest.mark.parametrize("state, reason", [
    ("timeout", "timed out after 30 s in call 2"),
    ("died", "the kernel was killed by SIGKILL in call 1"),
    ("missing", "its answer cell (01-013) is missing from the notebook"),
    ("error", "Spark did not start (boom)"),
])
def test_a_question_that_did_not_run_scores_zero_with_its_reason(state, reason):
    v = judge(RIGHT, state=state, reason=reason)  # records are ignored
    assert (v.score, v.possible, v.state, v.reason, v.tests) == (0.0, 3.0, state, reason, [])


def test_a_call_check_overrides_the_test_check():
    c = Call("f()", check=spec.is_ndarray())
    q = Question("f", [ProbeTest("t", 1, [c], check=spec.number())])
    assert judge([ok(arr([1.0]))], [ref(arr([5.0]))], question=q).score == 1
    v = judge([ok(num(1.0))], [ref(num(1.0))], question=q)
    assert v.reason == "t: expected a numpy array, got a Python float"


def test_a_call_shared_by_two_tests_is_made_once_and_judged_twice():
    shared = Call("f()")
    q = Question("f", [ProbeTest("a", 1, [shared]), ProbeTest("b", 2, [shared, Call("g()")])])
    v = judge([ok(num(1.0)), ok(num(2.0))], [ref(num(1.0)), ref(num(2.0))], question=q)
    assert v.score == 3 and [len(t.calls) for t in v.tests] == [1, 2]
    v = judge([ok(num(0.0)), ok(num(2.0))], [ref(num(1.0)), ref(num(2.0))], question=q)
    assert v.score == 0 and v.reason == f"a: {DIFFER}"


def test_the_meter_is_passed_to_the_checks_and_shown():
    q = Question("m", [ProbeTest("bytes", 1, [Call("f()", meter=True)],
                            check=[spec.close(), spec.meter_below(1000)])])
    v = judge([ok(num(1.0), meter={"result_bytes": 123456})], [ref(num(1.0))], question=q)
    c = v.tests[0].calls[0]
    assert c.got == "1.0 (a Python float); 123,456 bytes sent to the driver"
    assert c.why == "sent 123,456 bytes to the driver (the limit is 1,000)" and v.score == 0
    v = judge([ok(num(1.0), meter={"result_bytes": 999})], [ref(num(1.0))], question=q)
    assert v.score == 1


# --- grade: every question, the status and the reason --------------------------------------------
def make_assignment(questions, answer_cells):
    here = Path(__file__)
    return Assignment(name="99_test", probe_path=here, student_path=here, reference_path=here,
                      questions=questions, setup_sources=[], answer_cells=answer_cells)


def two_questions():
    f = make_question()
    g = Question("g", [ProbeTest("g works", 1, [Call("g()")])])
    a = make_assignment([f, g], [("c1", "f"), ("c2", "g"), ("c3", None)])
    reference = {"f": REFERENCE, "g": [ref(num(5.0))]}
    return a, f, g, reference


def test_grade_a_perfect_run():
    a, f, g, reference = two_questions()
    run = run_result([QuestionRun("f", "done", RIGHT), QuestionRun("g", "done", [ok(num(5.0))])])
    graded = scoring.grade(a, run, reference)
    assert (graded.scores, graded.total, graded.possible, graded.status, graded.reason) == (
        {"f": 3.0, "g": 1.0}, 4.0, 4.0, "graded", "")
    assert [v.name for v in graded.verdicts] == ["f", "g"]


def test_grade_partial_credit_and_the_reason_of_each_question():
    a, f, g, reference = two_questions()
    run = run_result([QuestionRun("f", "done", [RIGHT[0], RIGHT[1], ok(num(2.5)), RIGHT[3]]),
                      QuestionRun("g", "done", [ok(num(4.0))])])
    graded = scoring.grade(a, run, reference)
    assert graded.scores == {"f": 2.0, "g": 0.0} and graded.total == 2.0
    assert graded.status == "graded"
    assert graded.reason == f"f 2/3: hidden a: {DIFFER}; g 0/1: g works: {DIFFER}"


@pytest.mark.parametrize("states, status", [
    (("done", "missing"), "partial"),
    (("timeout", "missing"), "timeout"),
    (("missing", "died"), "error"),
    (("timeout", "error"), "error"),
    (("timeout", "done"), "timeout"),
])
def test_grade_status_the_worst_state_wins(states, status):
    a, f, g, reference = two_questions()
    runs = [QuestionRun("f", states[0], RIGHT if states[0] == "done" else [], "why f"),
            QuestionRun("g", states[1], [ok(num(5.0))] if states[1] == "done" else [], "why g")]
    graded = scoring.grade(a, run_result(runs), reference)
    assert graded.status == status
    expected_total = (3.0 if states[0] == "done" else 0) + (1.0 if states[1] == "done" else 0)
    assert graded.total == expected_total


def test_grade_a_missing_answer_cell():
    a, f, g, reference = two_questions()
    reason = "its answer cell (c2) is missing from the notebook (deleted, or its id changed)"
    run = run_result([QuestionRun("f", "done", RIGHT), QuestionRun("g", "missing", [], reason)])
    graded = scoring.grade(a, run, reference)
    assert (graded.status, graded.total, graded.possible) == ("partial", 3.0, 4.0)
    assert graded.reason == f"g 0/1: {reason}"


def test_grade_tells_answer_cell_errors_of_questions_that_ran():
    a, f, g, reference = two_questions()
    errors = {"c1": {"type": "NameError", "message": "name 'x' is not defined"},
              "c2": {"type": "SyntaxError", "message": "invalid syntax"},
              "c3": {"type": "ValueError", "message": "unrelated"}}
    run = run_result([QuestionRun("f", "done", RIGHT[:3] + [raised("NameError", "x")]),
                      QuestionRun("g", "timeout", [], "timed out after 60 s")],
                     cell_errors=errors)
    graded = scoring.grade(a, run, reference)
    f_v, g_v = graded.verdicts
    assert f_v.cell_error == "c1 raised NameError: name 'x' is not defined"
    assert g_v.cell_error == "c2 raised SyntaxError: invalid syntax"
    # the answer cell is named only for a question that ran; c3 belongs to no question
    assert graded.reason == ("f 1/3: hidden b: raised NameError: x (answer cell c1 raised "
                             "NameError: name 'x' is not defined); g 0/1: timed out after 60 s")


def test_grade_reports_forged_records_and_missing_isolation_on_one_line():
    a, f, g, reference = two_questions()
    run = run_result([QuestionRun("f", "done", RIGHT),
                      QuestionRun("g", "died", [], "the kernel died\nin call 1")], forged=2)
    graded = scoring.grade(a, run, reference, not_isolated="NOT ISOLATED (no sandbox)")
    assert graded.status == "error"
    assert graded.reason == ("g 0/1: the kernel died in call 1; 2 forged or malformed grader "
                             "records ignored; NOT ISOLATED (no sandbox)")


def test_grade_fractional_scores_in_the_reason():
    q = Question("h", [ProbeTest("a", 0.5, [Call("a()")]), ProbeTest("b", 1 / 3, [Call("b()")])])
    a = make_assignment([q], [("c", "h")])
    run = run_result([QuestionRun("h", "done", [ok(num(1.0)), ok(num(0.0))])])
    graded = scoring.grade(a, run, {"h": [ref(num(1.0)), ref(num(1.0))]})
    assert graded.reason == f"h 0.5/0.833333: b: {DIFFER}"


# --- feedback ------------------------------------------------------------------------------------
def test_feedback_for_a_file_that_could_not_be_graded():
    text = scoring.feedback("bob/x.ipynb", "ab12", None, None, "invalid",
                            "This file could not be graded: empty file.")
    assert text == ("# Feedback: bob/x.ipynb\n\n- status: **invalid**\n- sha256: `ab12`\n\n"
                    "This file could not be graded: empty file.\n")


def test_feedback_of_a_graded_submission():
    a, f, g, reference = two_questions()
    run = run_result([QuestionRun("f", "done", [RIGHT[0], RIGHT[1], ok(num(2.5)), RIGHT[3]]),
                      QuestionRun("g", "timeout", [], "timed out after 60 s in call 1")],
                     cell_errors={"c2": {"type": "RecursionError", "message": "too deep"}})
    graded = scoring.grade(a, run, reference)
    text = scoring.feedback("alice.ipynb", "f00d", a, graded, graded.status, graded.reason)
    assert text == "\n".join([
        "# Feedback: alice.ipynb",
        "",
        "- assignment: 99_test",
        "- score: **2 / 4**",
        "- status: timeout",
        "- sha256: `f00d`",
        "",
        f"Summary: f 2/3: hidden a: {DIFFER}; g 0/1: timed out after 60 s in call 1",
        "",
        "## f: 2 / 3",
        "",
        "- passed: public (0 points)",
        "- FAILED: hidden a (1 point)",
        "  - called `f(one)`: ok",
        "  - called `f(2)`: wrong",
        "    - expected: `2.0`",
        "    - got: `2.5 (a Python float)`",
        f"    - why: {DIFFER}",
        "  - hint: hint A",
        "- passed: hidden b (2 points)",
        "",
        "## g: 0 / 1",
        "",
        "Your answer cell c2 raised RecursionError: too deep.",
        "",
        "Not graded: timed out after 60 s in call 1.",
        "",
    ])


def test_student_feedback_hides_what_hidden_tests_called_expected_and_printed():
    """For students, a hidden test is passed/FAILED and its hint; a public check is shown in
    full (the notebook shows it anyway); nothing the notebook printed while being graded."""
    a, f, g, reference = two_questions()
    run = run_result([QuestionRun("f", "done", [RIGHT[0], RIGHT[1], ok(num(2.5)), RIGHT[3]]),
                      QuestionRun("g", "done", [ok(num(4.0))])],
                     output="secret input: 2\n")
    graded = scoring.grade(a, run, reference)
    text = scoring.feedback("alice.ipynb", "f00d", a, graded, graded.status, graded.reason, run,
                            audience="student", notes=["cells have no ids"])
    assert "Summary: f 2/3: hidden a failed; g 0/1: g works failed; cells have no ids" in text
    assert "- FAILED: hidden a (hidden test) (1 point)\n  - hint: hint A\n" in text
    assert "f(2)" not in text and "2.0" not in text and "2.5" not in text
    assert "secret input" not in text and "not shown here" in text
    # g's test is hidden too: its call is not shown either
    assert "called `g()`" not in text
    full = scoring.feedback("alice.ipynb", "f00d", a, graded, graded.status, graded.reason, run)
    assert "called `f(2)`: wrong" in full and "secret input: 2" in full


def test_feedback_shows_what_the_notebook_printed_safely():
    a, f, g, reference = two_questions()
    printed = "hello\n```\nnot markdown any more"
    run = run_result([QuestionRun("f", "done", RIGHT), QuestionRun("g", "done", [ok(num(5.0))])],
                     output=printed, output_bytes=100_000)
    graded = scoring.grade(a, run, reference)
    text = scoring.feedback("a.ipynb", "0", a, graded, graded.status, graded.reason, run)
    tail = text.split("## What your notebook printed while being graded\n\n", 1)[1]
    # a fence in the output cannot close the block early
    assert tail == ("```\nhello\n'''\nnot markdown any more\n```\n"
                    "[output cut: 100,000 bytes printed in all]\n")
    assert "Summary" not in text  # full marks: no summary line


def test_feedback_without_output_has_no_output_section():
    a, f, g, reference = two_questions()
    run = run_result([QuestionRun("f", "done", RIGHT), QuestionRun("g", "done", [ok(num(5.0))])],
                     output="  \n")
    graded = scoring.grade(a, run, reference)
    text = scoring.feedback("a.ipynb", "0", a, graded, graded.status, "", run)
    assert "printed" not in text and text.endswith("- passed: g works (1 point)\n")


# --- reference results: the cache, and a stand-in for the sandboxed run --------------------------
class FakeRun:
    """Stands in for runner.Run: returns a prepared RunResult, counts its uses."""

    result: RunResult = None
    made = 0

    def __init__(self, assignment, answers, missing, config, slot, limits, tag="run"):
        assert tag == "reference" and answers == {"c1": "source"}
        FakeRun.made += 1

    def run(self):
        return FakeRun.result


@pytest.fixture
def fake_run(monkeypatch):
    monkeypatch.setattr(scoring, "Run", FakeRun)
    monkeypatch.setattr(scoring, "reference_answers", lambda a: {"c1": "source"})
    FakeRun.made = 0
    return FakeRun


def cached_assignment(tmp_path):
    a, f, g, reference = two_questions()
    a.probe_path = tmp_path / "probe.py"  # ReferenceFailed names it relative to the root
    a._fingerprint = "ab" * 32
    return a


def test_reference_results_are_computed_once_then_read_from_the_cache(tmp_path, fake_run):
    a = cached_assignment(tmp_path)
    fake_run.result = run_result([QuestionRun("f", "done", RIGHT),
                                  QuestionRun("g", "done", [ok(num(5.0), {"jobs": 1})])])
    cache = tmp_path / "cache"
    results = scoring.reference_results(a, None, Limits(), cache_dir=cache)
    expected = {"f": [{"value": r["value"], "meter": None} for r in RIGHT],
                "g": [{"value": num(5.0), "meter": {"jobs": 1}}]}
    assert results == expected and fake_run.made == 1
    path = cache / f"99_test-{'ab' * 10}.json"
    assert json.loads(path.read_text()) == {"fingerprint": "ab" * 32, "assignment": "99_test",
                                            "results": expected}
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert [p.name for p in cache.iterdir()] == [path.name]  # no temporary file left
    assert scoring.reference_results(a, None, Limits(), cache_dir=cache) == expected
    assert fake_run.made == 1


def test_a_cache_file_of_another_fingerprint_is_not_used(tmp_path, fake_run):
    a = cached_assignment(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir()
    path = cache / f"99_test-{'ab' * 10}.json"
    path.write_text(json.dumps({"fingerprint": "other", "results": {"stale": []}}))
    fake_run.result = run_result([QuestionRun("f", "done", RIGHT),
                                  QuestionRun("g", "done", [ok(num(5.0))])])
    results = scoring.reference_results(a, None, Limits(), cache_dir=cache)
    assert set(results) == {"f", "g"} and fake_run.made == 1
    assert json.loads(path.read_text())["fingerprint"] == "ab" * 32
    path.write_text("{truncated")  # a damaged cache file is recomputed too
    assert set(scoring.reference_results(a, None, Limits(), cache_dir=cache)) == {"f", "g"}
    assert fake_run.made == 2


def test_a_reference_that_fails_its_own_probes_is_refused(tmp_path, fake_run, monkeypatch):
    monkeypatch.setattr(scoring, "ROOT", tmp_path)
    a = cached_assignment(tmp_path)
    fake_run.result = run_result(
        [QuestionRun("f", "done", RIGHT[:3] + [raised("KeyError", "'w'")]),
         QuestionRun("g", "timeout", [], "timed out after 60 s")],
        cell_errors={"c1": {"type": "NameError", "message": "np"}}, output="printed")
    with pytest.raises(scoring.ReferenceFailed) as err:
        scoring.reference_results(a, None, Limits(), cache_dir=tmp_path / "cache")
    assert str(err.value) == (
        "the reference submission of 99_test does not pass its probes (probe.py):\n"
        "  f: `g(3)` raised KeyError: 'w'\n"
        "  g: timed out after 60 s\n"
        "  reference answer cell c1 raised NameError: np\n"
        "its output:\nprinted")
    assert not (tmp_path / "cache").exists()  # nothing cached


def test_the_reference_results_are_the_declared_oracle_when_it_is_current(monkeypatch):
    """The sandboxed grader compares with the same expected values as otter's test cells."""
    from autograder.grader import assignments, incell

    a = assignments.load("01_closed_form")
    got = scoring.declared_oracle(a)
    assert [len(got[q.name]) for q in a.questions] == [len(q.calls()) for q in a.questions]
    # The public check's call: computeOuterProduct(LabeledPoint(5.0, [1.0, 2.0, 3.0])).
    assert got["computeOuterProduct"][0]["value"]["v"] == [1, 2, 3, 2, 4, 6, 3, 6, 9]
    monkeypatch.setattr(incell, "oracle_is_current", lambda topic, built=None: False)
    assert scoring.declared_oracle(a) is None  # stale: the grader runs the reference itself


# --- otter's in-cell path: a call two tests share ------------------------------------------------
def test_in_cell_a_shared_call_is_made_once_until_the_namespace_changes(monkeypatch):
    from autograder.grader import incell
    shared = Call("f(2.0)")
    q = Question("f", tests=[ProbeTest("hidden: a", 1, [shared], check=[spec.number(), spec.close()]),
                             ProbeTest("hidden: b", 1, [shared], check=[spec.number(), spec.close()])])
    monkeypatch.setattr(incell, "question", lambda topic, name: q)
    monkeypatch.setattr(incell, "expected", lambda topic, part: {
        "questions": {"f": {"0": {"meter": None, "value": num(4.0)}}}, "standins": {}})
    env = {"made": []}  # a notebook's namespace: its functions look their names up there
    exec("def f(x):\n    made.append(x)\n    return 2 * x", env)
    incell.check("t", "f", "hidden: a", env)
    incell.check("t", "f", "hidden: b", env)
    assert env["made"] == [2.0]  # the sandboxed grader makes it once too
    # the student redefines it: the next check calls the new one
    exec("def f(x):\n    made.append(x)\n    return 3 * x", env)
    with pytest.raises(AssertionError, match="hidden: b"):
        incell.check("t", "f", "hidden: b", env)
    assert env["made"] == [2.0, 2.0]
