"""Model quality on small data (notebook 03, section 5): arrays on the driver, scaling, and ridge
regression with an unpenalised intercept trained by gradient descent.

The songs are small (a few thousand training rows of 12 features): the lecture's "small n,
small d" case, where the data is collected once and broadcast, and the many models of a
hyperparameter grid are what runs in parallel. These are the driver-side pieces around the
students' functions.
"""

from __future__ import annotations

import numpy as np


def collect_xy(points) -> tuple[np.ndarray, np.ndarray]:
    """An RDD of ``LabeledPoint`` collected as ``(X, y)``: shapes ``(n, d)`` and ``(n,)``, floats.

    Only for small data: every row crosses to the driver once (``O(nd)`` bytes)."""
    rows = points.map(lambda lp: (float(lp.label), lp.features.toArray())).collect()
    if not rows:
        raise ValueError("the RDD is empty: nothing to collect")
    return np.vstack([f for _, f in rows]), np.array([label for label, _ in rows])


def standardize(train: np.ndarray, *others: np.ndarray) -> list[np.ndarray]:
    """Every feature scaled to mean 0 and standard deviation 1 *on the training rows*; the same
    shift and scale applied to ``others`` (validation and test rows never inform the scaling).
    Returns ``[train, *others]`` scaled, shapes unchanged. A constant feature is only centred."""
    mean, std = train.mean(axis=0), train.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return [(X - mean) / std for X in (train, *others)]


def with_intercept(X: np.ndarray) -> np.ndarray:
    """``X`` of shape ``(n, d)`` with a column of ones in front: shape ``(n, d + 1)``."""
    return np.hstack([np.ones((X.shape[0], 1)), X])


def safe_step(X: np.ndarray, reg_param: float = 0.0) -> float:
    """A constant step that converges for ridge regression on ``X`` (``(n, d)``, intercept column
    added here): ``1 / L`` with ``L`` the largest eigenvalue of ``X₁ᵀX₁/n`` plus ``reg_param``, an
    upper bound on the curvature of half the mean squared error plus the penalty, which spares the
    intercept (exact after :func:`standardize`). Notebook 02: any constant step below ``2 / L``
    converges."""
    Xi = with_intercept(X)
    return 1.0 / (float(np.linalg.eigvalsh(Xi.T @ Xi / len(Xi)).max()) + reg_param)


def ridge_gradient_descent(X: np.ndarray, y: np.ndarray, reg_param: float, alpha: float,
                           num_iters: int) -> np.ndarray:
    """Weights ``(intercept, w₁ … w_d)``, shape ``(d + 1,)``, after ``num_iters`` steps from zero of

        w ← w − alpha · ( X₁ᵀ(X₁w − y)/n + reg_param · (0, w₁, …, w_d) )

    where ``X₁`` is ``X`` with a column of ones in front: the gradient of the mean squared error
    over 2 plus the ridge penalty ``reg_param/2 · ‖w₁…w_d‖²``, which leaves the intercept alone.
    Notebook 03's exercise ``gridSearch2D`` runs these steps inside each Spark task."""
    Xi = with_intercept(X)
    w = np.zeros(Xi.shape[1])
    for _ in range(num_iters):
        gradient = Xi.T @ (Xi @ w - y) / len(y)
        gradient[1:] += reg_param * w[1:]
        w = w - alpha * gradient
    return w
