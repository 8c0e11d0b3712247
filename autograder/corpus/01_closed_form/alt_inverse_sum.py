"""Correct alternatives: np.outer of DenseVectors, RDD.sum() and an explicit inverse."""
FAILS = {}  # a correct alternative: every hidden test passes
# %% computeOuterProduct
def computeOuterProduct(lp):
    return np.outer(lp.features, lp.features)
# %% linregClosedForm
def linregClosedForm(trainData):
    XtX = trainData.map(computeOuterProduct).sum()
    Xty = trainData.map(lambda lp: np.dot(lp.label, lp.features.toArray())).sum()
    return np.dot(np.linalg.inv(XtX), Xty)
