"""A communication meter: what a Spark action really moved, read from Spark's own metrics.

Spark records, for every stage it runs, the bytes of task results sent to the driver and the
shuffle bytes written and read. This module reads them from the driver's status store (the same
data the Spark UI shows) before and after a block of code, so a notebook can print what crossed
the network next to what the cost model predicts.

>>> # with meter(sc) as m:                     # doctest: +SKIP
... #     rdd.map(computeOuterProduct).reduce(add)
... # m.result_bytes, m.tasks                  # bytes sent to the driver, tasks run
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

__all__ = ["CommunicationMeter", "meter"]

_RAN = {"COMPLETE", "FAILED", "ACTIVE"}  # stages that really ran (not SKIPPED or PENDING)


def _stages(sc):
    """All stages the driver knows of, as a dict (stage id, attempt) -> StageData."""
    jvm = sc._jvm
    empty = jvm.java.util.ArrayList()
    store = sc._jsc.sc().statusStore()
    seq = store.stageList(empty, False, False, sc._gateway.new_array(jvm.double, 0), empty)
    stages = {}
    for i in range(seq.size()):
        s = seq.apply(i)
        stages[(s.stageId(), s.attemptId())] = s
    return stages


def _settle(sc, timeout_ms: int = 10_000):
    """Wait until Spark's listener bus has recorded every finished task (it is asynchronous)."""
    sc._jsc.sc().listenerBus().waitUntilEmpty(timeout_ms)


@dataclass
class CommunicationMeter:
    """Counts of what the Spark jobs run inside a ``with`` block moved (bytes are bytes).

    Attributes:
        result_bytes: serialised task results sent from executors to the driver.
        shuffle_write_bytes, shuffle_read_bytes: data exchanged between executors.
        jobs, stages, tasks: how many ran.
        seconds: wall time of the block.
    """

    sc: object = field(repr=False)
    result_bytes: int = 0
    shuffle_write_bytes: int = 0
    shuffle_read_bytes: int = 0
    jobs: int = 0
    stages: int = 0
    tasks: int = 0
    seconds: float = 0.0

    def __enter__(self):
        _settle(self.sc)
        self._before = set(_stages(self.sc))
        self._jobs_before = self.sc.statusTracker().getJobIdsForGroup(None)
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self._start
        _settle(self.sc)
        new = [s for key, s in _stages(self.sc).items()
               if key not in self._before and str(s.status()) in _RAN]
        self.result_bytes = sum(s.resultSize() for s in new)
        self.shuffle_write_bytes = sum(s.shuffleWriteBytes() for s in new)
        self.shuffle_read_bytes = sum(s.shuffleReadBytes() for s in new)
        self.stages = len(new)
        self.tasks = sum(s.numTasks() for s in new)
        jobs = self.sc.statusTracker().getJobIdsForGroup(None)
        self.jobs = len(set(jobs) - set(self._jobs_before))
        return False


def meter(sc) -> CommunicationMeter:
    """A :class:`CommunicationMeter` for the SparkContext ``sc``; use it in a ``with`` block."""
    return CommunicationMeter(sc)
