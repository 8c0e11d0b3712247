"""The computeOuterProduct answer was written in a new cell (another id) and the answer cell
deleted: that question scores 0 (partial) — answers must be in the answer cells."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 0, "linregClosedForm": 4,
            "linregClosedFormPartitions": 5}
STATUS = "partial"
REASON = (r"^prepareSongs 0/3: not answered \(its answer cell is as handed out\); "
          r"computeOuterProduct 0/2: its answer cell \(01-013\) is missing")
MUTATE = "blank:prepareSongs+rename:computeOuterProduct"
