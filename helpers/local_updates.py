"""Compute more, communicate less: divide-and-conquer and local updates on blocks (notebook 04).

Distributed gradient descent pays one round of communication (a Spark job: the weights out to
every partition, a few floats back) per step. Notebook 04 derives, with one ``LabeledPoint`` per
row, the lecture's two ways to need fewer rounds:

- *divide-and-conquer*, one round: every partition solves least squares on its own rows and the
  driver averages the local solutions, weighted by how many rows each had::

      w, n = train.mapPartitions(localLinearRegression).reduce(combineLocalRegressionResults)

- *local updates* (the lecture's mini-batch): every round, every partition starts from the
  current weights, takes several gradient steps on its own rows, and the driver averages the
  results the same way.

The functions here are the same algorithms on an RDD of ``(X, y)`` blocks (see
:mod:`helpers.datasets`), one matrix product per step instead of one Python call per row,
which the notebook times, meters and plots. :func:`round_latency` measures the fixed cost of one
round that local updates amortise.
"""

from __future__ import annotations

import math

import numpy as np

from helpers.datasets import block_width
from helpers.timing import time_it

__all__ = ["local_least_squares", "divide_and_conquer_blocks", "local_gradient_steps",
           "local_updates_round", "local_updates_blocks", "round_latency"]


def local_least_squares(X, y) -> np.ndarray:
    """Least-squares weights of one block: ``argmin_w ‖Xw − y‖²`` (numpy's ``lstsq``).

    Parameters
    ----------
    X : array_like, shape (m, d)
    y : array_like, shape (m,)

    Returns
    -------
    numpy.ndarray, shape (d,)
        The minimum-norm solution if ``X`` has rank below ``d`` (fewer than ``d`` rows, say).

    Examples
    --------
    >>> local_least_squares([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]], [1.0, 4.0, 3.0])
    array([1., 2.])
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.lstsq(X, y, rcond=None)[0]


def _add(a, b):
    return tuple(x + y for x, y in zip(a, b))


def divide_and_conquer_blocks(blocks) -> tuple[np.ndarray, int]:
    """Divide-and-conquer least squares: one round of communication, one Spark job.

    Each block is solved on its own (:func:`local_least_squares`); the driver returns the
    count-weighted average ``Σₖ (mₖ / n) wₖ`` of the local solutions ``wₖ`` (block ``k`` has ``mₖ``
    rows, ``n = Σₖ mₖ``). Blocks with no rows are skipped. The average equals the exact
    least-squares solution when every block has the same local solution (noise-free linear data)
    or the same ``XₖᵀXₖ / mₖ``; otherwise it is in general biased, because the exact solution
    weights each ``wₖ`` by the matrix ``XₖᵀXₖ``, not by the count ``mₖ``.

    Parameters
    ----------
    blocks : RDD of (X, y)
        ``X`` of shape ``(m, d)``, ``y`` of shape ``(m,)``; ``d`` floats per block travel.

    Returns
    -------
    weights : numpy.ndarray, shape (d,)
    n : int
        Rows in all.

    Raises
    ------
    ValueError
        If there are no rows at all.

    Examples
    --------
    >>> from helpers import synthetic_blocks
    >>> blocks, w_true = synthetic_blocks(sc, 1000, 3, noise=0.0)
    >>> w, n = divide_and_conquer_blocks(blocks)
    >>> bool(np.allclose(w, w_true)), n
    (True, 1000)
    """
    def local(b):
        m = b[0].shape[0]
        return (m * local_least_squares(b[0], b[1]), m) if m else (0.0, 0)

    weighted_sum, n = blocks.map(local).fold((0.0, 0), _add)
    if n == 0:
        raise ValueError("divide_and_conquer_blocks needs at least one row of data")
    return weighted_sum / n, n


def local_gradient_steps(X, y, weights, steps: int, alpha: float) -> np.ndarray:
    """``steps`` gradient steps on one block, from ``weights``: ``w ← w − (alpha/m)·Xᵀ(Xw − y)``.

    The step uses the *mean* gradient over the block's ``m`` rows, so ``alpha`` does not depend
    on the block's size. Nothing is communicated: this is what one partition does in a round.

    Parameters
    ----------
    X : numpy.ndarray, shape (m, d), with m > 0
    y : numpy.ndarray, shape (m,)
    weights : numpy.ndarray, shape (d,)
        The starting point (not modified).
    steps : int
        Number of steps (0 returns a copy of ``weights``).
    alpha : float
        Step size; least squares converges for ``0 < alpha < 2 / λmax(XᵀX / m)``.

    Returns
    -------
    numpy.ndarray, shape (d,)

    Examples
    --------
    >>> X, y = np.array([[1.0], [3.0]]), np.array([2.0, 6.0])   # mean of x² is 5, solution 2
    >>> local_gradient_steps(X, y, np.zeros(1), 1, 0.1)          # 0 − 0.1 · (−20 / 2)
    array([1.])
    >>> local_gradient_steps(X, y, np.zeros(1), 50, 0.1).round(6)
    array([2.])
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = np.array(weights, dtype=float)
    step = alpha / X.shape[0]
    for _ in range(int(steps)):
        w -= step * (X.T @ (X @ w - y))
    return w


