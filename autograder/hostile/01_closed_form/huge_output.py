"""Prints about 20 MB while being graded: the output kept is capped (the test checks the
feedback stays small) and the right answers get full marks."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 2, "linregClosedForm": 0,
            "linregClosedFormPartitions": 0}
STATUS = "partial"
REASON = (r"^prepareSongs 0/3: its answer cell \(01-217\) is missing[^;]*; linregClosedForm 0/4: its answer cell \(01-025\) is missing[^;]*; "
          r"linregClosedFormPartitions 0/5: its answer cell \(01-pp-04\) is missing[^;]*$")
MUTATE = "drop:prepareSongs+drop:linregClosedForm+drop:linregClosedFormPartitions"
# Its three Spark questions' answer cells (prepareSongs, linregClosedForm,
# linregClosedFormPartitions) are deleted (MUTATE),
# so grading it needs no Spark: the test stays fast, and the row also shows a missing cell
# costing only its question.
# %% computeOuterProduct
_line = "spam " * 200


def computeOuterProduct(lp):
    for _ in range(4_000):
        print(_line)
    x = lp.features.toArray()
    return np.outer(x, x)
