"""Least squares on Spark, block by block: the reference implementations the series reuses.

Notebook 01 derives the closed form ``w = (XᵀX)⁻¹ Xᵀy`` with one outer product per row; the
functions here compute the same sums with one matrix product per partition (``(X, y)`` blocks,
see :mod:`helpers.datasets`), which is what later notebooks, the grader and the benchmark call.
"""

from __future__ import annotations

import numpy as np

from helpers.costmodel import TREE_DEPTH
from helpers.datasets import to_blocks

__all__ = ["normal_equations", "solve_normal_equations", "closed_form_blocks",
           "linreg_closed_form", "predict", "block_gradient"]


def _add(a, b):
    return tuple(x + y for x, y in zip(a, b))


def normal_equations(blocks, *, depth: int = TREE_DEPTH):
    """``(XᵀX, Xᵀy, n)`` summed over an RDD of ``(X, y)`` blocks.

    Only d×d and d-sized partial sums leave each partition; ``treeReduce`` combines them on the
    executors in up to ``depth`` levels, so the driver receives
    :func:`helpers.costmodel.tree_reduce_partitions` of them, not always one per partition.

    Returns:
        ``(XtX, Xty, n)``: arrays of shape ``(d, d)`` and ``(d,)``, and the row count.
    """
    return blocks.map(lambda b: (b[0].T @ b[0], b[0].T @ b[1], b[0].shape[0])).treeReduce(
        _add, depth=depth)


def solve_normal_equations(XtX, Xty, ridge: float = 0.0) -> np.ndarray:
    """Solve ``(XᵀX + ridge·I) w = Xᵀy`` on the driver: O(d³) work, O(d²) memory.

    >>> solve_normal_equations(np.eye(2) * 2, np.array([2.0, 4.0]))
    array([1., 2.])
    """
    XtX = np.asarray(XtX, dtype=float)
    return np.linalg.solve(XtX + ridge * np.eye(XtX.shape[0]), np.asarray(Xty, dtype=float))


def closed_form_blocks(blocks, ridge: float = 0.0) -> np.ndarray:
    """Least-squares weights, shape ``(d,)``, of an RDD of ``(X, y)`` blocks (no intercept)."""
    XtX, Xty, _ = normal_equations(blocks)
    return solve_normal_equations(XtX, Xty, ridge)


def linreg_closed_form(points, ridge: float = 0.0) -> np.ndarray:
    """Least-squares weights of an RDD of LabeledPoint (derived in notebook 01), shape ``(d,)``."""
    return closed_form_blocks(to_blocks(points), ridge)


def predict(points, weights):
    """RDD of LabeledPoint -> RDD of ``(label, prediction)`` float pairs for ``weights``."""
    w = np.asarray(weights, dtype=float)
    return points.map(lambda p: (float(p.label), float(p.features.dot(w))))


def block_gradient(blocks, weights):
    """``(Xᵀ(Xw − y), n)`` over an RDD of blocks: one gradient-descent round, O(nd) work.

    Summed by ``treeReduce`` as in :func:`normal_equations`: d floats per partition, of which
    :func:`helpers.costmodel.tree_reduce_partitions` reach the driver.
    """
    w = np.asarray(weights, dtype=float)
    return blocks.map(lambda b: (b[0].T @ (b[0] @ w - b[1]), b[0].shape[0])).treeReduce(
        _add, depth=TREE_DEPTH)
