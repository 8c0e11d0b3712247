"""An empty file: invalid."""
EXPECTED = {"computeOuterProduct": 0, "linregClosedForm": 0}
STATUS = "invalid"
REASON = r"^empty file$"
MUTATE = "empty"
