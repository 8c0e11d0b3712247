"""Spark's Python worker daemon, with a cheaper garbage collection after each task.

PySpark's daemon (``pyspark.daemon``) forks the Python workers, and a reused worker runs a full
``gc.collect()`` after every task: it scans every object the worker holds (numpy, pyspark and
the task's imports, about 85,000 objects), however little the task made. Here the worker
collects only the two young generations: short-lived cyclic garbage is freed after each task,
and Python's own collector still runs full collections when its object counts say so. Measured
on this project's 2-core machine (Spark 4.3, Unix domain sockets on), a trivial job of 3 tasks
cost about 110 ms of CPU with Spark's daemon and 70 ms with this one.

On Linux the daemon also imports, once, what every task of this course unpickles:
``pyspark.mllib.regression`` (``LabeledPoint``; it brings numpy, pandas and pyarrow), then
freezes those objects out of the collector's sight (``gc.freeze``). Every worker it forks then
starts with them imported. That matters more than it seems: a job whose action stops reading a
partition early (``first()``, ``take()``) leaves its Python worker unusable, so the next job
forks a new one, and a new worker that unpickles a ``LabeledPoint`` imported all of that first.
Measured here (2 cores, busy): the job after a ``first()`` on 4 points took 1.3-1.7 s with
Spark's daemon and 0.6-0.8 s with this one; where the environment had no bytecode
(``PYTHONDONTWRITEBYTECODE`` and no .pyc files) the import alone was 3.2-3.5 s, and a
gradient-descent call of otter's hidden tests went from 10 s to 0.8 s. Linux
only: its numpy BLAS (OpenBLAS) and pyarrow's allocator (jemalloc) both prepare for a fork,
while macOS's Accelerate is not fork-safe once loaded; elsewhere the workers import as before.

A module of its own, outside ``helpers``: the daemon imports only what is named here (not
``helpers``, nor anything that starts a session). :func:`helpers.session.get_spark` names it in
``spark.python.daemon.module`` in local mode, when the workers run a Python that can import it;
otherwise, and on a cluster, the executors start Spark's own daemon. Spark runs it as
``python -m distml_worker_daemon pyspark.worker``.
"""

import gc
import sys

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


def preload() -> None:
    """Import what the workers unpickle in every task, then freeze it (see the module's
    docstring): on Linux only. An import that fails here is left to the task that needs it:
    a daemon that died would fail every job with "Python worker failed to connect back",
    where the task shows the import's own error."""
    if sys.platform.startswith("linux"):
        try:
            import pyspark.mllib.regression  # noqa: F401 - imported for the forked workers
        except ImportError:
            return
        gc.freeze()


if __name__ == "__main__":
    preload()
    _daemon.manager()
