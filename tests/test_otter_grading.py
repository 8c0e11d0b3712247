"""The otter autograder gives every corpus submission the score it must get.

Reference submission: full marks. Blank student notebook: zero. Each wrong or alternative
submission in ``autograder/corpus/``: the scores in its ``EXPECTED``.

``otter run`` (a fresh kernel and Spark session per notebook, about 40 s here) grades the
reference, the blank notebook and one corpus file that loses marks, per topic. The whole corpus
is graded by otter's own test files and scoring in one process per topic
(``tests/otter_in_process.py``), which must agree with ``otter run`` on that file.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path

import pytest

from corpus import (ROOT, build_submission, max_scores, otter_scores, otter_scores_in_process,
                     read_case)

pytestmark = pytest.mark.grading

TOPICS = sorted(p.name for p in (ROOT / "autograder" / "corpus").iterdir() if p.is_dir())
CASES = {topic: sorted(p.stem for p in (ROOT / "autograder" / "corpus" / topic).glob("*.py"))
         for topic in TOPICS}


def _in_topic_group(topic, *values):
    """One worker per topic: its corpus is graded once, in one process, for all its tests."""
    return pytest.param(topic, *values, marks=pytest.mark.xdist_group(f"otter-{topic}"))


def _feedback(results) -> str:
    return "\n".join(f"{t['name']}: {t.get('output', '')[:1500]}" for t in results["tests"])


def _build(topic: str, case: str, dest: Path) -> tuple[dict, Path]:
    """The corpus case as a submission: the reference answers, with its own in their place."""
    expected, answers = read_case(ROOT / "autograder" / "corpus" / topic / f"{case}.py")
    assert set(expected) == set(max_scores(topic)), "EXPECTED must name every question"
    sub = build_submission(ROOT / "autograder" / "samples" / topic / "reference.ipynb", answers,
                           dest / f"{case}.ipynb")
    return expected, sub


@functools.lru_cache(maxsize=None)
def _corpus_graded(topic: str) -> dict:
    """``{case: (expected, scores, results)}`` for every corpus case of ``topic``, in one run."""
    workdir = Path(tempfile.mkdtemp(prefix=f"corpus-{topic}-"))
    built = {case: _build(topic, case, workdir) for case in CASES[topic]}
    graded = otter_scores_in_process([sub for _, sub in built.values()], topic, workdir)
    return {case: (expected, *graded[sub]) for case, (expected, sub) in built.items()}


@pytest.mark.parametrize("topic", TOPICS)
def test_reference_gets_full_marks(topic, tmp_path):
    sub = tmp_path / f"{topic}.ipynb"
    shutil.copyfile(ROOT / "autograder" / "samples" / topic / "reference.ipynb", sub)
    scores, results = otter_scores(sub, topic, tmp_path)
    assert scores == max_scores(topic), _feedback(results)


@pytest.mark.parametrize("topic", TOPICS)
def test_blank_student_notebook_gets_zero(topic, tmp_path):
    sub = tmp_path / f"{topic}.ipynb"
    shutil.copyfile(ROOT / "notebooks" / f"{topic}.ipynb", sub)
    scores, results = otter_scores(sub, topic, tmp_path)
    assert scores == {q: 0 for q in max_scores(topic)}, _feedback(results)


@pytest.mark.parametrize("topic,case", [_in_topic_group(t, c) for t in TOPICS for c in CASES[t]])
def test_corpus_submission_gets_its_expected_score(topic, case):
    expected, scores, results = _corpus_graded(topic)[case]
    assert scores == expected, _feedback(results) + "\n" + "\n".join(results["errors"])


@pytest.mark.parametrize("topic", [_in_topic_group(t) for t in TOPICS])
def test_otter_run_agrees_with_the_in_process_grading(topic, tmp_path):
    # The first case that loses marks: agreeing on full marks alone would prove little.
    case = next(c for c in CASES[topic] if _corpus_graded(topic)[c][0] != max_scores(topic))
    expected, sub = _build(topic, case, tmp_path)
    scores, results = otter_scores(sub, topic, tmp_path)
    assert scores == expected == _corpus_graded(topic)[case][1], _feedback(results)
