"""computeOuterProduct never returns: that question scores 0 (timeout) and linregClosedForm is
still graded, in a new sandbox."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 0, "linregClosedForm": 4,
            "linregClosedFormPartitions": 5}
STATUS = "timeout"
REASON = (r"^prepareSongs 0/3: not answered \(its answer cell is as handed out\); "
          r"computeOuterProduct 0/2: timed out after \d+ s in call 1$")
MUTATE = "blank:prepareSongs"  # as handed out: no prepareSongs calls before the attack
# %% computeOuterProduct
def computeOuterProduct(lp):
    while True:
        pass
