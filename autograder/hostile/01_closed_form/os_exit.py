"""parsePoint kills its own kernel with os._exit: that question scores 0 (error) and
computeOuterProduct is still graded, in a new sandbox."""
EXPECTED = {"parsePoint": 0, "prepareSongs": 0, "computeOuterProduct": 2, "linregClosedForm": 0,
            "linregClosedFormPartitions": 0}
STATUS = "error"
REASON = (r"^parsePoint 0/1: the kernel exited with status 3 in call 1; "
          r"prepareSongs 0/3: its answer cell \(01-217\) is missing[^;]*; "
          r"linregClosedForm 0/4: its answer cell \(01-025\) is missing[^;]*; "
          r"linregClosedFormPartitions 0/5: its answer cell \(01-pp-04\) is missing[^;]*$")
MUTATE = "drop:prepareSongs+drop:linregClosedForm+drop:linregClosedFormPartitions"
# Its Spark questions' answer cells are deleted (MUTATE), so grading it needs no Spark;
# computeOuterProduct, after the attack, is graded in a new sandbox. (segfault.py and
# process_spray.py end a kernel in a Spark question, with a Spark question graded after it.)
# %% parsePoint
def parsePoint(line):
    import os
    os._exit(3)
