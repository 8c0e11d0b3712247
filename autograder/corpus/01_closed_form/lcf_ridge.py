"""linregClosedForm: adds a ridge term (XᵀX + I), which plain least squares does not have."""
EXPECTED = {"computeOuterProduct": 2, "linregClosedForm": 1}
# %% linregClosedForm
def linregClosedForm(trainData):
    XtX = trainData.map(computeOuterProduct).reduce(lambda a, b: a + b)
    Xty = trainData.map(lambda lp: lp.label * lp.features.toArray()).reduce(lambda a, b: a + b)
    return np.linalg.solve(XtX + np.eye(len(Xty)), Xty)
