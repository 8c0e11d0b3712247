"""Blocks kept in Spark's Python workers between jobs: under Spark's own floor, and its price.

A pass over a cached RDD of numpy blocks moves every cached byte from the JVM's block store into
a Python worker (a socket, a copy, an unpickle), so a bare ``count()`` costs as much as the
arithmetic (``make bench`` measures it). Python workers are long-lived
(``spark.python.worker.reuse``, on by default), so a block can instead stay in a worker's memory:
each job then sends only partition indices, and every task finds its block where it left it.
The functions of :mod:`helpers.linreg` run unchanged on the RDD this returns, because Spark
pipelines their ``map`` into the same Python task as the lookup.

This is the benchmark's "under the floor" experiment, not what the notebooks teach. Its limits:

- it is not Spark's storage: no lineage, no eviction, memory Spark neither sees nor limits;
- a partition's task may run on any worker, so each worker builds the blocks it is handed: up
  to one copy of the data per concurrent Python worker (one per core);
- a block must be rebuilt inside the worker from a recipe (a seed here, or a file every executor
  can read), never from another RDD;
- it lives only as long as the worker process (a crash, a lost executor, an idle timeout):
  then the next job rebuilds it, slowly, and nothing says so but the ``builds`` counter.
"""

from __future__ import annotations

from functools import partial

from helpers.datasets import _block

__all__ = ["resident_synthetic_blocks", "release"]

# This worker process's blocks: (key, partition) -> (X, y). On the driver it stays empty.
_STORE: dict = {}


def _fetch(key, make_block, builds, partition):
    # Module-level, so cloudpickle sends a reference and the worker uses its own _STORE.
    block = _STORE.get((key, partition))
    if block is None:
        block = _STORE[(key, partition)] = make_block(partition)
        builds.add(1)
    return block


def _drop(key, _):
    for stored in [k for k in _STORE if k[0] == key]:
        del _STORE[stored]


def resident_synthetic_blocks(sc, n: int, d: int, *, noise: float = 0.1, seed: int = 0,
                              num_partitions: int | None = None):
    """The blocks of :func:`helpers.synthetic_blocks`, kept in the Python workers, not cached.

    Do not ``cache()`` the result: that would put the blocks back in the JVM's block store.

    Returns:
        ``(rdd, builds, key)``: an RDD of ``(X, y)`` blocks (n rows, shapes ``(rows, d)`` and
        ``(rows,)``); an accumulator counting the blocks built so far (a partition's first
        visit to a worker, or a rebuild after its worker died); the key for :func:`release`.
    """
    partitions = num_partitions or sc.defaultParallelism
    key = ("synthetic", n, d, noise, seed, partitions)
    make_block = partial(_block, n=n, d=d, partitions=partitions, noise=noise, seed=seed)
    builds = sc.accumulator(0)
    rdd = sc.parallelize(range(partitions), partitions).map(
        partial(_fetch, key, make_block, builds))
    return rdd, builds, key


def release(sc, key, *, tasks: int | None = None) -> None:
    """Best effort: drop ``key``'s blocks from the workers that the ``tasks`` tasks reach.

    Nothing routes a task to a given worker, so a copy may survive until its worker exits.
    """
    tasks = tasks or 4 * sc.defaultParallelism
    sc.parallelize(range(tasks), tasks).foreach(partial(_drop, key))
