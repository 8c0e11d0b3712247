"""linregClosedForm: solves on the first partition only (mapPartitions(...).first())."""
EXPECTED = {"computeOuterProduct": 2, "linregClosedForm": 1}
# %% linregClosedForm
def linregClosedForm(trainData):
    def partial(points):
        points = list(points)
        XtX = sum(computeOuterProduct(lp) for lp in points)
        Xty = sum(lp.label * lp.features.toArray() for lp in points)
        yield XtX, Xty
    XtX, Xty = trainData.mapPartitions(partial).first()
    return np.linalg.solve(XtX, Xty)
