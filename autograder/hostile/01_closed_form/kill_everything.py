"""computeOuterProduct sends SIGKILL to every process it may signal (kill(-1)), then to itself:
in the sandbox's pid namespace, as its own uid, that reaches only the sandbox's processes; its
kernel dies, that question scores 0 (error), the host is untouched and linregClosedForm is
graded in a new sandbox."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 0, "linregClosedForm": 4,
            "linregClosedFormPartitions": 5}
STATUS = "error"
REASON = (r"^prepareSongs 0/3: not answered \(its answer cell is as handed out\); "
          r"computeOuterProduct 0/2: the kernel was killed by SIGKILL in call 1$")
MUTATE = "blank:prepareSongs"  # as handed out: no prepareSongs calls before the attack
# %% computeOuterProduct
def computeOuterProduct(lp):
    import os
    import signal
    try:
        os.kill(-1, signal.SIGKILL)
    except ProcessLookupError:  # nothing else to signal
        pass
    os.kill(os.getpid(), signal.SIGKILL)
