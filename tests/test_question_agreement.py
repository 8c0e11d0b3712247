"""Each question is declared once, and both graders run exactly what is declared.

The declaration (``autograder/questions/NN_topic.py``) is the source; these tests read what each
grader actually loads, without Spark:

- otter: the test files inside the committed autograder zip (what ``otter run`` and Gradescope
  execute) and the public tests in the student notebook's metadata (what ``grader.check`` runs):
  one case per declared test, in order, with the declared points, hidden exactly when the test
  is not public, and each case's code the generated call of that very test (so the checks,
  tolerances and hints are the declared objects, in :func:`autograder.grader.incell.check`);
- the sandboxed grader: the questions :func:`autograder.grader.assignments.load` gives it;
- the corpus: every hidden test that scores is failed by at least one corpus case, and every
  name a case lists in ``FAILS`` is a declared hidden test.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import zipfile

import pytest

from corpus import ROOT, read_case

from autograder.grader import assignments, incell  # noqa: E402

_spec = importlib.util.spec_from_file_location("testcells", ROOT / "tools" / "testcells.py")
testcells = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcells)
cell_source = testcells.cell_source

TOPICS = sorted(p.stem for p in (ROOT / "autograder" / "questions").glob("[0-9][0-9]_*.py"))


def _zip_tests(topic: str) -> dict:
    """``{question: test dict}`` from the committed otter autograder zip (otter's OK format)."""
    path = ROOT / "autograder" / "dist" / topic / "autograder" / f"{topic}-autograder.zip"
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("tests/") and name.endswith(".py"):
                ns: dict = {}
                exec(z.read(name).decode(), ns)  # trusted: our own generated test files
                out[ns["test"]["name"]] = ns["test"]
    return out


def _case_code(case: dict) -> str:
    """A case's doctest code as the Python it runs (prompts removed)."""
    return "\n".join(line[4:] for line in case["code"].splitlines()
                     if line.startswith((">>> ", "... ")))


def _body(source: str) -> str:
    """A generated cell without otter's TEST CONFIG header (which becomes the hidden flag)."""
    return source.split('""" # END TEST CONFIG\n')[-1]


def _same_code(a: str, b: str) -> bool:
    """The same Python (otter rewrites the quotes of the cells it turns into tests)."""
    return ast.dump(ast.parse(a)) == ast.dump(ast.parse(b))


def test_every_topic_is_declared():
    masters = sorted(p.stem for p in (ROOT / "autograder" / "source").glob("[0-9][0-9]_*.ipynb"))
    assert TOPICS and TOPICS == masters


@pytest.mark.parametrize("topic", TOPICS)
def test_otter_runs_the_declared_tests_with_their_points(topic):
    declared = {q.name: q for q in incell.declarations(topic).QUESTIONS}
    zipped = _zip_tests(topic)
    assert sorted(zipped) == sorted(declared), "questions differ between the zip and the declaration"
    for name, q in declared.items():
        test = zipped[name]
        cases = test["suites"][0]["cases"]
        assert test["points"] == [t.points for t in q.tests], name
        assert len(cases) == len(q.tests), name
        for case, declared_test in zip(cases, q.tests):
            assert case["hidden"] is (not declared_test.public), (name, declared_test.name)
            assert _same_code(_case_code(case), _body(cell_source(topic, name, declared_test))), \
                f"{name}: the otter case does not run the declared test {declared_test.name!r}"


@pytest.mark.parametrize("topic", TOPICS)
def test_student_notebook_holds_only_the_public_checks(topic):
    nb = json.loads((ROOT / "notebooks" / f"{topic}.ipynb").read_text())
    tests = nb["metadata"]["otter"]["tests"]
    for q in incell.declarations(topic).QUESTIONS:
        cases = tests[q.name]["suites"][0]["cases"]
        public = [t for t in q.tests if t.public]
        assert len(cases) == len(public), q.name
        for case, declared_test in zip(cases, public):
            assert _same_code(_case_code(case), cell_source(topic, q.name, declared_test))


@pytest.mark.parametrize("topic", TOPICS)
def test_sandboxed_grader_loads_the_same_declaration(topic):
    loaded = assignments.load(topic)
    declared = incell.declarations(topic).QUESTIONS
    assert [(q.name, [(t.name, t.points) for t in q.tests], q.timeout, list(q.standins))
            for q in loaded.questions] == \
           [(q.name, [(t.name, t.points) for t in q.tests], q.timeout, list(q.standins))
            for q in declared]
    assert loaded.probe_path == ROOT / "autograder" / "questions" / f"{topic}.py"


@pytest.mark.parametrize("topic", TOPICS)
def test_expected_values_are_those_of_the_current_reference_and_declaration(topic):
    assert incell.oracle_is_current(topic), (
        f"autograder/questions/expected/{topic}.*.json are older than the declaration or the "
        f"reference answers: run 'make assign'")
    public = incell.expected(topic, "public")["questions"]
    hidden = incell.expected(topic, "hidden")["questions"]
    for q in incell.declarations(topic).QUESTIONS:
        index = {id(c): str(k) for k, c in enumerate(q.calls())}
        for t in q.tests:
            for call in t.calls:
                assert index[id(call)] in (public if t.public else hidden).get(q.name, {}), \
                    f"{q.name}, {t.name}: no expected value for `{call.show or call.expr}`"
        # Students get the public file: it must hold nothing of a hidden-only call.
        hidden_only = {index[id(c)] for t in q.tests if not t.public for c in t.calls} - {
            index[id(c)] for t in q.tests if t.public for c in t.calls}
        assert not hidden_only & set(public.get(q.name, {})), q.name


@pytest.mark.parametrize("topic", TOPICS)
def test_every_hidden_test_is_failed_by_some_corpus_case(topic):
    declared = {q.name: {t.name for t in q.tests if not t.public and t.points}
                for q in incell.declarations(topic).QUESTIONS}
    failed: dict = {q: set() for q in declared}
    for path in sorted((ROOT / "autograder" / "corpus" / topic).glob("*.py")):
        case = read_case(path)
        for q, names in case.fails.items():
            unknown = set(names) - declared[q]
            assert not unknown, f"{path.name}: {q} has no hidden test {sorted(unknown)}"
            failed[q] |= set(names)
    never = {q: sorted(declared[q] - failed[q]) for q in declared if declared[q] - failed[q]}
    assert not never, f"hidden tests no corpus case fails (add a wrong submission): {never}"


@pytest.mark.parametrize("topic", TOPICS)
def test_the_sandbox_grades_every_alternative_communication_mistake_and_question(topic):
    """``corpus.sandbox_cases``: every correct alternative, every case whose only mistake in a
    question is what it communicates, and a wrong value of every question the corpus gets
    wrong; a case whose wrong value also fails a metered test is not picked for that alone."""
    from corpus import sandbox_cases

    metered = {(q.name, t.name) for q in incell.declarations(topic).QUESTIONS for t in q.tests
               if not t.public and any(c.meter or c.expr.startswith("_probe_metered(")
                                       for c in t.calls)}
    cases = {p.stem: read_case(p).fails
             for p in sorted((ROOT / "autograder" / "corpus" / topic).glob("*.py"))}
    picked = sandbox_cases(topic)
    assert len(picked) == len(set(picked)) and set(picked) <= set(cases)
    required = [case for case, fails in cases.items() if not fails
                or any(all((q, t) in metered for t in names) for q, names in fails.items())]
    assert set(required) <= set(picked), "an alternative or a communication mistake left out"
    def values(c):  # the questions it gets a wrong value of (not only a metered test wrong)
        return {q for q, names in cases[c].items() if not all((q, t) in metered for t in names)}

    wrong = set().union(*(values(c) for c in cases))
    assert set().union(*(values(c) for c in picked)) == wrong, "a wrong value never crosses"
    for case in set(picked) - set(required):  # each other case is needed for some question
        others = set().union(*(values(c) for c in picked if c != case))
        assert others != wrong, f"{case} adds no question the other picked cases miss"


@pytest.mark.parametrize("topic", TOPICS)
@pytest.mark.parametrize("grader", ["sandbox", "otter"])
def test_cases_of_different_questions_share_a_notebook(topic, grader):
    """``corpus.packed``, as the sandboxed grader's tests (``sandbox_groups``) and otter's
    (``corpus_groups``) use it: every case once; cases that share a notebook answer different
    questions and fail only questions they answer, so each question's score in the notebook is
    its case's; and as few notebooks as the question answered most often allows (first fit
    reaches that bound on this corpus; a case that defines a name another case defines may
    need one more: then say so here)."""
    from corpus import corpus_groups, group_expected, max_scores, sandbox_cases, sandbox_groups

    groups = sandbox_groups(topic) if grader == "sandbox" else corpus_groups(topic)
    every = sorted(p.stem for p in (ROOT / "autograder" / "corpus" / topic).glob("*.py"))
    assert sorted(c for g in groups for c in g) == (sorted(sandbox_cases(topic))
                                                   if grader == "sandbox" else every)
    cases = {c: read_case(ROOT / "autograder" / "corpus" / topic / f"{c}.py")
             for g in groups for c in g}
    full = max_scores(topic)
    for group in groups:
        questions = set().union(*(cases[c].answers for c in group))
        if len(group) > 1:
            assert sum(len(cases[c].answers) for c in group) == len(questions), group
            assert all({q for q, t in cases[c].fails.items() if t} <= set(cases[c].answers)
                       for c in group), group
        expected = group_expected(topic, group)
        for c in group:
            assert all(expected[q] == cases[c].expected[q] for q in cases[c].answers)
        assert all(expected[q] == full[q] for q in full if q not in questions)
    alone = {c for c in cases if not {q for q, t in cases[c].fails.items() if t}
             <= set(cases[c].answers)}
    busiest = max(sum(q in cases[c].answers for c in cases if c not in alone) for q in full)
    assert len(groups) == busiest + len(alone)
