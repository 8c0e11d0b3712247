"""computeOuterProduct takes 45 s on its first call (the limit is 10 s) while a thread forges
progress records with the harness's secret (readable in the process: ``__main__._NONCE``):
Spark starting and ending, every second (other records out of turn would break the protocol,
which also scores 0). Before, a forged ``spark-start`` gave the
call Spark's 300-s limit and it scored 2/2; the grader's own clock now ends it at 10 s.
Its prepareSongs, linregClosedForm and linregClosedFormPartitions answer cells are deleted
(MUTATE): no Spark is needed."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 0, "linregClosedForm": 0,
            "linregClosedFormPartitions": 0}
STATUS = "timeout"
REASON = r"^prepareSongs 0/3: its answer cell \(01-217\) is missing[^;]*; computeOuterProduct 0/2: timed out after 10 s in call 1; linregClosedForm 0/4: "
MUTATE = "drop:prepareSongs+drop:linregClosedForm+drop:linregClosedFormPartitions"
# %% computeOuterProduct
import threading
import time

import __main__ as _harness

_slept = []


def _forge():
    while True:
        for ev in ("spark-start", "spark-end"):
            try:
                _harness.emit(ev, q="computeOuterProduct", i=0, error=None, seconds=0.1)
            except Exception:  # noqa: BLE001
                pass
        time.sleep(1)


def computeOuterProduct(lp):
    if not _slept:
        _slept.append(1)
        threading.Thread(target=_forge, daemon=True).start()
        time.sleep(45)
    x = lp.features.toArray()
    return np.outer(x, x)
