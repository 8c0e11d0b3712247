"""Data as Spark sees it: the Million Song RDD, a deterministic split, and synthetic data.

Rows are ``pyspark.mllib.regression.LabeledPoint`` (as in the lecture and the original labs);
*blocks* are ``(X, y)`` numpy pairs, one per partition, ``X`` of shape ``(rows, d)`` and ``y`` of
shape ``(rows,)``: the fast layout that notebook 01 derives. Data always reaches the executors by
Spark's own means (``parallelize`` or generation on the executors), never through driver-local
files, so everything here also works on a cluster.
"""

from __future__ import annotations

import numpy as np

from helpers.datafiles import locate_millionsong

__all__ = ["read_millionsong", "load_millionsong", "split_data", "synthetic_weights",
           "make_regression", "synthetic_blocks", "synthetic_points", "to_blocks", "to_points",
           "block_width", "millionsong_lines"]


def read_millionsong(path=None) -> tuple[np.ndarray, np.ndarray]:
    """The Million Song file as numpy arrays ``(X, years)``, shapes ``(n, 12)`` and ``(n,)``.

    ``path`` defaults to :func:`helpers.datafiles.locate_millionsong` (``$DISTML_DATA_DIR``, the
    cache, or a download).
    """
    data = np.loadtxt(path or locate_millionsong(), delimiter=",", ndmin=2)
    return data[:, 1:], data[:, 0]


#: The songs' partitions on every machine. ``randomSplit`` draws per partition (seeded by the
#: seed and the partition's index), so a split, and every figure computed from it, is the same
#: everywhere only if the partitioning is: not ``sc.defaultParallelism``, which follows the
#: cores (4 here, 16 on an 8-core laptop). 6,724 songs need no more.
SONG_PARTITIONS = 4


def load_millionsong(sc, *, shift_years: bool = False, num_partitions: int | None = None,
                     path=None):
    """The Million Song data as an RDD of LabeledPoint(label=year, features=12 timbre averages).

    Args:
        sc: the SparkContext.
        shift_years: subtract the earliest year in the file from every label, so labels count
            years since then (what the original lab did; the fitted weights then need no
            intercept to start near the data).
        num_partitions: defaults to :data:`SONG_PARTITIONS`, the same on every machine.
        path: the file; see :func:`read_millionsong`.

    Returns:
        RDD of LabeledPoint, in file order.
    """
    from pyspark.mllib.regression import LabeledPoint

    X, years = read_millionsong(path)
    labels = years - years.min() if shift_years else years
    points = [LabeledPoint(float(y), x) for x, y in zip(X, labels)]
    return sc.parallelize(points, num_partitions or SONG_PARTITIONS)


def split_data(rdd, weights=(0.8, 0.1, 0.1), seed: int = 42):
    """Split an RDD at random into parts of the given relative sizes, each cached.

    The split is deterministic for a given seed and partitioning (the lab's 80/10/10, seed 42).
    """
    parts = rdd.randomSplit(list(weights), seed=seed)
    return tuple(part.cache() for part in parts)


def synthetic_weights(d: int, seed: int = 0) -> np.ndarray:
    """The true weights of the synthetic data: standard normal, shape ``(d,)``."""
    return np.random.default_rng([seed, 2**31]).standard_normal(d)


def _rows_in(partition: int, n: int, partitions: int) -> int:
    return n // partitions + (1 if partition < n % partitions else 0)


def _block(partition: int, n: int, d: int, partitions: int, noise: float, seed: int):
    """Partition ``partition``'s rows: its own seeded generator, so any host makes the same rows."""
    rng = np.random.default_rng([seed, partition])
    X = rng.standard_normal((_rows_in(partition, n, partitions), d))
    y = X @ synthetic_weights(d, seed) + noise * rng.standard_normal(X.shape[0])
    return X, y


def make_regression(n: int, d: int, *, noise: float = 0.1, seed: int = 0, partitions: int = 4):
    """Synthetic linear data on the driver: ``(X, y, w)`` with ``y = X @ w + noise * N(0, 1)``.

    The same rows as :func:`synthetic_blocks` with the same arguments, so numpy and Spark can be
    compared on identical data.

    >>> X, y, w = make_regression(1000, 3, noise=0.0)
    >>> X.shape, y.shape, w.shape
    ((1000, 3), (1000,), (3,))
    >>> bool(np.allclose(np.linalg.lstsq(X, y, rcond=None)[0], w))
    True
    """
    blocks = [_block(i, n, d, partitions, noise, seed) for i in range(partitions)]
    return (np.vstack([b[0] for b in blocks]), np.concatenate([b[1] for b in blocks]),
            synthetic_weights(d, seed))


def synthetic_blocks(sc, n: int, d: int, *, noise: float = 0.1, seed: int = 0,
                     num_partitions: int | None = None):
    """Synthetic linear data generated on the executors, one ``(X, y)`` block per partition.

    Returns:
        ``(rdd, w)``: the RDD of blocks (n rows in all) and the true weights, shape ``(d,)``.
    """
    partitions = num_partitions or sc.defaultParallelism
    rdd = sc.parallelize(range(partitions), partitions).map(
        lambda i: _block(i, n, d, partitions, noise, seed))
    return rdd, synthetic_weights(d, seed)


def synthetic_points(sc, n: int, d: int, *, noise: float = 0.1, seed: int = 0,
                     num_partitions: int | None = None):
    """The rows of :func:`synthetic_blocks` as an RDD of LabeledPoint: ``(rdd, w)``."""
    blocks, w = synthetic_blocks(sc, n, d, noise=noise, seed=seed, num_partitions=num_partitions)
    return to_points(blocks), w


def to_points(blocks):
    """RDD of ``(X, y)`` blocks -> RDD of LabeledPoint, one per row (partitions kept)."""
    from pyspark.mllib.regression import LabeledPoint

    return blocks.flatMap(lambda b: (LabeledPoint(float(y), x) for x, y in zip(b[0], b[1])))


def block_width(blocks, caller: str) -> int:
    """d, the number of features, of an RDD of ``(X, y)`` blocks, without shipping a block.

    Raises:
        ValueError: the RDD holds no block (``caller`` names who needed one).
    """
    sizes = blocks.map(lambda b: b[0].shape[1]).take(1)
    if not sizes:
        raise ValueError(f"{caller} needs a non-empty RDD of (X, y) blocks")
    return sizes[0]


def _stack(points):
    rows = [(p.features.toArray(), p.label) for p in points]
    if rows:  # an empty partition yields no block
        yield np.array([r[0] for r in rows]), np.array([r[1] for r in rows])


def to_blocks(points):
    """RDD of LabeledPoint -> RDD of ``(X, y)`` numpy blocks, one per non-empty partition."""
    return points.mapPartitions(_stack)


def millionsong_lines(sc, *, num_partitions: int | None = None, path=None):
    """The Million Song file as an RDD of its text lines, ``"year,f1,...,f12"``, in file order.

    What notebook 01's students parse themselves (``parsePoint``), partitioned as
    :func:`load_millionsong` partitions its points, so that the same seed splits both alike. The
    driver reads the file and Spark ships the lines: nothing depends on a file the executors see.
    """
    with open(path or locate_millionsong()) as f:
        lines = [line.strip() for line in f if line.strip()]
    return sc.parallelize(lines, num_partitions or SONG_PARTITIONS)
