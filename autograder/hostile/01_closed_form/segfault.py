"""linregClosedForm crashes the interpreter (a segmentation fault through ctypes): it scores 0
(error); computeOuterProduct, graded before, keeps its 2 points."""
EXPECTED = {"computeOuterProduct": 2, "linregClosedForm": 0}
STATUS = "error"
REASON = r"^linregClosedForm 0/4: the kernel was killed by SIGSEGV \(segmentation fault\) in call 1$"
# %% linregClosedForm
def linregClosedForm(trainData):
    import ctypes
    ctypes.string_at(0)
