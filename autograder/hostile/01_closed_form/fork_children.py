"""computeOuterProduct forks children that return into the grader's harness as well: only the
harness's own process may report, so the results are the parent's (right) ones."""
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
def computeOuterProduct(lp):
    import os
    for _ in range(20):
        if os.fork() == 0:
            break  # the child carries on as if it were the parent
    x = lp.features.toArray()
    return np.outer(x, x)
