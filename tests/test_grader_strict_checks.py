"""Degenerate values never pass a numeric check: type and shape before tolerance.

Each value below is what a submission's function returns, taken through the real wire as both
graders take it (``harness.plain`` and its strict encoder in the student's process, ``json``,
:func:`spec.decode` in the trusted one; otter's in-cell path converts the same way), then judged
by the checks the questions use where a number (``predictCommunication``, 03) or a d-vector
(``combineLocalRegressionResults``, 04; ``linregClosedForm``, 01) is expected. Every case of
``DEGENERATE`` passed at least one of these checks before they were made strict (an empty
array is ``np.allclose`` to anything; ``(0, 1)`` broadcasts against ``(d,)``; a bool is 1;
``inf`` is close to ``inf``; a numpy subclass was unwrapped), which is how a notebook with no
computation earned 7/9 and 8/11 on notebooks 03 and 04.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from autograder.grader import harness, spec  # noqa: E402

pytestmark = pytest.mark.quick

# np.matrix is one of the degenerate values on purpose: numpy's warning about it is not news.
warnings.filterwarnings("ignore", "the matrix subclass", PendingDeprecationWarning)

NUMBER = 3.5                                  # a reference result that is one number
VECTOR = np.array([1.0, 1.0, 1.0])            # a reference d-vector (equal entries: the
#                                               hardest case for broadcast shapes)


def wire(value):
    """``value`` as the trusted grader sees it after the sandbox returned it."""
    out = []
    harness._enc(harness.plain(value), out)
    return spec.decode(json.loads("".join(out)))


class Sub(np.ndarray):
    """A student's ndarray subclass holding the right numbers."""


