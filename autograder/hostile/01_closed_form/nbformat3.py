"""An nbformat 3 notebook (worksheets, no cell ids): invalid, with what to do."""
EXPECTED = {"computeOuterProduct": 0, "linregClosedForm": 0}
STATUS = "invalid"
REASON = r"^nbformat 3: only nbformat 4"
MUTATE = "nbformat3"
