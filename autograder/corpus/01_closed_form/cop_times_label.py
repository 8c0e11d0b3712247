"""computeOuterProduct: multiplies the outer product by the label."""
EXPECTED = {"computeOuterProduct": 0, "linregClosedForm": 4}
# %% computeOuterProduct
def computeOuterProduct(lp):
    x = lp.features.toArray()
    return lp.label * np.outer(x, x)
