"""The file was cut in the middle (an interrupted upload): invalid, not valid JSON."""
EXPECTED = {"parsePoint": 0, "prepareSongs": 0, "computeOuterProduct": 0, "linregClosedForm": 0,
            "linregClosedFormPartitions": 0}
STATUS = "invalid"
REASON = r"^not valid JSON \(.*; the file ends early: truncated\?\)$"
MUTATE = "truncate"
