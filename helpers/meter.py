"""A communication meter: what a Spark action really moved, read from Spark's own metrics.

Spark records, for every stage it runs, the bytes of task results sent to the driver and the
shuffle bytes written and read. This module reads them from the driver's status store (the same
data the Spark UI and its REST API show) before and after a block of code, so a notebook can
print what crossed the network next to what the cost model predicts (``m.check(model, label)``:
the pair and its verdict within the stated tolerance, recorded for the tests). The status store
lives in the driver, so the meter works the same in local mode and on a ``spark://`` (or YARN,
k8s) master. Notebook 03 (communication costs) derives the cost models it is compared with.

What moves the other way, from the driver to the executors, Spark does not count per stage, so
the meter records it on the driver as PySpark serialises it:

- *broadcast variables*: the size of the pickle PySpark writes for each ``sc.broadcast(value)``
  made inside the block (the file the JVM then ships, once per executor, before Spark's own
  compression). PySpark itself broadcasts any stage function whose pickle exceeds
  ``spark.broadcast.UDFCompressionThreshold`` (1 MiB by default); such functions count here too.
- *closures*: the pickled Python function of each stage run inside the block, times the number
  of tasks of that stage: every task hands its Python worker the whole function, with whatever
  data it captured. (Spark fetches each stage's serialised tasks once per executor, then passes
  the function to the Python worker of every task.) Only functions that PySpark serialises
  inside the block are seen. It serialises an RDD's function the first time an action uses that
  RDD object; ``reduce``, ``count``, ``sum`` and most other actions build a new RDD each time and
  are counted, but ``collect()`` on an RDD object already used before the block counts 0.

>>> import numpy as np
>>> rdd = sc.parallelize(range(4), 4)
>>> with meter(sc) as m:
...     total = rdd.map(lambda i: np.ones(3) * i).reduce(lambda a, b: a + b)
>>> m.jobs, m.tasks                           # one job of 4 tasks
(1, 4)
>>> 4 * 3 * 8 < m.result_bytes < 4 * 2000     # each task sends 3 float64s, pickled, to the driver
True
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field

from helpers import timing
from helpers.costmodel import human_bytes

__all__ = ["CommunicationMeter", "ModelCheck", "meter", "agrees_with_model", "checks",
           "TASK_OVERHEAD_BYTES", "FRAMING"]

#: What Spark adds to each task's result beyond the payload: its task metrics (1–2 KiB) and
#: numpy's array headers (about 100 bytes each). Functions sent to tasks carry their own code,
#: 2–6 KiB; pass ``per_task=2 * TASK_OVERHEAD_BYTES`` for closures.
TASK_OVERHEAD_BYTES = 4096
#: Java serialisation writes a task result in blocks of 1 KiB with a 5-byte header: +0.5%.
FRAMING = 0.01


def agrees_with_model(measured: float, model: float, tasks: int, *,
                      per_task: float = TASK_OVERHEAD_BYTES) -> bool:
    """Whether a metered byte count equals its cost model plus Spark's overheads, i.e.
    ``0 <= measured - model <= FRAMING * model + per_task * tasks``.

    >>> agrees_with_model(20_408, 13_440, 4), agrees_with_model(13_440, 20_408, 4)
    (True, False)
    >>> agrees_with_model(8_062_585, 8_016_000, 4)   # 2 MB per task: the framing shows
    True
    """
    extra = measured - model
    return 0 <= extra <= FRAMING * model + per_task * tasks


@dataclass(frozen=True)
class ModelCheck:
    """A metered byte count beside its cost model, judged by :func:`agrees_with_model`.

    Made by :meth:`CommunicationMeter.check`, which also records it in :func:`checks`: the
    notebooks print these and tests/test_other_machines.py asserts the same records.

    >>> c = ModelCheck("closed form, d = 12", measured=20_408, model=13_440, tasks=4)
    >>> c.agrees, c.allowance
    (True, 16518.4)
    >>> print(c)
    closed form, d = 12                        measured      20,408 B  model      13,440 B  (+1,742 B per task; allowed 1% + 4,096 B per task: agrees)
    """

    label: str
    measured: int
    model: int
    tasks: int
    per_task: int = TASK_OVERHEAD_BYTES

    @property
    def allowance(self) -> float:
        """The most the measurement may exceed the model by: 1% of it plus ``per_task`` per task."""
        return FRAMING * self.model + self.per_task * self.tasks

    @property
    def agrees(self) -> bool:
        return agrees_with_model(self.measured, self.model, self.tasks, per_task=self.per_task)

    def __str__(self) -> str:
        extra = (self.measured - self.model) / max(self.tasks, 1)
        return (f"{self.label:<42} measured {self.measured:>11,} B  model {self.model:>11,} B  "
                f"({extra:+,.0f} B per task; allowed {FRAMING:.0%} + {self.per_task:,} B per task: "
                f"{'agrees' if self.agrees else 'DIFFERS'})")


_CHECKS: list[ModelCheck] = []


def _recorded(record: ModelCheck) -> ModelCheck:
    """Record ``record`` for :func:`checks`; with ``DISTML_STRICT_MODELS=1`` (the test suite's
    notebook runs) a pair that disagrees also raises, so the cell that printed it fails.

    >>> import os
    >>> os.environ["DISTML_STRICT_MODELS"] = "1"
    >>> _recorded(ModelCheck("one reduce", measured=9_000, model=1_000, tasks=1)).agrees
    Traceback (most recent call last):
    ...
    AssertionError: the cost model and the measurement disagree: one reduce ... DIFFERS)
    >>> _recorded(ModelCheck("one reduce", measured=1_500, model=1_000, tasks=1)).agrees
    True
    >>> del os.environ["DISTML_STRICT_MODELS"]
    """
    _CHECKS.append(record)
    if os.environ.get("DISTML_STRICT_MODELS") == "1" and not record.agrees:
        raise AssertionError(f"the cost model and the measurement disagree: {record}")
    return record


def checks() -> list[ModelCheck]:
    """Every :class:`ModelCheck` made in this process, oldest first."""
    return list(_CHECKS)


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


def _pickled_size(broadcast) -> int:
    """Bytes of the pickle PySpark wrote for a driver-side Broadcast."""
    path = getattr(broadcast, "_path", None)
    if path and os.path.exists(path) and os.path.getsize(path) > 0:
        return os.path.getsize(path)
    # With spark.io.encryption the pickle goes to the JVM over a socket, not to the file.
    from pyspark.serializers import pickle_protocol
    return len(pickle.dumps(broadcast.value, pickle_protocol))


class _Recorder:
    """Records, while active, the broadcasts made through ``sc`` and the size of each pickled
    stage function, keyed by the id of the JVM RDD that carries it.

    It wraps ``sc.broadcast`` (on this SparkContext only) and PySpark's private
    ``PipelinedRDD._jrdd`` / ``_prepare_for_python_RDD`` for the duration of the block and puts
    back what was there, so meters nest. If PySpark's internals change, closures are not counted
    (``closure_bytes`` is then None) and nothing else is affected.
    """

    def __init__(self, sc):
        self.sc = sc
        self.broadcast_sizes: list[int] = []
        self.function_sizes: dict[int, int] = {}  # JVM rdd id -> pickled function bytes
        self.closures_seen = False
        self._undo = []

    def start(self):
        sc, rec = self.sc, self
        had_own = "broadcast" in vars(sc)
        previous = sc.broadcast

        def broadcast(value):
            b = previous(value)
            rec.broadcast_sizes.append(_pickled_size(b))
            return b

        sc.broadcast = broadcast
        self._undo.append(lambda: setattr(sc, "broadcast", previous) if had_own
                          else vars(sc).pop("broadcast", None))
        try:
            from pyspark.core import rdd as rdd_module
            prop = rdd_module.PipelinedRDD.__dict__["_jrdd"]
            prepare = rdd_module._prepare_for_python_RDD
        except (ImportError, KeyError, AttributeError):
            return
        pending = []

        def recording_prepare(sc_, command):
            out = prepare(sc_, command)
            pending.append(len(out[0]))
            return out

        def recording_jrdd(self_rdd):
            if self_rdd._jrdd_val:
                return self_rdd._jrdd_val
            mark = len(pending)
            jrdd = prop.fget(self_rdd)
            if len(pending) > mark:
                rec.function_sizes[jrdd.id()] = pending[mark]
            return jrdd

        rdd_module._prepare_for_python_RDD = recording_prepare
        rdd_module.PipelinedRDD._jrdd = property(recording_jrdd)
        self.closures_seen = True

        def undo():
            rdd_module._prepare_for_python_RDD = prepare
            rdd_module.PipelinedRDD._jrdd = prop

        self._undo.append(undo)

    def stop(self):
        while self._undo:
            self._undo.pop()()


@dataclass
class CommunicationMeter:
    """Counts of what the Spark jobs run inside a ``with`` block moved (bytes are bytes).

    Attributes:
        result_bytes: serialised task results sent from executors to the driver (Spark's
            ``resultSize`` metric, summed over stages).
        shuffle_write_bytes, shuffle_read_bytes: data exchanged between executors (Spark's
            shuffle metrics).
        broadcast_bytes: pickled size of the broadcast variables created in the block (see the
            module docstring); broadcasts: how many were created.
        closure_bytes: pickled stage functions times the tasks that received them (see the
            module docstring); None if this PySpark version cannot be instrumented.
        jobs, stages, tasks: how many ran.
        seconds: wall time of the block.
    """

    sc: object = field(repr=False)
    result_bytes: int = 0
    shuffle_write_bytes: int = 0
    shuffle_read_bytes: int = 0
    broadcast_bytes: int = 0
    broadcasts: int = 0
    closure_bytes: int | None = 0
    jobs: int = 0
    stages: int = 0
    tasks: int = 0
    seconds: float = 0.0

    def __enter__(self):
        _settle(self.sc)
        self._before = set(_stages(self.sc))
        self._jobs_before = self.sc.statusTracker().getJobIdsForGroup(None)
        self._recorder = _Recorder(self.sc)
        self._recorder.start()
        self._start = timing.clock()
        return self

    def __exit__(self, *exc):
        self.seconds = timing.clock() - self._start
        self._recorder.stop()
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
        rec = self._recorder
        self.broadcasts = len(rec.broadcast_sizes)
        self.broadcast_bytes = sum(rec.broadcast_sizes)
        if rec.closures_seen:
            self.closure_bytes = sum(
                s.numTasks() * sum(rec.function_sizes.get(int(s.rddIds().apply(i)), 0)
                                   for i in range(s.rddIds().size()))
                for s in new)
        else:
            self.closure_bytes = None
        return False

    def __str__(self) -> str:
        closures = ("not counted" if self.closure_bytes is None
                    else human_bytes(self.closure_bytes))
        return (f"{self.jobs} job{'s' * (self.jobs != 1)}, {self.stages} stage"
                f"{'s' * (self.stages != 1)}, {self.tasks} task{'s' * (self.tasks != 1)} in "
                f"{self.seconds:.2f} s | to the driver {human_bytes(self.result_bytes)} | "
                f"shuffle {human_bytes(self.shuffle_write_bytes)} written, "
                f"{human_bytes(self.shuffle_read_bytes)} read | {self.broadcasts} broadcast"
                f"{'s' * (self.broadcasts != 1)} {human_bytes(self.broadcast_bytes)} | "
                f"closures to tasks {closures}")

    def check(self, model: float, label: str = "", *, measured: str = "result_bytes",
              per_task: int = TASK_OVERHEAD_BYTES, tasks: int | None = None) -> ModelCheck:
        """This meter's ``measured`` count (``"result_bytes"``, ``"closure_bytes"``,
        ``"broadcast_bytes"``, ...) beside a cost ``model`` in bytes, allowing ``per_task``
        bytes for each of ``tasks`` (this meter's tasks if None; 1 for a broadcast, made once).

        Returns the :class:`ModelCheck` (print it for one line with the verdict) and records it
        in :func:`checks`.
        """
        value = getattr(self, measured)
        if value is None:
            raise ValueError(f"{measured} was not counted: this PySpark cannot be instrumented")
        tasks = self.tasks if tasks is None else tasks
        return _recorded(ModelCheck(label or measured, int(value), int(round(model)), tasks,
                                    per_task))

    def report(self, label: str = "") -> None:
        """Print :meth:`__str__` on one line, after ``label`` if given."""
        print(f"{label}: {self}" if label else str(self))


def meter(sc) -> CommunicationMeter:
    """A :class:`CommunicationMeter` for the SparkContext ``sc``; use it in a ``with`` block."""
    return CommunicationMeter(sc)
