"""computeOuterProduct: right numbers, but a nested list instead of a numpy array."""
EXPECTED = {"computeOuterProduct": 1, "linregClosedForm": 4}
# %% computeOuterProduct
def computeOuterProduct(lp):
    x = lp.features.toArray()
    return np.outer(x, x).tolist()