class LyingFloat(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


class Liar:
    """Says it is whatever it is compared with."""

    shape, ndim, dtype, size = (3,), 1, np.dtype(float), 3

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __float__(self):
        return NUMBER

    def __index__(self):
        return 3

    def __len__(self):
        return 3

    def __iter__(self):
        return iter(VECTOR.tolist())

    def __array__(self, dtype=None, copy=None):
        return VECTOR.copy()


class LyingScalar(np.float64):
    def __eq__(self, other):
        return True

    __hash__ = np.float64.__hash__


NUMBER_CHECKS = {
    "number() + close()": [spec.number(), spec.close()],
    "close(shape=False)": [spec.close(shape=False)],          # predictCommunication (03)
    "close()": [spec.close()],
}
VECTOR_CHECKS = {
    "same_shape() + close()": [spec.same_shape(), spec.close()],
    "close(shape=False)": [spec.close(shape=False)],          # combineLocalRegressionResults (04)
    "close()": [spec.close()],
}

# (name, value) that must fail every check where a number is expected. Each passed at least
# one of NUMBER_CHECKS before (checked once against the old spec.py: 7 of these classes).
DEGENERATE_NUMBER = [
    ("empty list", []),
    ("empty tuple", ()),
    ("np.zeros(0)", np.zeros(0)),
    ("np.zeros((0, 1))", np.zeros((0, 1))),
    ("nested empty list", [[]]),
    ("ndarray subclass", np.array(NUMBER).view(Sub)),
    ("np.matrix", np.matrix([[NUMBER]])),
]
# ... and where a d-vector is expected (11 classes that passed before).
DEGENERATE_VECTOR = [
    ("np.zeros((0, 1))", np.zeros((0, 1))),
    ("np.zeros((0, 3))", np.zeros((0, 3))),
    ("(d, 1) column", VECTOR.reshape(-1, 1)),
    ("(1, d) row", VECTOR.reshape(1, -1)),
    ("one number for the vector", 1.0),
    ("[1.0] for the vector", [1.0]),
    ("bool array", np.ones(3, dtype=bool)),
    ("list of bools", [True, True, True]),
    ("ndarray subclass", VECTOR.view(Sub)),
    ("np.matrix", np.matrix(VECTOR)),
    ("list of numpy subclasses", [np.array(1.0).view(Sub)] * 3),
]
# Refused before as well; kept so that the strict path keeps refusing them.
ALSO_REFUSED_NUMBER = [
    ("NaN", float("nan")),
    ("inf", float("inf")),
    ("np.inf scalar", np.float64(np.inf)),
    ("True", True),
    ("np.bool_", np.bool_(True)),
    ("0-d bool array", np.array(True)),
    ("string", "3.5"),
    ("numpy string", np.str_("3.5")),
    ("float subclass with a lying __eq__", LyingFloat(NUMBER)),
    ("np.float64 subclass with a lying __eq__", LyingScalar(NUMBER)),
    ("object with __float__/__array__/__eq__", Liar()),
    ("right number beside a bool", [NUMBER, True]),
]
ALSO_REFUSED_VECTOR = [
    ("empty list", []),
    ("np.zeros(0)", np.zeros(0)),
    ("NaN entry", np.array([1.0, np.nan, 1.0])),
    ("inf entries", np.full(3, np.inf)),
    ("object with __array__/__eq__", Liar()),
    ("string", "[1. 1. 1.]"),
]
NUMBER_CASES = DEGENERATE_NUMBER + ALSO_REFUSED_NUMBER
VECTOR_CASES = DEGENERATE_VECTOR + ALSO_REFUSED_VECTOR


@pytest.mark.parametrize("name, value", NUMBER_CASES, ids=[n for n, _ in NUMBER_CASES])
@pytest.mark.parametrize("checks", list(NUMBER_CHECKS), ids=list(NUMBER_CHECKS))
def test_degenerate_value_never_passes_where_a_number_is_expected(name, value, checks):
    got = wire(value)
    assert spec.run_checks(NUMBER_CHECKS[checks], got, NUMBER, {}) is not None, (name, got)


@pytest.mark.parametrize("name, value", VECTOR_CASES, ids=[n for n, _ in VECTOR_CASES])
@pytest.mark.parametrize("checks", list(VECTOR_CHECKS), ids=list(VECTOR_CHECKS))
def test_degenerate_value_never_passes_where_a_vector_is_expected(name, value, checks):
    got = wire(value)
    assert spec.run_checks(VECTOR_CHECKS[checks], got, VECTOR, {}) is not None, (name, got)


@pytest.mark.parametrize("value", [NUMBER, np.float64(NUMBER), np.float32(NUMBER), [NUMBER],
                                   np.array(NUMBER), np.array([NUMBER])])
def test_honest_numbers_still_pass_close_without_the_shape_check(value):
    assert spec.close(shape=False)(wire(value), NUMBER, {}) is None


@pytest.mark.parametrize("value", [VECTOR, VECTOR.tolist(), tuple(VECTOR), VECTOR.astype(int),
                                   VECTOR.astype(np.float32)])
def test_honest_vectors_still_pass(value):
    for checks in VECTOR_CHECKS.values():
        assert spec.run_checks(checks, wire(value), VECTOR, {}) is None


def test_the_reference_own_non_finite_values_are_matched_exactly():
    want = np.array([1.0, np.inf, np.nan])
    assert spec.close()(np.array([1.0, np.inf, np.nan]), want, {}) is None
    assert spec.close()(np.array([1.0, -np.inf, np.nan]), want, {}) == \
        "the result contains NaN or infinity"
    assert spec.close()(np.array([1.0, np.inf, 0.0]), want, {}) == \
        "the values differ from the expected ones"


@pytest.mark.parametrize("sent", [True, -1, 1.0, "0", None])  # True and -1 passed before
def test_meter_below_refuses_a_count_that_is_not_a_plain_count(sent):
    assert spec.meter_below(1000)(None, None, {"meter": {"result_bytes": sent}}) == \
        "the communication could not be measured"


@pytest.mark.parametrize("name, value", [("True", True), ("np.bool_", np.bool_(True)),
                                         ("empty list", []), ("NaN", float("nan"))])
def test_exact_count_checks_refuse_degenerate_counts(name, value):
    exact = spec.close(rtol=0, atol=0)  # how 04 compares counts
    assert spec.run_checks([spec.item(1, exact)], (np.ones(3), wire(value)), (np.ones(3), 1),
                           {}) is not None


def test_a_numpy_bool_count_passed_before():
    """The one exact-count case above that the old checks let through: np.bool_(True) == 1."""
    exact = spec.close(rtol=0, atol=0)
    assert exact(wire(np.bool_(True)), 1, {}) == "expected numbers, got a numpy bool scalar"
