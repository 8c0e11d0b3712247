"""One submission, one mistake per question; every other answer is the reference.

- linregClosedForm: sums the features without the labels for Xᵀy.

- computeOuterProduct: the inner product (a number) instead of the outer product."""
EXPECTED = {"computeOuterProduct": 0, "linregClosedForm": 0}
# %% computeOuterProduct
def computeOuterProduct(lp):
    x = lp.features.toArray()
    return np.dot(x, x)
# %% linregClosedForm
def linregClosedForm(trainData):
    XtX = trainData.map(computeOuterProduct).reduce(lambda a, b: a + b)
    Xty = trainData.map(lambda lp: lp.features.toArray()).reduce(lambda a, b: a + b)
    return np.linalg.solve(XtX, Xty)
