"""linregClosedForm: returns a (d, 1) column instead of a flat (d,) vector."""
EXPECTED = {"computeOuterProduct": 2, "linregClosedForm": 0}
# %% linregClosedForm
def linregClosedForm(trainData):
    XtX = trainData.map(computeOuterProduct).reduce(lambda a, b: a + b)
    Xty = trainData.map(lambda lp: lp.label * lp.features.toArray()).reduce(lambda a, b: a + b)
    return np.linalg.solve(XtX, Xty.reshape(-1, 1))
