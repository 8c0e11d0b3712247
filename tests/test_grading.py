"""The otter autograder gives every corpus submission the score it must get.

Reference submission: full marks. Blank student notebook: zero. Each wrong or alternative
submission in ``autograder/corpus/``: the scores in its ``EXPECTED``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grading import ROOT, build_submission, max_scores, otter_scores, read_case

TOPICS = sorted(p.name for p in (ROOT / "autograder" / "corpus").iterdir() if p.is_dir())
CASES = [(topic, case.stem) for topic in TOPICS
         for case in sorted((ROOT / "autograder" / "corpus" / topic).glob("*.py"))]


def _feedback(results) -> str:
    return "\n".join(f"{t['name']}: {t.get('output', '')[:1500]}" for t in results["tests"])


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


@pytest.mark.parametrize("topic,case", CASES)
def test_corpus_submission_gets_its_expected_score(topic, case, tmp_path):
    expected, answers = read_case(ROOT / "autograder" / "corpus" / topic / f"{case}.py")
    assert set(expected) == set(max_scores(topic)), "EXPECTED must name every question"
    # Start from the reference answers, so each case differs from full marks only where it says.
    sub = build_submission(ROOT / "autograder" / "samples" / topic / "reference.ipynb", answers,
                           tmp_path / f"{topic}.ipynb")
    scores, results = otter_scores(sub, topic, tmp_path)
    assert scores == expected, _feedback(results)
