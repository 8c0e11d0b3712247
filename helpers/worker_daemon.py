"""Spark's Python worker daemon, with a cheaper collection after each task.

PySpark's daemon (``pyspark.daemon``) forks the Python workers, and a reused worker runs a full
``gc.collect()`` after every task. A full collection scans every object the worker holds: numpy,
pyspark and the task's imports, a few hundred thousand objects, about 40 ms of CPU here, so one
trivial job of 3 tasks cost about 110 ms of CPU instead of 70 (measured on this 2-core machine,
Spark 4.3, Unix domain sockets on). Here the worker collects the two young generations instead:
the task's own garbage is freed, and Python's collector still runs full collections at its
own thresholds, so nothing is kept that the full collection would have freed (only later).

:func:`helpers.session.get_spark` starts this module (``spark.python.daemon.module``) in local
mode, where the workers run this Python, which has ``helpers`` installed; on a cluster the
executors start Spark's own daemon. Run as ``python -m helpers.worker_daemon``, as Spark does.
"""

import gc

import pyspark.daemon as _daemon


class _YoungCollections:
    """Stands in for the ``gc`` module inside ``pyspark.daemon``: ``collect()`` collects the
    generations 0 and 1, everything else is the ``gc`` module's."""

    @staticmethod
    def collect(generation: int = 1) -> int:
        return gc.collect(min(generation, 1))

    def __getattr__(self, name):
        return getattr(gc, name)


_daemon.gc = _YoungCollections()

if __name__ == "__main__":
    _daemon.manager()
