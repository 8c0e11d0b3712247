"""Every answer cell was deleted: nothing to grade, the row is invalid."""
EXPECTED = {"parsePoint": 0, "prepareSongs": 0, "computeOuterProduct": 0, "linregClosedForm": 0,
            "linregClosedFormPartitions": 0}
STATUS = "invalid"
REASON = r"^none of the 01_closed_form answer cells"
MUTATE = "drop_all"
