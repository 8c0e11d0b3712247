"""linregClosedForm crashes the interpreter (a segmentation fault through ctypes): it scores 0
(error); the questions graded before it keep their points."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 3, "computeOuterProduct": 2, "linregClosedForm": 0}
STATUS = "error"
REASON = r"^linregClosedForm 0/4: the kernel was killed by SIGSEGV \(segmentation fault\) in call 1$"
# %% linregClosedForm
def linregClosedForm(trainData):
    import ctypes
    ctypes.string_at(0)
