"""The parsePoint answer cell defines a right function, then loops forever at top level: the cell
times out, parsePoint scores 0 (timeout), and computeOuterProduct is graded in a new sandbox
that leaves that cell out."""
EXPECTED = {"parsePoint": 0, "prepareSongs": 0, "computeOuterProduct": 2, "linregClosedForm": 0,
            "linregClosedFormPartitions": 0}
STATUS = "timeout"
REASON = (r"^parsePoint 0/1: its answer cell 01-\S+ timed out after \d+ s; "
          r"prepareSongs 0/3: its answer cell \(01-217\) is missing[^;]*; "
          r"linregClosedForm 0/4: its answer cell \(01-025\) is missing[^;]*; "
          r"linregClosedFormPartitions 0/5: its answer cell \(01-pp-04\) is missing[^;]*$")
MUTATE = "drop:prepareSongs+drop:linregClosedForm+drop:linregClosedFormPartitions"
# Its Spark questions' answer cells are deleted (MUTATE), so grading it needs no Spark; segfault.py
# and process_spray.py end a kernel in a Spark question, with a Spark question graded after it.
# %% parsePoint
def parsePoint(line):
    values = [float(v) for v in line.split(",")]
    return LabeledPoint(values[0], values[1:])


while True:
    pass
