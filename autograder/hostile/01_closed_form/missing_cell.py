"""The linregClosedForm answer cell was deleted: that question scores 0 (partial), the other
is graded."""
EXPECTED = {"computeOuterProduct": 2, "linregClosedForm": 0}
STATUS = "partial"
REASON = r"^linregClosedForm 0/4: its answer cell \(01-025\) is missing"
MUTATE = "drop:linregClosedForm"
