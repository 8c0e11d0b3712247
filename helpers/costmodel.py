"""The lecture's cost models, as numbers to print and plot beside measurements.

Counts are of floating-point operations (multiply-adds counted once) and of 8-byte floats, to
leading order, as on the slides.
"""

from __future__ import annotations

import math

__all__ = ["closed_form_cost", "gradient_descent_cost", "human_bytes", "TREE_DEPTH",
           "tree_reduce_partitions", "bytes_to_driver"]

#: The ``depth`` of the ``treeReduce`` with which :mod:`helpers.linreg` sums partial results
#: (Spark's default). :func:`tree_reduce_partitions` models it.
TREE_DEPTH = 2


def closed_form_cost(n: int, d: int) -> dict:
    """Cost of least squares in closed form, ``w = (XᵀX)⁻¹Xᵀy``.

    Returns:
        dict with ``flops`` (n·d² for XᵀX plus d³ for the solve), ``floats`` stored (n·d for X,
        d² for XᵀX), and ``driver_floats`` (d² + d: what reaches the driver per partition).

    >>> closed_form_cost(1000, 10)
    {'flops': 101000, 'floats': 10100, 'driver_floats': 110}
    """
    return {"flops": n * d * d + d ** 3, "floats": n * d + d * d, "driver_floats": d * d + d}


def gradient_descent_cost(n: int, d: int, iterations: int = 1) -> dict:
    """Cost of ``iterations`` gradient-descent steps: O(nd) work and O(d) state per step.

    >>> gradient_descent_cost(1000, 10, iterations=5)
    {'flops': 50000, 'floats': 10010, 'driver_floats': 50}
    """
    return {"flops": n * d * iterations, "floats": n * d + d, "driver_floats": d * iterations}


def tree_reduce_partitions(partitions: int, depth: int = TREE_DEPTH) -> int:
    """How many partial results reach the driver when ``treeReduce``/``treeAggregate`` combines
    one per partition, in PySpark's arithmetic (``pyspark.core.rdd.RDD.treeAggregate``).

    Spark adds a level of combining on the executors (a shuffle into fewer partitions) while
    that saves more than it costs: with ``scale = max(ceil(partitions ** (1/depth)), 2)``, it
    divides the partition count by ``scale`` while ``count > scale + count / scale``. The last
    level's partitions each send one result to the driver. ``depth=1`` is a plain ``reduce``:
    one result per partition.

    >>> [tree_reduce_partitions(p) for p in (1, 2, 4, 6, 8, 12, 16, 32, 100)]
    [1, 2, 4, 2, 2, 3, 4, 5, 10]
    >>> tree_reduce_partitions(32, depth=1), tree_reduce_partitions(1000, depth=3)
    (32, 10)
    """
    if depth < 1:
        raise ValueError(f"depth must be at least 1, got {depth}")
    if partitions <= 0:
        return 0
    scale = max(int(math.ceil(pow(partitions, 1.0 / depth))), 2)
    count, last = partitions, partitions  # count stays a float, as in PySpark
    while count > scale + count / scale:
        count /= scale
        last = int(count)
    return last


def bytes_to_driver(floats_per_result: int, partitions: int, *,
                    depth: int | None = TREE_DEPTH) -> int:
    """Bytes (8 per float) the driver receives when every partition's result of
    ``floats_per_result`` floats is summed by ``treeReduce(depth)`` (``depth=None``: by a plain
    ``reduce``, one result per partition). Headers and Spark's bookkeeping are not counted.

    >>> bytes_to_driver(12 * 12 + 12, 8), bytes_to_driver(12 * 12 + 12, 8, depth=None)
    (2496, 9984)
    """
    results = partitions if depth is None else tree_reduce_partitions(partitions, depth)
    return 8 * floats_per_result * results


def human_bytes(num: float) -> str:
    """Bytes as a short human-readable string.

    >>> human_bytes(512), human_bytes(8 * 10**6), human_bytes(3 * 2**40)
    ('512 B', '7.6 MiB', '3.0 TiB')
    """
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(num) < 1024:
            return f"{num:.0f} {unit}" if unit == "B" else f"{num:.1f} {unit}"
        num /= 1024
    return f"{num:.1f} TiB"
