"""computeOuterProduct: the element-wise square x * x, shape (d,) instead of (d, d)."""
EXPECTED = {"computeOuterProduct": 0, "linregClosedForm": 4}
# %% computeOuterProduct
def computeOuterProduct(lp):
    x = lp.features.toArray()
    return x * x
