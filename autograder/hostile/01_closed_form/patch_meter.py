"""Collects the data to the driver (the corpus's lcf_collect, full marks except the metered
test) and, in its answer cell, patches the communication meter three ways, each of which gave
full marks before: a class attribute of the meter replaced (``result_bytes`` always 0), the
``helpers.meter`` module swapped for a fake in ``sys.modules`` (and ``helpers.meter``), and a
harness function patched (``emit`` rewrites the bytes of every record to 0). The harness sees
each change, so the metered test scores 0, the row is ``review`` and the reason names all
three; the tests whose values are judged outside still score (computeOuterProduct 2,
linregClosedForm 3 of 4). The patches stay for the rest of the process, so the metered test of
linregClosedFormPartitions, graded after them, is not scored either (4 of 5)."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 2, "linregClosedForm": 3,
            "linregClosedFormPartitions": 4}
STATUS = "review"
REASON = (r"^prepareSongs 0/3: not answered \(its answer cell is as handed out\); "
          r"linregClosedForm 3/4: hidden: 30,000 points, bytes sent to the driver: not scored: "
          r"the measuring code was changed in the submission's process \("
          r"sys\.modules\['helpers\.meter'\] was replaced; helpers\.meter was replaced; "
          r"helpers\.meter\.CommunicationMeter\.result_bytes was replaced; .*"
          r"grader harness emit was replaced\); linregClosedFormPartitions 4/5: hidden: 30,000 "
          r"points, one Spark job and bytes sent to the driver: not scored: .*"
          r"review linregClosedForm: .*review linregClosedFormPartitions: ")
MUTATE = "blank:prepareSongs"  # as handed out: no prepareSongs calls before the attack
# %% linregClosedForm
import sys
import types

import __main__ as _harness  # the grader's harness runs as __main__

import helpers
import helpers.meter as _real_meter_module  # noqa: F401

_real = sys.modules["helpers.meter"]

# 1. a class attribute of the meter replaced: the bytes always read 0
_real.CommunicationMeter.result_bytes = property(lambda self: 0, lambda self, value: None)


# 2. the module swapped for a fake whose meter measures nothing
class _FakeMeter:
    result_bytes = jobs = tasks = stages = broadcasts = broadcast_bytes = closure_bytes = 0
    shuffle_write_bytes = shuffle_read_bytes = 0

    def __init__(self, sc):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


_fake = types.ModuleType("helpers.meter")
_fake.meter = _FakeMeter
_fake.CommunicationMeter = _FakeMeter
sys.modules["helpers.meter"] = _fake
helpers.meter = _FakeMeter

# 3. a harness function patched: every record it sends says 0 bytes
_emit = _harness.emit


def _zeroing_emit(ev, **fields):
    if isinstance(fields.get("meter"), dict):
        fields["meter"]["result_bytes"] = 0
    return _emit(ev, **fields)


_harness.emit = _zeroing_emit


def linregClosedForm(trainData):
    rows = trainData.collect()
    X = np.array([lp.features.toArray() for lp in rows])
    y = np.array([lp.label for lp in rows])
    return np.linalg.lstsq(X, y, rcond=None)[0]
