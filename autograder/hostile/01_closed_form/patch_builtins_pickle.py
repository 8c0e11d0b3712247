"""Rewrites pickle and builtins (isinstance, issubclass, repr, memoryview...) from inside its
function and returns zeros: the harness keeps its own references, so nothing is gained. The
patches stay for the rest of the process, so linregClosedFormPartitions, graded after them,
fails too: its inputs cannot be built or its points read."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 2, "linregClosedForm": 0,
            "linregClosedFormPartitions": 0}
STATUS = "graded"
REASON = (r"^prepareSongs 0/3: not answered \(its answer cell is as handed out\); "
          r"linregClosedForm 0/4: ")
MUTATE = "blank:prepareSongs"  # as handed out: no prepareSongs calls before the attack
# %% linregClosedForm
def linregClosedForm(trainData):
    import builtins
    import pickle
    forged = b"\x80\x04}\x94(\x8c\x05score\x94K\x06u."
    pickle.dumps = lambda *a, **k: forged
    pickle.dump = lambda obj, f, *a, **k: f.write(forged)
    pickle.loads = lambda *a, **k: {"score": 6, "linregClosedForm": 4}
    builtins.isinstance = lambda *a, **k: True
    builtins.issubclass = lambda *a, **k: True
    builtins.repr = lambda *a, **k: "array([1., 2., 3.])"
    builtins.memoryview = lambda *a, **k: b""
    builtins.bytes = lambda *a, **k: b"{}"
    return np.zeros(3)
