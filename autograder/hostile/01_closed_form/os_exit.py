"""computeOuterProduct kills its own kernel with os._exit: that question scores 0 (error) and
linregClosedForm is still graded, in a new sandbox."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 0, "linregClosedForm": 4,
            "linregClosedFormPartitions": 5}
STATUS = "error"
REASON = (r"^prepareSongs 0/3: not answered \(its answer cell is as handed out\); "
          r"computeOuterProduct 0/2: the kernel exited with status 3 in call 1$")
MUTATE = "blank:prepareSongs"  # as handed out: no prepareSongs calls before the attack
# %% computeOuterProduct
def computeOuterProduct(lp):
    import os
    os._exit(3)
