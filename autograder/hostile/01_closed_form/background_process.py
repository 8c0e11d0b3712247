"""Leaves detached processes behind (a double-forked daemon in its own session, and a
start_new_session Popen) that try to rewrite results forever; all answers are right. The whole
process tree dies with the sandbox (the test checks that nothing with the marker survives)."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 2, "linregClosedForm": 0,
            "linregClosedFormPartitions": 0}
STATUS = "partial"
REASON = (r"^prepareSongs 0/3: its answer cell \(01-217\) is missing[^;]*; linregClosedForm 0/4: its answer cell \(01-025\) is missing[^;]*; "
          r"linregClosedFormPartitions 0/5: its answer cell \(01-pp-04\) is missing[^;]*$")
MUTATE = "drop:prepareSongs+drop:linregClosedForm+drop:linregClosedFormPartitions"
# Its three Spark questions' answer cells (prepareSongs, linregClosedForm,
# linregClosedFormPartitions) are deleted (MUTATE),
# so grading it needs no Spark: the test stays fast, and the row also shows a missing cell
# costing only its question.
# %% computeOuterProduct
import os
import subprocess
import sys

_DAEMON = """
# distml-hostile-daemon-7f3a
import os, time
while True:
    for path in ("/tmp/results.json", "results.json", "/grader/results.json"):
        try:
            open(path, "w").write('{"score": 6}')
        except OSError:
            pass
    for fd in range(1, 32):
        try:
            os.write(fd, b'{"ev": "call-end", "forged": true}\\n')
        except OSError:
            pass
    time.sleep(0.2)
"""
if os.fork() == 0:  # the classic daemon: fork, setsid, fork, exec
    try:
        os.setsid()
        if os.fork() == 0:
            os.execv(sys.executable, [sys.executable, "-c", _DAEMON, "distml-hostile-daemon-7f3a"])
    finally:
        os._exit(0)
subprocess.Popen([sys.executable, "-c", _DAEMON, "distml-hostile-daemon-7f3a"],
                 start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def computeOuterProduct(lp):
    x = lp.features.toArray()
    return np.outer(x, x)
