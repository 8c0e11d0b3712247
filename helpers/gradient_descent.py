"""Gradient descent for least squares on Spark, block by block (derived in notebook 02).

Notebook 02 derives the lecture's update with one ``LabeledPoint`` per row::

    for i in range(numIters):
        alpha_i = alpha / (n * np.sqrt(i + 1))
        gradient = train.map(lambda lp: gradientSummand(w, lp)).sum()
        w -= alpha_i * gradient

where ``gradientSummand(w, lp)`` is ``(w·x − y) x``, so ``gradient`` is ``Xᵀ(Xw − y)``. This
module runs exactly that update on an RDD of ``(X, y)`` blocks (see :mod:`helpers.datasets`),
one matrix product per partition instead of one Python call per row, through
:func:`helpers.linreg.block_gradient`: O(nd) work and O(d) state per iteration. Notebook 02
checks it against the row-at-a-time exercise and uses it for its timings; later notebooks use
:func:`gd_blocks` as their gradient-descent reference.
"""

from __future__ import annotations

import math

import numpy as np

from helpers.datasets import block_width
from helpers.linreg import block_gradient

__all__ = ["step_size", "gd_blocks"]


def step_size(alpha: float, n: int, i: int) -> float:
    """The lecture's step at iteration ``i`` (counted from 0): ``alpha / (n · √(i + 1))``.

    Dividing by ``n`` turns the summed gradient into a mean, so ``alpha`` does not depend on how
    much data there is; dividing by ``√(i + 1)`` shrinks the steps so the iterates settle.

    >>> step_size(1.0, 100, 0), step_size(1.0, 100, 3), step_size(0.5, 4, 15)
    (0.01, 0.005, 0.03125)
    """
    return alpha / (n * math.sqrt(i + 1))


def _squared_error(blocks, weights) -> tuple[float, int]:
    """``(‖Xw − y‖², n)`` over an RDD of blocks: one pass, a float and a count per partition."""
    w = np.asarray(weights, dtype=float)
    return blocks.map(lambda b: (float(np.sum((b[0] @ w - b[1]) ** 2)), b[0].shape[0])).fold(
        (0.0, 0), lambda a, b: (a[0] + b[0], a[1] + b[1]))


def gd_blocks(blocks, num_iters: int, alpha: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Least squares by the lecture's gradient descent on an RDD of ``(X, y)`` blocks.

    The weights start at zero. Iteration ``i`` (from 0) first records the training RMSE of the
    current weights in ``errorTrain[i]``, then takes the step
    ``w ← w − alpha / (n·√(i + 1)) · Xᵀ(Xw − y)``. Each iteration is two Spark jobs (the error
    and the gradient), each O(nd) work on the executors and O(d) floats per partition to the
    driver; the data should be cached.

    Parameters
    ----------
    blocks : RDD of (X, y)
        ``X`` of shape ``(rows, d)``, ``y`` of shape ``(rows,)``; n rows in all (no intercept
        column is added).
    num_iters : int
        Number of iterations (0 returns the starting weights).
    alpha : float
        Step-size scale; see :func:`step_size`.

    Returns
    -------
    weights : numpy.ndarray, shape (d,)
        The weights after ``num_iters`` steps.
    errorTrain : numpy.ndarray, shape (num_iters,)
        Training RMSE before each step (``errorTrain[0]`` is that of the zero weights).

    Examples
    --------
    >>> from helpers import synthetic_blocks
    >>> blocks, w_true = synthetic_blocks(sc, 10_000, 3, seed=1)
    >>> w, errorTrain = gd_blocks(blocks.cache(), 5)
    >>> w.shape, errorTrain.shape
    ((3,), (5,))
    >>> bool(errorTrain[-1] < errorTrain[0])      # each step lowers the training error
    True
    """
    if int(num_iters) != num_iters or num_iters < 0:
        raise ValueError(f"num_iters must be a non-negative integer, got {num_iters!r}")
    w = np.zeros(block_width(blocks, "gd_blocks"))
    errorTrain = np.zeros(int(num_iters))
    for i in range(int(num_iters)):
        sse, n = _squared_error(blocks, w)
        if n == 0:
            raise ValueError("gd_blocks needs at least one row of data")
        errorTrain[i] = math.sqrt(sse / n)  # the error of the weights *before* this step
        gradient, n = block_gradient(blocks, w)
        w = w - step_size(alpha, n, i) * gradient
    return w, errorTrain

