"""Unit tests of helpers.local_updates: divide-and-conquer and local updates on blocks.

Every reference value is computed here with plain numpy on the driver, independently of the
module, on blocks of unequal sizes whose features differ (so an unweighted average, a step
normalised by the wrong count or a wrong number of steps all give a different answer).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import helpers
from helpers import local_updates as lu
from helpers import timing


def _blocks(sizes, d=3, noise=0.5, seed=0, shift=True):
    """Blocks of the given sizes; block k's features are shifted by k, so blocks differ."""
    rng = np.random.default_rng(seed)
    w = rng.normal(size=d)
    out = []
    for k, m in enumerate(sizes):
        X = rng.normal(size=(m, d)) + (k if shift else 0)
        y = X @ w + noise * rng.normal(size=m) + (0.3 * k * X[:, 0] ** 2 if noise else 0)
        out.append((X, y))
    return out, w


def _numpy_local_updates(blocks, rounds, steps, alpha):
    """The algorithm as the docstring states it, on the driver."""
    d = blocks[0][0].shape[1]
    w, errors = np.zeros(d), []
    X_all = np.vstack([b[0] for b in blocks if len(b[1])])
    y_all = np.concatenate([b[1] for b in blocks if len(b[1])])
    for _ in range(rounds):
        errors.append(math.sqrt(np.mean((X_all @ w - y_all) ** 2)))
        results, counts = [], []
        for X, y in blocks:
            if len(y) == 0:
                continue
            v = w.copy()
            for _ in range(steps):
                v = v - alpha / len(y) * X.T @ (X @ v - y)
            results.append(v)
            counts.append(len(y))
        w = np.average(results, axis=0, weights=counts)
    return w, np.array(errors)


# --- local_least_squares and local_gradient_steps (no Spark) ---------------------------------

def test_local_least_squares_is_lstsq_and_min_norm_when_underdetermined():
    (X, y), = _blocks([40], d=4)[0]
    assert np.allclose(lu.local_least_squares(X, y), np.linalg.lstsq(X, y, rcond=None)[0])
    w = lu.local_least_squares([[1.0, 1.0]], [2.0])  # one row, two unknowns
    assert np.allclose(w, [1.0, 1.0])


def test_local_gradient_steps_uses_the_mean_gradient_and_keeps_its_input():
    rng = np.random.default_rng(3)
    X, y, w0 = rng.normal(size=(30, 3)), rng.normal(size=30), rng.normal(size=3)
    start = w0.copy()
    one = lu.local_gradient_steps(X, y, w0, 1, 0.2)
    assert np.allclose(one, w0 - 0.2 / 30 * X.T @ (X @ w0 - y))
    assert np.array_equal(w0, start), "the starting weights must not be modified"
    two = lu.local_gradient_steps(X, y, w0, 2, 0.2)
    assert np.allclose(two, one - 0.2 / 30 * X.T @ (X @ one - y))
    assert np.array_equal(lu.local_gradient_steps(X, y, w0, 0, 0.2), w0)
    many = lu.local_gradient_steps(X, y, np.zeros(3), 2000, 0.5)
    assert np.allclose(many, np.linalg.lstsq(X, y, rcond=None)[0], atol=1e-8)


# --- divide and conquer ----------------------------------------------------------------------

def test_divide_and_conquer_is_the_count_weighted_average_of_local_solutions(sc):
    blocks, _ = _blocks([20, 60, 200])
    w, n = lu.divide_and_conquer_blocks(sc.parallelize(blocks, 3))
    local = [np.linalg.lstsq(X, y, rcond=None)[0] for X, y in blocks]
    want = np.average(local, axis=0, weights=[20, 60, 200])
    assert n == 280 and w.shape == (3,)
    assert np.allclose(w, want, rtol=1e-10)
    # The data are chosen so that the plausible mistakes give other answers.
    assert not np.allclose(w, np.mean(local, axis=0), rtol=1e-3), "unweighted mean coincides"
    X, y = np.vstack([b[0] for b in blocks]), np.concatenate([b[1] for b in blocks])
    exact = np.linalg.lstsq(X, y, rcond=None)[0]
    assert not np.allclose(w, exact, rtol=1e-3), "differing blocks should bias the average"


def test_divide_and_conquer_is_exact_on_noise_free_data_and_on_one_block(sc):
    blocks, w_true = _blocks([15, 40, 90, 7], d=4, noise=0.0)
    w, n = lu.divide_and_conquer_blocks(sc.parallelize(blocks, 4))
    assert n == 152 and np.allclose(w, w_true, atol=1e-10)
    noisy, _ = _blocks([300], d=4)
    w1, _ = lu.divide_and_conquer_blocks(sc.parallelize(noisy, 1))
    assert np.allclose(w1, helpers.closed_form_blocks(sc.parallelize(noisy, 1)), rtol=1e-9)


