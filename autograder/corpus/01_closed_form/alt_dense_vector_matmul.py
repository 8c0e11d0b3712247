"""Correct alternatives: np.outer on the DenseVector itself, `@` and column vectors, pinv, treeReduce."""
FAILS = {}  # a correct alternative: every hidden test passes
# %% computeOuterProduct
def computeOuterProduct(lp):
    x = np.asarray(lp.features).reshape(-1, 1)
    return x @ x.T
# %% linregClosedForm
def linregClosedForm(trainData):
    from operator import add
    XtX = trainData.map(computeOuterProduct).treeReduce(add, depth=2)
    Xty = trainData.map(lambda lp: lp.features * lp.label).treeReduce(add)
    return np.linalg.pinv(XtX) @ np.asarray(Xty)
