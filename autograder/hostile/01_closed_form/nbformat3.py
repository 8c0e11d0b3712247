"""An nbformat 3 notebook (worksheets, no cell ids): invalid, with what to do."""
EXPECTED = {"parsePoint": 0, "prepareSongs": 0, "computeOuterProduct": 0, "linregClosedForm": 0,
            "linregClosedFormPartitions": 0}
STATUS = "invalid"
REASON = r"^nbformat 3: only nbformat 4"
MUTATE = "nbformat3"
