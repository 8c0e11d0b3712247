"""linregClosedForm crashes the interpreter (a segmentation fault through ctypes): it scores 0
(error); the questions graded before it keep their points."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 2, "linregClosedForm": 0,
            "linregClosedFormPartitions": 5}
STATUS = "error"
REASON = (r"^prepareSongs 0/3: not answered \(its answer cell is as handed out\); "
          r"linregClosedForm 0/4: the kernel was killed by SIGSEGV \(segmentation fault\) in call 1$")
MUTATE = "blank:prepareSongs"  # as handed out: no prepareSongs calls before the attack
# %% linregClosedForm
def linregClosedForm(trainData):
    import ctypes
    ctypes.string_at(0)
