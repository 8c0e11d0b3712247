"""One submission, one mistake per question; every other answer is the reference.

- linregClosedForm: adds a ridge term (XᵀX + I), which plain least squares does not have.

- computeOuterProduct: multiplies the outer product by the label."""
FAILS = {
    "computeOuterProduct": [
        "hidden: random features, d = 1, 4 and 9",
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
    return lp.label * np.outer(x, x)
# %% linregClosedForm
def linregClosedForm(trainData):
    XtX = trainData.map(computeOuterProduct).reduce(lambda a, b: a + b)
    Xty = trainData.map(lambda lp: lp.label * lp.features.toArray()).reduce(lambda a, b: a + b)
    return np.linalg.solve(XtX + np.eye(len(Xty)), Xty)
