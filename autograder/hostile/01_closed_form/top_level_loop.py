"""The linregClosedForm answer cell defines a right function, then loops forever at top level:
the cell times out, linregClosedForm scores 0 (timeout), and computeOuterProduct is graded in a
new sandbox that leaves that cell out."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 2, "linregClosedForm": 0,
            "linregClosedFormPartitions": 5}
STATUS = "timeout"
REASON = (r"^prepareSongs 0/3: not answered \(its answer cell is as handed out\); "
          r"linregClosedForm 0/4: its answer cell 01-025 timed out after \d+ s$")
MUTATE = "blank:prepareSongs"  # as handed out: no prepareSongs calls before the attack
# %% linregClosedForm
def linregClosedForm(trainData):
    XtX = trainData.map(computeOuterProduct).reduce(lambda a, b: a + b)
    Xty = trainData.map(lambda lp: lp.label * lp.features.toArray()).reduce(lambda a, b: a + b)
    return np.linalg.solve(XtX, Xty)


while True:
    pass
