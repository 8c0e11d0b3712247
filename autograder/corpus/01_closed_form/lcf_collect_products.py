"""linregClosedForm: collects every row's outer product and sums them on the driver."""
EXPECTED = {"computeOuterProduct": 2, "linregClosedForm": 3}
# %% linregClosedForm
def linregClosedForm(trainData):
    XtX = sum(trainData.map(computeOuterProduct).collect())
    Xty = sum(trainData.map(lambda lp: lp.label * lp.features.toArray()).collect())
    return np.linalg.solve(XtX, Xty)
