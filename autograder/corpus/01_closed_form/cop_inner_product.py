"""computeOuterProduct: the inner product (a number) instead of the outer product."""
EXPECTED = {"computeOuterProduct": 0, "linregClosedForm": 4}
# %% computeOuterProduct
def computeOuterProduct(lp):
    x = lp.features.toArray()
    return np.dot(x, x)
