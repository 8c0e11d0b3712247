"""Prints about 20 MB while being graded: the output kept is capped (the test checks the
feedback stays small) and the right answers get full marks."""
EXPECTED = {"computeOuterProduct": 2, "linregClosedForm": 0}
STATUS = "partial"
REASON = r"^linregClosedForm 0/4: its answer cell \(01-025\) is missing[^;]*$"
MUTATE = "drop:linregClosedForm"
# Its linregClosedForm answer cell is deleted (MUTATE), so grading it needs no Spark: the
# test stays fast, and the row also shows a missing cell costing only its question.
# %% computeOuterProduct
_line = "spam " * 200


def computeOuterProduct(lp):
    for _ in range(4_000):
        print(_line)
    x = lp.features.toArray()
    return np.outer(x, x)