def test_divide_and_conquer_skips_empty_blocks_and_partitions(sc):
    blocks, _ = _blocks([25, 50], d=2)
    empty = (np.empty((0, 2)), np.empty(0))
    rdd = sc.parallelize([blocks[0], empty, blocks[1]], 3).union(sc.parallelize([], 2))
    w, n = lu.divide_and_conquer_blocks(rdd)
    local = [np.linalg.lstsq(X, y, rcond=None)[0] for X, y in blocks]
    assert n == 75 and np.allclose(w, np.average(local, axis=0, weights=[25, 50]))
    with pytest.raises(ValueError, match="at least one row"):
        lu.divide_and_conquer_blocks(sc.parallelize([empty], 1))


# --- local updates ---------------------------------------------------------------------------

def test_local_updates_match_the_algorithm_as_stated(sc):
    blocks, _ = _blocks([20, 60, 200], noise=0.5)
    w, errors = lu.local_updates_blocks(sc.parallelize(blocks, 3), 4, 5, 0.05)
    want_w, want_errors = _numpy_local_updates(blocks, 4, 5, 0.05)
    assert w.shape == (3,) and errors.shape == (4,)
    assert np.allclose(w, want_w, rtol=1e-10)
    assert np.allclose(errors, want_errors, rtol=1e-10)
    assert errors[0] == pytest.approx(math.sqrt(np.mean(np.concatenate([b[1] for b in blocks]) ** 2)))


def test_one_local_step_is_full_gradient_descent_with_a_constant_step(sc):
    blocks, _ = _blocks([30, 70, 150], noise=0.5)
    rdd = sc.parallelize(blocks, 3).cache()
    w, _ = lu.local_updates_blocks(rdd, 6, 1, 0.05)
    gd = np.zeros(3)
    for _ in range(6):
        gradient, n = helpers.block_gradient(rdd, gd)
        gd = gd - 0.05 / n * gradient
    assert np.allclose(w, gd, rtol=1e-10)


def test_many_local_steps_in_one_round_reach_divide_and_conquer(sc):
    blocks, _ = _blocks([50, 120, 80], noise=0.5, shift=False)
    rdd = sc.parallelize(blocks, 3)
    w, errors = lu.local_updates_blocks(rdd, 1, 3000, 0.3)
    dc, _ = lu.divide_and_conquer_blocks(rdd)
    assert np.allclose(w, dc, atol=1e-8)
    zero, none = lu.local_updates_blocks(rdd, 0, 5, 0.3)
    assert np.array_equal(zero, np.zeros(3)) and none.shape == (0,)


def test_local_updates_skip_empty_partitions_and_use_one_job_per_round(sc):
    blocks, _ = _blocks([40, 90], noise=0.5)
    rdd = sc.parallelize(blocks, 2).union(sc.parallelize([], 2)).cache()
    _ = rdd.count()
    with helpers.meter(sc) as m:
        w, _ = lu.local_updates_blocks(rdd, 5, 3, 0.05)
    assert np.allclose(w, _numpy_local_updates(blocks, 5, 3, 0.05)[0], rtol=1e-10)
    assert m.jobs == 5 + 1, f"expected one job per round plus one to find d, ran {m.jobs}"


def test_local_updates_reject_bad_arguments(sc):
    rdd = sc.parallelize(_blocks([10])[0], 1)
    for rounds, steps in ((-1, 1), (2.5, 1), (2, 0), (2, 1.5)):
        with pytest.raises(ValueError):
            lu.local_updates_blocks(rdd, rounds, steps, 0.1)
    with pytest.raises(ValueError, match="non-empty"):
        lu.local_updates_blocks(sc.parallelize([], 2), 1, 1, 0.1)


# --- latency ---------------------------------------------------------------------------------

def test_round_latency_runs_one_job_per_round(sc, monkeypatch):
    # A scripted clock: the timed rounds take 3, 1 and 2 s (median 2; the warm-up is not timed);
    # the meter reads it once on entry and once on exit.
    ticks = iter([0.0, 10.0, 13.0, 20.0, 21.0, 30.0, 32.0, 40.0])
    monkeypatch.setattr(timing, "clock", lambda: next(ticks))
    with helpers.meter(sc) as m:
        seconds = lu.round_latency(sc, 3, d=5, repeat=3, warmup=1)
    assert seconds == 2.0, "not the median seconds of one timed round"
    assert m.jobs == 4 and m.tasks == 4 * 3
    with pytest.raises(ValueError):
        lu.round_latency(sc, 2, repeat=0)
