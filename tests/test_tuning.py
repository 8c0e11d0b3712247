"""helpers.tuning: scaling on the training rows, the intercept column, the step and ridge steps
with an unpenalised intercept (numpy only; ``collect_xy`` runs where a session is at hand:
notebook 03 and its nbval run)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import tuning

pytestmark = pytest.mark.quick


def test_standardize_uses_the_training_rows_only():
    train = np.array([[1.0, 5.0], [3.0, 5.0]])
    other = np.array([[5.0, 7.0]])
    scaled_train, scaled_other = tuning.standardize(train, other)
    np.testing.assert_allclose(scaled_train, [[-1.0, 0.0], [1.0, 0.0]])  # constant: centred only
    np.testing.assert_allclose(scaled_other, [[3.0, 2.0]])  # the training mean and spread


def test_safe_step_is_one_over_the_largest_curvature():
    X = np.array([[1.0], [-1.0]])  # with the ones: XᵀX/n = I, so L = 1 (+ λ)
    assert tuning.safe_step(X) == pytest.approx(1.0)
    assert tuning.safe_step(X, 3.0) == pytest.approx(0.25)


def test_ridge_steps_reach_the_closed_form_and_leave_the_intercept_unpenalised():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((200, 3))
    y = 40.0 + X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.standard_normal(200)
    lam = 0.5
    w = tuning.ridge_gradient_descent(X, y, lam, tuning.safe_step(X, lam), 2000)
    X1 = tuning.with_intercept(X)
    penalty = lam * np.diag([0.0, 1.0, 1.0, 1.0])  # no penalty on the intercept
    exact = np.linalg.solve(X1.T @ X1 / len(y) + penalty, X1.T @ y / len(y))
    np.testing.assert_allclose(w, exact, rtol=1e-8)
    assert w[0] == pytest.approx(40.0, abs=0.1)  # a penalised intercept would be pulled to 0


def test_one_step_is_the_documented_update():
    X, y = np.array([[2.0], [0.0]]), np.array([4.0, 2.0])
    # w = 0: gradient = X₁ᵀ(0 − y)/2 = [-(4 + 2)/2, -(2·4)/2] = [-3, -4]; the penalty is 0 at w = 0
    np.testing.assert_allclose(tuning.ridge_gradient_descent(X, y, 10.0, 0.5, 1), [1.5, 2.0])
    # a second step: the penalty 10·w₁ acts on w₁ only
    w1 = np.array([1.5, 2.0])
    g = tuning.with_intercept(X).T @ (tuning.with_intercept(X) @ w1 - y) / 2 + [0.0, 10.0 * 2.0]
    np.testing.assert_allclose(tuning.ridge_gradient_descent(X, y, 10.0, 0.5, 2), w1 - 0.5 * g)
