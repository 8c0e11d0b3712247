"""An empty file: invalid."""
EXPECTED = {"parsePoint": 0, "prepareSongs": 0, "computeOuterProduct": 0, "linregClosedForm": 0,
            "linregClosedFormPartitions": 0}
STATUS = "invalid"
REASON = r"^empty file$"
MUTATE = "empty"
