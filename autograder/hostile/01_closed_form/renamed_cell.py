"""The computeOuterProduct answer was written in a new cell (another id) and the answer cell
deleted: that question scores 0 (partial) — answers must be in the answer cells."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 0, "linregClosedForm": 0,
            "linregClosedFormPartitions": 0}
STATUS = "partial"
REASON = (r"^prepareSongs 0/3: its answer cell \(01-217\) is missing[^;]*; "
          r"computeOuterProduct 0/2: its answer cell \(01-013\) is missing[^;]*; "
          r"linregClosedForm 0/4: its answer cell \(01-025\) is missing[^;]*; "
          r"linregClosedFormPartitions 0/5: its answer cell \(01-pp-04\) is missing[^;]*$")
MUTATE = ("drop:prepareSongs+drop:linregClosedForm+drop:linregClosedFormPartitions"
          "+rename:computeOuterProduct")
# Its Spark questions' answer cells are deleted too, so grading it needs no Spark.
