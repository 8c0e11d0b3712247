"""linregClosedForm: sums the features without the labels for Xᵀy."""
EXPECTED = {"computeOuterProduct": 2, "linregClosedForm": 0}
# %% linregClosedForm
def linregClosedForm(trainData):
    XtX = trainData.map(computeOuterProduct).reduce(lambda a, b: a + b)
    Xty = trainData.map(lambda lp: lp.features.toArray()).reduce(lambda a, b: a + b)
    return np.linalg.solve(XtX, Xty)
