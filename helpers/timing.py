"""Timing: what the notebooks use to measure what the lecture claims.

Timings here are noisy (two shared cores): compare ratios measured in one run, take medians of
repeats after a warm-up, and never assert on seconds in a test.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

__all__ = ["Timer", "time_it", "loglog_slope"]

#: The one clock every measurement here reads (tests replace it with a scripted one).
clock = time.perf_counter


class Timer:
    """Context manager that measures wall time in seconds.

    >>> with Timer() as t:
    ...     time.sleep(0.02)
    >>> 0.02 <= t.seconds < 10
    True
    """

    def __enter__(self):
        self.seconds = float("nan")
        self._start = clock()
        return self

    def __exit__(self, *exc):
        self.seconds = clock() - self._start
        return False


def time_it(fn, *, repeat: int = 3, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` in seconds over ``repeat`` runs after ``warmup`` runs.

    The warm-up pays one-off costs (starting Python workers, JIT, caching an RDD) that a
    per-iteration measurement should not include.
    """
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        with Timer() as t:
            fn()
        times.append(t.seconds)
    return statistics.median(times)


def loglog_slope(x, t) -> float:
    """Least-squares slope of log(t) against log(x): 1 means linear growth, 2 quadratic.

    >>> round(loglog_slope([1, 10, 100], [2, 20, 200]), 6)
    1.0
    >>> round(loglog_slope([1, 2, 4], [1, 4, 16]), 6)
    2.0
    """
    x, t = np.asarray(x, float), np.asarray(t, float)
    if x.size < 2 or np.any(x <= 0) or np.any(t <= 0):
        raise ValueError("need at least two positive (x, t) pairs")
    return float(np.polyfit(np.log(x), np.log(t), 1)[0])
