"""The computeOuterProduct answer was written in a new cell (another id) and the answer cell
deleted: that question scores 0 (partial) — answers must be in the answer cells."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 3, "computeOuterProduct": 0, "linregClosedForm": 4}
STATUS = "partial"
REASON = r"^computeOuterProduct 0/2: its answer cell \(01-013\) is missing"
MUTATE = "rename:computeOuterProduct"
