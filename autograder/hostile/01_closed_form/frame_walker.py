"""linregClosedForm looks for what the test knows and it should not: it walks up
``sys._getframe()`` and through every dict the garbage collector tracks for the weights the
synthetic data were generated from (a float vector named ``w``), and for the reference
computeOuterProduct that stands in for the submission's (its source text, its docstring). It
returns the weights when it finds them (before: the metered 30,000-point test, 1 point) and
raises ``LEAK`` with what it found of the reference (before: the source of the stand-in, in the
grader's question message). Now nothing of it is reachable: it returns zeros, 0/4, and no
``LEAK`` in the reason. Its computeOuterProduct is the reference's, written differently (so its
own source does not contain what it looks for)."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 2, "linregClosedForm": 0,
            "linregClosedFormPartitions": 5}
STATUS = "graded"
REASON = (r"^prepareSongs 0/3: not answered \(its answer cell is as handed out\); "
          r"linregClosedForm 0/4: hidden: 4,000 points in 4 different partitions: "
          r"the values differ from the expected ones$")
MUTATE = "blank:prepareSongs"  # as handed out: no prepareSongs calls before the attack
# %% computeOuterProduct
def computeOuterProduct(lp):
    x = lp.features.toArray()
    return x[:, None] * x[None, :]
# %% linregClosedForm
import gc
import sys

_MARKS = ("np." + "outer(", "outer " + "product x")  # the reference's code and docstring


def _weights(d):
    f = sys._getframe(1)
    while f is not None:
        for space in (f.f_locals, f.f_globals):
            w = space.get("w")
            if isinstance(w, np.ndarray) and w.shape == (d,):
                return w
        f = f.f_back
    return None


def _texts(value, depth=0):
    if isinstance(value, str):
        yield value
    elif depth < 4 and isinstance(value, dict):
        for v in list(value.values()):
            yield from _texts(v, depth + 1)
    elif depth < 4 and isinstance(value, (list, tuple)):
        for v in list(value):
            yield from _texts(v, depth + 1)


def _leaks():
    found = []
    stand_in = globals().get("computeOuterProduct")
    if getattr(stand_in, "__doc__", None):
        found.append("docstring: " + stand_in.__doc__[:60])
    f = sys._getframe(1)
    while f is not None:
        for space in (f.f_locals, f.f_globals):
            for text in _texts(dict(space)):
                if text not in _MARKS and any(m in text for m in _MARKS):
                    found.append(f"frame {f.f_code.co_name}: {text[:60]!r}")
        f = f.f_back
    for obj in gc.get_objects():
        if isinstance(obj, dict) and "standins" in obj:
            found.append("message: " + ",".join(map(str, obj))[:60])
    return found


def linregClosedForm(trainData):
    d = len(trainData.first().features)
    w = _weights(d)
    if w is not None:
        return np.array(w, dtype=float)
    leaks = _leaks()
    if leaks:
        raise RuntimeError("LEAK " + " | ".join(leaks[:3]))
    return np.zeros(d)
