"""A PNG image renamed to .ipynb: invalid."""
EXPECTED = {"parsePoint": 0, "prepareSongs": 0, "computeOuterProduct": 0, "linregClosedForm": 0,
            "linregClosedFormPartitions": 0}
STATUS = "invalid"
REASON = r"^not a notebook: not UTF-8 text$"
MUTATE = "png"
