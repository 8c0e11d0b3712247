"""Valid JSON that is not a notebook (a list): invalid."""
EXPECTED = {"parsePoint": 0, "prepareSongs": 0, "computeOuterProduct": 0, "linregClosedForm": 0,
            "linregClosedFormPartitions": 0}
STATUS = "invalid"
REASON = r"^not a notebook: JSON without cells$"
MUTATE = "json_list"