def local_updates_round(blocks, weights, local_steps: int, alpha: float) -> tuple[np.ndarray, float]:
    """One round of local updates: one Spark job, ``d + 2`` numbers back per block.

    Every block with ``mₖ > 0`` rows starts from ``weights`` and takes ``local_steps`` steps of
    :func:`local_gradient_steps`; the driver returns the count-weighted average of the results
    and the training RMSE of ``weights`` (each block also sends back its squared error at the
    starting weights, so the error costs no extra round).

    Parameters
    ----------
    blocks : RDD of (X, y)
        ``X`` of shape ``(m, d)``, ``y`` of shape ``(m,)``.
    weights : numpy.ndarray, shape (d,)
    local_steps : int
    alpha : float

    Returns
    -------
    weights : numpy.ndarray, shape (d,)
        The weights after the round.
    rmse : float
        Training RMSE of the weights *before* the round.

    Raises
    ------
    ValueError
        If there are no rows at all.
    """
    w = np.asarray(weights, dtype=float)
    steps = int(local_steps)

    def local(b):
        X, y = b
        m = X.shape[0]
        if m == 0:
            return 0.0, 0, 0.0
        sse = float(np.sum((X @ w - y) ** 2))
        return m * local_gradient_steps(X, y, w, steps, alpha), m, sse

    weighted_sum, n, sse = blocks.map(local).fold((0.0, 0, 0.0), _add)
    if n == 0:
        raise ValueError("local updates need at least one row of data")
    return weighted_sum / n, math.sqrt(sse / n)


def local_updates_blocks(blocks, num_rounds: int, local_steps: int,
                         alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Least squares by local updates (the lecture's mini-batch): ``local_steps`` per round.

    The weights start at zero. In round ``r`` (one Spark job, :func:`local_updates_round`) every
    block with ``mₖ > 0`` rows starts from the current weights, takes ``local_steps`` steps of
    :func:`local_gradient_steps`, and sends back its result ``vₖ`` (``d`` floats); the new
    weights are the count-weighted average ``Σₖ (mₖ / n) vₖ``. The same job also sends back each
    block's squared error at the *starting* weights, so ``errorTrain[r]`` (the training RMSE
    before round ``r``) costs no extra round.

    With ``local_steps = 1`` this is exactly full gradient descent with the constant step
    ``alpha / n``: ``Σₖ (mₖ/n)(w − (alpha/mₖ)·gₖ) = w − (alpha/n)·Σₖ gₖ``. With more local steps
    each round does more computation and the same communication; as ``local_steps`` grows, one
    round approaches :func:`divide_and_conquer_blocks` (every block reaches its own solution).

    Parameters
    ----------
    blocks : RDD of (X, y)
        ``X`` of shape ``(m, d)``, ``y`` of shape ``(m,)``; should be cached.
    num_rounds : int
        Rounds of communication (0 returns the zero weights).
    local_steps : int
        Gradient steps per block per round, at least 1.
    alpha : float
        Step size of every local step (see :func:`local_gradient_steps`).

    Returns
    -------
    weights : numpy.ndarray, shape (d,)
        The weights after ``num_rounds`` rounds.
    errorTrain : numpy.ndarray, shape (num_rounds,)
        Training RMSE before each round (``errorTrain[0]`` is that of the zero weights), the
        convention of :func:`helpers.gradient_descent.gd_blocks`.

    Examples
    --------
    >>> from helpers import synthetic_blocks
    >>> blocks, w_true = synthetic_blocks(sc, 10_000, 3, seed=1)
    >>> w, errorTrain = local_updates_blocks(blocks.cache(), 5, 10, 0.5)
    >>> w.shape, errorTrain.shape
    ((3,), (5,))
    """
    if int(num_rounds) != num_rounds or num_rounds < 0:
        raise ValueError(f"num_rounds must be a non-negative integer, got {num_rounds!r}")
    if int(local_steps) != local_steps or local_steps < 1:
        raise ValueError(f"local_steps must be a positive integer, got {local_steps!r}")
    w = np.zeros(block_width(blocks, "local_updates_blocks"))
    errorTrain = np.zeros(int(num_rounds))
    for r in range(int(num_rounds)):
        w, errorTrain[r] = local_updates_round(blocks, w, int(local_steps), alpha)
    return w, errorTrain


def round_latency(sc, num_partitions: int | None = None, d: int = 12, *, repeat: int = 7,
                  warmup: int = 2) -> float:
    """Median wall time, in seconds, of one round of communication that computes nothing.

    A round here is what every step of distributed gradient descent and every round of
    :func:`local_updates_blocks` pays for whatever the data: one Spark job with
    ``num_partitions`` tasks, the ``d`` weights sent out in the task closure and ``d`` floats per
    task sent back and summed on the driver. Scheduling, task launch, serialisation and the
    Python workers' round trips are all in it; arithmetic is not.

    Parameters
    ----------
    sc : SparkContext
    num_partitions : int, optional
        Tasks per round; ``sc.defaultParallelism`` if None.
    d : int
        Floats sent each way per task.
    repeat, warmup : int
        Rounds timed (the median is returned) after ``warmup`` untimed rounds, which start the
        Python workers.

    Returns
    -------
    float
        Seconds per round; never assert on it (it depends on the machine and its load).

    Examples
    --------
    >>> seconds_per_round = round_latency(sc, 4)
    """
    partitions = num_partitions or sc.defaultParallelism
    tasks = sc.parallelize(range(partitions), partitions).cache()
    w = np.zeros(d)
    try:
        return time_it(lambda: tasks.map(lambda _, w=w: (w, 1)).fold((0.0, 0), _add),
                       repeat=repeat, warmup=warmup)
    finally:
        tasks.unpersist()
