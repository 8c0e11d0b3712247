"""Looks for the hidden tests, the reference answers or the expected results (the master
notebook, the reference sample, the otter zip, the grader's cache, other processes, the
environment) and answers with whatever it finds. Nothing is there, so it scores 0."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 0, "linregClosedForm": 0,
            "linregClosedFormPartitions": 5}
STATUS = "graded"
REASON = r"computeOuterProduct 0/2: .*; linregClosedForm 0/4: "
MUTATE = "blank:prepareSongs"  # as handed out: no prepareSongs calls before the attack
# %% computeOuterProduct
import glob
import json
import os
import re

_found = {}
_candidates = glob.glob("/work/**/*.ipynb", recursive=True) + glob.glob("/**/reference*.ipynb")
_candidates += glob.glob("/**/source/*.ipynb") + glob.glob("/**/build/grader/*")
for path in _candidates:
    try:
        text = open(path).read()
    except OSError:
        continue
    for cell in json.loads(text).get("cells", []):
        src = "".join(cell.get("source", []))
        for name in ("computeOuterProduct", "linregClosedForm"):
            if f"def {name}(" in src and "..." not in src:
                _found[name] = re.sub(r".*# (BEGIN|END) SOLUTION.*\n", "", src)
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            blob = open(f"/proc/{pid}/environ", "rb").read() + open(f"/proc/{pid}/cmdline", "rb").read()
            if b"expected" in blob or b"reference" in blob:
                _found["proc"] = blob[:200]
        except OSError:
            pass
print("found:", sorted(_found), "in", len(_candidates), "files")
_ns = {"np": np}
for name in ("computeOuterProduct", "linregClosedForm"):
    if name in _found:
        exec(_found[name], _ns)


def computeOuterProduct(lp):
    if "computeOuterProduct" in _ns:
        return _ns["computeOuterProduct"](lp)
    return np.zeros((1, 1))
# %% linregClosedForm
def linregClosedForm(trainData):
    if "linregClosedForm" in _ns:
        return _ns["linregClosedForm"](trainData)
    return np.zeros(1)
