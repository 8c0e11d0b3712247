"""Spark's Python worker daemon, with a cheaper garbage collection after each task.

PySpark's daemon (``pyspark.daemon``) forks the Python workers, and a reused worker runs a full
``gc.collect()`` after every task: it scans every object the worker holds (numpy, pyspark and
the task's imports, about 85,000 objects), however little the task made. Here the worker
collects only the two young generations: short-lived cyclic garbage is freed after each task,
and Python's own collector still runs full collections when its object counts say so. Measured
on this project's 2-core machine (Spark 4.3, Unix domain sockets on), a trivial job of 3 tasks
cost about 110 ms of CPU with Spark's daemon and 70 ms with this one.

A module of its own, outside ``helpers``: a daemon must import nothing heavy before it forks
(``helpers`` imports numpy, whose BLAS is not fork-safe everywhere), so this imports only ``gc``
and ``pyspark.daemon``. :func:`helpers.session.get_spark` names it in
``spark.python.daemon.module`` in local mode, when the workers run a Python that can import it;
otherwise, and on a cluster, the executors start Spark's own daemon. Spark runs it as
``python -m distml_worker_daemon pyspark.worker``.
"""

import gc

import pyspark.daemon as _daemon


class _YoungCollections:
    """Stands in for the ``gc`` module inside ``pyspark.daemon``: ``collect()`` collects the
    generations 0 and 1; everything else is the ``gc`` module's."""

    @staticmethod
    def collect(generation: int = 1) -> int:
        return gc.collect(min(generation, 1))

    def __getattr__(self, name):
        return getattr(gc, name)


_daemon.gc = _YoungCollections()

if __name__ == "__main__":
    _daemon.manager()
