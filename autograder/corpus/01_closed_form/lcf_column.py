"""One submission, one mistake per question; every other answer is the reference.

- linregClosedForm: returns a (d, 1) column instead of a flat (d,) vector.

- computeOuterProduct: the element-wise square x * x, shape (d,) instead of (d, d)."""
FAILS = {
    "computeOuterProduct": [
        "hidden: random features, d = 1, 4 and 9",
        "hidden: a float numpy array",
    ],
    "linregClosedForm": [
        "hidden: 4,000 points in 4 different partitions",
        "hidden: 8 small points (no ridge term)",
        "hidden: 30,000 points, bytes sent to the driver",
    ],
}
# %% computeOuterProduct
def computeOuterProduct(lp):
    x = lp.features.toArray()
    return x * x
# %% linregClosedForm
def linregClosedForm(trainData):
    XtX = trainData.map(computeOuterProduct).reduce(lambda a, b: a + b)
    Xty = trainData.map(lambda lp: lp.label * lp.features.toArray()).reduce(lambda a, b: a + b)
    return np.linalg.solve(XtX, Xty.reshape(-1, 1))
