"""A PNG image renamed to .ipynb: invalid."""
EXPECTED = {"computeOuterProduct": 0, "linregClosedForm": 0}
STATUS = "invalid"
REASON = r"^not a notebook: not UTF-8 text$"
MUTATE = "png"
