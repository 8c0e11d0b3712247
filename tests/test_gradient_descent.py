"""Unit tests of helpers.gradient_descent: the block version of the lecture's gradient descent.

The reference is the update written out in numpy on the same rows (``make_regression`` gives the
rows that ``synthetic_blocks`` generates on the executors), so each test pins one part of the
update: the step ``alpha / (n·√(i+1))``, its sign, the starting point, and when the error is
recorded.
"""

from __future__ import annotations

import numpy as np
import pytest

import helpers
from helpers.gradient_descent import gd_blocks, step_size

N, D, PARTS = 600, 3, 3


def numpy_gd(X, y, num_iters, alpha=1.0):
    """The lecture's update, one machine: error of the current weights, then the step."""
    w, errors = np.zeros(X.shape[1]), []
    for i in range(num_iters):
        residual = X @ w - y
        errors.append(np.sqrt(np.mean(residual ** 2)))
        w = w - alpha / (len(y) * np.sqrt(i + 1)) * (X.T @ residual)
    return w, np.array(errors)


@pytest.fixture(scope="module")
def data(sc):
    """Cached blocks and the same rows as numpy arrays (uniform-ish features, non-zero mean)."""
    blocks, _ = helpers.synthetic_blocks(sc, N, D, noise=0.3, seed=7, num_partitions=PARTS)
    # Shift the features so that XᵀX/n is not close to the identity (which would hide a missing
    # √ or a wrong n after a single step) and the labels away from zero.
    blocks = blocks.map(lambda b: (0.5 * b[0] + 0.5, b[1] + 3.0)).cache()
    X, y, _ = helpers.make_regression(N, D, noise=0.3, seed=7, partitions=PARTS)
    yield blocks, 0.5 * X + 0.5, y + 3.0
    blocks.unpersist()


def test_step_size_is_alpha_over_n_root_i_plus_one():
    assert step_size(1.0, 10, 0) == pytest.approx(0.1)
    assert step_size(2.0, 10, 3) == pytest.approx(2.0 / (10 * 2.0))
    assert step_size(1.0, 1, 8) == pytest.approx(1 / 3)


def test_matches_the_lectures_update_in_numpy(data):
    blocks, X, y = data
    w, errors = gd_blocks(blocks, 8)
    w_ref, errors_ref = numpy_gd(X, y, 8)
    np.testing.assert_allclose(w, w_ref, rtol=1e-10)
    np.testing.assert_allclose(errors, errors_ref, rtol=1e-10)


def test_first_step_is_alpha_over_n_times_xty(data):
    """From w = 0 the gradient is −Xᵀy: a wrong sign, n or factor shows here."""
    blocks, X, y = data
    for alpha in (1.0, 0.25):
        w, _ = gd_blocks(blocks, 1, alpha=alpha)
        np.testing.assert_allclose(w, alpha / N * (X.T @ y), rtol=1e-10)


def test_second_step_shrinks_by_root_two(data):
    blocks, X, y = data
    w1, _ = gd_blocks(blocks, 1)
    w2, _ = gd_blocks(blocks, 2)
    expected = w1 - 1.0 / (N * np.sqrt(2)) * (X.T @ (X @ w1 - y))
    np.testing.assert_allclose(w2, expected, rtol=1e-10)
    without_root = w1 - 1.0 / N * (X.T @ (X @ w1 - y))
    assert not np.allclose(w2, without_root, rtol=1e-6)


def test_error_is_recorded_before_each_update(data):
    blocks, X, y = data
    _, errors = gd_blocks(blocks, 4)
    assert errors[0] == pytest.approx(np.sqrt(np.mean(y ** 2)))  # the zero weights
    for i in range(4):
        w_i, _ = gd_blocks(blocks, i)
        assert errors[i] == pytest.approx(np.sqrt(np.mean((X @ w_i - y) ** 2)), rel=1e-10)
    _, errors_3 = gd_blocks(blocks, 3)
    np.testing.assert_allclose(errors[:3], errors_3, rtol=1e-12)  # a prefix: no look-ahead


def test_shapes_types_and_zero_iterations(data):
    blocks, _, _ = data
    w, errors = gd_blocks(blocks, 5)
    assert isinstance(w, np.ndarray) and w.shape == (D,) and w.dtype == float
    assert isinstance(errors, np.ndarray) and errors.shape == (5,)
    w0, errors0 = gd_blocks(blocks, 0)
    assert np.array_equal(w0, np.zeros(D)) and errors0.shape == (0,)


def test_partitioning_does_not_change_the_answer(sc, data):
    """Uneven and empty partitions (to_blocks skips them) give the same weights."""
    _, X, y = data
    from pyspark.mllib.regression import LabeledPoint

    points = sc.parallelize([LabeledPoint(float(b), a) for a, b in zip(X[:5], y[:5])], 8)
    w, errors = gd_blocks(helpers.to_blocks(points), 6, alpha=0.5)
    w_ref, errors_ref = numpy_gd(X[:5], y[:5], 6, alpha=0.5)
    np.testing.assert_allclose(w, w_ref, rtol=1e-10)
    np.testing.assert_allclose(errors, errors_ref, rtol=1e-10)


def test_recovers_known_weights(sc):
    blocks, w_true = helpers.synthetic_blocks(sc, 20_000, 4, noise=0.1, seed=3)
    blocks = blocks.cache()
    w, errors = gd_blocks(blocks, 15)
    blocks.unpersist()
    assert np.max(np.abs(w - w_true)) < 5 * 0.1 / np.sqrt(20_000) * 3
    assert errors[-1] < errors[0] and errors[-1] == pytest.approx(0.1, rel=0.1)


def test_bad_arguments_are_refused(sc, data):
    blocks, _, _ = data
    with pytest.raises(ValueError, match="num_iters"):
        gd_blocks(blocks, -1)
    with pytest.raises(ValueError, match="num_iters"):
        gd_blocks(blocks, 2.5)
    with pytest.raises(ValueError, match="non-empty"):
        gd_blocks(sc.parallelize([], 2), 3)

