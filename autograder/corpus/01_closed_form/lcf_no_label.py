"""One submission, one mistake per question; every other answer is the reference.

- linregClosedForm: sums the features without the labels for Xᵀy.

- computeOuterProduct: the inner product (a number) instead of the outer product."""
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
    return np.dot(x, x)
# %% linregClosedForm
def linregClosedForm(trainData):
    XtX = trainData.map(computeOuterProduct).reduce(lambda a, b: a + b)
    Xty = trainData.map(lambda lp: lp.features.toArray()).reduce(lambda a, b: a + b)
    return np.linalg.solve(XtX, Xty)
