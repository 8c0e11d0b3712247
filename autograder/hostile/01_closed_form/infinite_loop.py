"""computeOuterProduct never returns: that question scores 0 (timeout) and linregClosedForm is
still graded, in a new sandbox."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 3, "computeOuterProduct": 0, "linregClosedForm": 4}
STATUS = "timeout"
REASON = r"^computeOuterProduct 0/2: timed out after \d+ s in call 1$"
# %% computeOuterProduct
def computeOuterProduct(lp):
    while True:
        pass
