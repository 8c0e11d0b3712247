"""computeOuterProduct never returns: that question scores 0 (timeout), after its own time limit
(10 s a call), and parsePoint keeps its mark."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 0, "linregClosedForm": 0,
            "linregClosedFormPartitions": 0}
STATUS = "timeout"
REASON = (r"^prepareSongs 0/3: its answer cell \(01-217\) is missing[^;]*; "
          r"computeOuterProduct 0/2: timed out after 10 s in call 1; "
          r"linregClosedForm 0/4: its answer cell \(01-025\) is missing[^;]*; "
          r"linregClosedFormPartitions 0/5: its answer cell \(01-pp-04\) is missing[^;]*$")
MUTATE = "drop:prepareSongs+drop:linregClosedForm+drop:linregClosedFormPartitions"
# Its Spark questions' answer cells are deleted (MUTATE), so grading it needs no Spark.
# (top_level_loop.py times out in an answer cell, with a question graded after it in a new
# sandbox.)
# %% computeOuterProduct
def computeOuterProduct(lp):
    while True:
        pass
