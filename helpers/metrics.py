"""Error measures, for numpy arrays and for RDDs of ``(label, prediction)`` pairs."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["rmse", "rmse_rdd"]


def rmse(labels, predictions) -> float:
    """Root mean squared error of two equal-length arrays, in the labels' units.

    >>> rmse([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
    1.1547005383792515
    """
    labels, predictions = np.asarray(labels, float), np.asarray(predictions, float)
    if labels.shape != predictions.shape or labels.size == 0:
        raise ValueError(f"need two non-empty arrays of one shape, got {labels.shape} and "
                         f"{predictions.shape}")
    return float(np.sqrt(np.mean((labels - predictions) ** 2)))


def rmse_rdd(labels_and_predictions) -> float:
    """Root mean squared error of an RDD of ``(label, prediction)`` pairs (one Spark job)."""
    total, count = labels_and_predictions.map(lambda lp: ((lp[0] - lp[1]) ** 2, 1)).fold(
        (0.0, 0), lambda a, b: (a[0] + b[0], a[1] + b[1]))
    if count == 0:
        raise ValueError("cannot compute the RMSE of an empty RDD")
    return math.sqrt(total / count)
