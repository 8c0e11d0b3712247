"""The otter autograder fails every corpus submission on exactly the hidden tests it names.

Each wrong or alternative submission in ``autograder/corpus/`` fails the declared hidden tests in
its ``FAILS`` and passes every other one, so it gets the scores those imply. The whole corpus,
the reference (full marks) and the blank student notebook (zero) are graded by otter's own test
files and scoring in one process per topic (``tests/otter_in_process.py``), cases that answer
different questions sharing a notebook (``corpus.packed``: each question's hidden tests stand the
reference in for the other questions' functions, so each case scores in it as it scores alone;
17 cases of 01 take 8 notebooks). One notebook that
loses marks on some questions and keeps them on the others is also graded the way Gradescope
grades (``tests/gradescope_layout.py``: the zip unpacked as ``/autograder``, a fresh environment
made from the zip alone, a fresh kernel and Spark session), and must agree: that run proves the
zip's environment, its data and otter's grading there at once, and costs about 45 s. It runs for
one topic: the four zips declare the same environment and ship the same helpers and grader, and
every other topic's zip is loaded in that environment by ``tests/test_gradescope.py``, while its
tests grade every corpus case here, in process, from the same zip.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import pytest

from autograder.grader.incell import declarations
from corpus import (ROOT, build_submission, corpus_groups, group_expected, max_scores,
                    otter_scores_in_process, read_case)
from gradescope_layout import gradescope_scores, layout_dir

pytestmark = pytest.mark.grading

TOPICS = sorted(p.name for p in (ROOT / "autograder" / "corpus").iterdir() if p.is_dir())
CASES = {topic: sorted(p.stem for p in (ROOT / "autograder" / "corpus" / topic).glob("*.py"))
         for topic in TOPICS}
# Cases that answer different questions share a notebook (corpus.packed): fewer gradings.
GROUPS = {topic: corpus_groups(topic) for topic in TOPICS}


def _in_topic_group(topic, *values):
    """One worker per topic: its corpus is graded once, in one process, for all its tests."""
    return pytest.param(topic, *values, marks=pytest.mark.xdist_group(f"otter-{topic}"))


def _feedback(results) -> str:
    return "\n".join(f"{t['name']}: {t.get('output', '')[:1500]}" for t in results["tests"])


def _build(topic: str, group: list[str], dest: Path) -> Path:
    """The cases of ``group`` as one submission: the reference answers, with theirs in their
    place (``corpus.packed``: they answer different questions)."""
    answers = {}
    for case in group:
        c = read_case(ROOT / "autograder" / "corpus" / topic / f"{case}.py")
        assert set(c.expected) == set(max_scores(topic)), "the case must cover every question"
        answers.update(c.answers)
    return build_submission(ROOT / "autograder" / "samples" / topic / "reference.ipynb", answers,
                            dest / f"{'+'.join(group)}.ipynb")


def _failed_hidden_tests(topic: str, results: dict) -> dict:
    """``{question: [hidden test names that failed]}`` from otter's per-case results."""
    declared = {q.name: q for q in declarations(topic).QUESTIONS}
    failed = {}
    for t in results["tests"]:
        tests = declared[t["name"]].tests
        names = [d.name for d, ok in zip(tests, t["cases"]) if not ok and not d.public]
        if names:
            failed[t["name"]] = names
    return failed


@functools.lru_cache(maxsize=None)
def _graded_in_process(topic: str) -> dict:
    """``{group: (scores, results)}`` for every notebook of ``topic``'s packed corpus (a tuple
    of case names), and ``{"reference" | "blank": (scores, results)}``, all in one run."""
    workdir = Path(tempfile.mkdtemp(prefix=f"corpus-{topic}-"))
    built = {tuple(group): _build(topic, group, workdir) for group in GROUPS[topic]}
    own = {"reference": ROOT / "autograder" / "samples" / topic / "reference.ipynb",
           "blank": ROOT / "notebooks" / f"{topic}.ipynb"}
    graded = otter_scores_in_process(list(built.values()) + list(own.values()), topic, workdir)
    return {**{group: graded[sub] for group, sub in built.items()},
            **{name: graded[path] for name, path in own.items()}}


def _group_of(topic: str, case: str) -> tuple:
    return next(tuple(g) for g in GROUPS[topic] if case in g)


@pytest.mark.parametrize("topic", [_in_topic_group(t) for t in TOPICS])
def test_reference_gets_full_marks(topic):
    scores, results = _graded_in_process(topic)["reference"]
    assert scores == max_scores(topic), _feedback(results) + "\n".join(results["errors"])


@pytest.mark.parametrize("topic", [_in_topic_group(t) for t in TOPICS])
def test_blank_student_notebook_gets_zero(topic):
    scores, results = _graded_in_process(topic)["blank"]
    assert scores == {q: 0 for q in max_scores(topic)}, _feedback(results)


@pytest.mark.parametrize("topic,case", [_in_topic_group(t, c) for t in TOPICS for c in CASES[t]])
def test_corpus_submission_fails_exactly_its_tests(topic, case):
    """The case fails exactly its ``FAILS`` and scores what they imply, in the notebook it shares
    with cases that answer other questions (``corpus.packed``), which score theirs, every
    question no case answers keeping full marks."""
    group = _group_of(topic, case)
    scores, results = _graded_in_process(topic)[group]
    cases = [read_case(ROOT / "autograder" / "corpus" / topic / f"{c}.py") for c in group]
    failed = _failed_hidden_tests(topic, results)
    own = read_case(ROOT / "autograder" / "corpus" / topic / f"{case}.py")
    why = f"in {'+'.join(group)}:\n" + _feedback(results) + "\n" + "\n".join(results["errors"])
    # its questions: those it answers, and those it fails (a case that fails a question it
    # does not answer has a notebook to itself)
    mine = set(own.answers) | {q for q, v in own.fails.items() if v}
    assert ({q: set(v) for q, v in failed.items() if q in mine}
            == {q: set(v) for q, v in own.fails.items() if v}), why
    assert {q: scores[q] for q in mine} == {q: own.expected[q] for q in mine}, why
    # the questions no case of the notebook answers or fails: untouched by them
    theirs = set().union(*(set(c.answers) | set(c.fails) for c in cases))
    assert not {q for q in failed if q not in theirs}, why
    assert scores == group_expected(topic, list(group)), why


# The topic graded the Gradescope way: the one whose notebook runs fastest (it loads the data too).
GRADESCOPE_TOPIC = "03_communication" if "03_communication" in TOPICS else TOPICS[0]


@pytest.mark.parametrize("topic", [_in_topic_group(GRADESCOPE_TOPIC)])
def test_gradescope_agrees_with_the_in_process_grading(topic, tmp_path):
    # The notebook holding the most corpus cases among those that lose marks on some questions
    # and keep them on others (agreeing on full marks alone would prove little, on zero less).
    full = max_scores(topic)

    def lost(group):
        return sum(v != full[q] for q, v in group_expected(topic, group).items())

    group = max((g for g in GROUPS[topic] if 0 < lost(g) < len(full)), key=len)
    expected = group_expected(topic, group)
    sub = _build(topic, group, tmp_path)
    scores, results = gradescope_scores(sub, topic, tmp_path / "work")
    assert scores == expected == _graded_in_process(topic)[tuple(group)][0], _feedback(results)
    # helpers found the zip's data file: it did not look for one to download.
    assert not (layout_dir(tmp_path / "work") / "home" / ".cache" / "distml").exists()
