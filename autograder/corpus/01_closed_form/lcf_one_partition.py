"""One submission, one mistake per question; every other answer is the reference.

- linregClosedForm: solves on the first partition only (mapPartitions(...).first()).

- computeOuterProduct: right numbers, but a nested list instead of a numpy array."""
FAILS = {
    "computeOuterProduct": [
        "hidden: a float numpy array",
    ],
    "linregClosedForm": [
        "hidden: 4,000 points in 4 different partitions",
        "hidden: 8 small points (no ridge term)",
    ],
}
# %% computeOuterProduct
def computeOuterProduct(lp):
    x = lp.features.toArray()
    return np.outer(x, x).tolist()
# %% linregClosedForm
def linregClosedForm(trainData):
    def partial(points):
        points = list(points)
        XtX = sum(computeOuterProduct(lp) for lp in points)
        Xty = sum(lp.label * lp.features.toArray() for lp in points)
        yield XtX, Xty
    XtX, Xty = trainData.mapPartitions(partial).first()
    return np.linalg.solve(XtX, Xty)
