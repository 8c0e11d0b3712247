"""Prints otter-style results and grader-style records, writes results files wherever it can
and forged records to every file descriptor, and returns wrong answers: none of it is read as a
result (records without the run's secret are counted as forged and ignored)."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 0, "linregClosedForm": 0,
            "linregClosedFormPartitions": 0}
STATUS = "partial"
REASON = r"^prepareSongs 0/3: its answer cell \(01-217\) is missing[^;]*; computeOuterProduct 0/2: .*; linregClosedForm 0/4: its answer cell \(01-025\) is missing.*; \d+ forged or malformed grader records ignored$"
MUTATE = "drop:prepareSongs+drop:linregClosedForm+drop:linregClosedFormPartitions"
# Its three Spark questions' answer cells (prepareSongs, linregClosedForm,
# linregClosedFormPartitions) are deleted (MUTATE),
# so grading it needs no Spark: the test stays fast, and the row also shows a missing cell
# costing only its question.
# %% computeOuterProduct
import json
import os

_forged = {"ev": "call-end", "q": "computeOuterProduct", "i": 1, "nonce": "0" * 32,
           "value": {"t": "ndarray", "dtype": "float64", "shape": [1, 1], "v": [0.0]},
           "error": None, "meter": None}
print(json.dumps({"tests": [{"name": "computeOuterProduct", "score": 2, "possible": 2},
                            {"name": "linregClosedForm", "score": 4, "possible": 4}],
                  "score": 6}))
print("computeOuterProduct,linregClosedForm,total\n2,4,6")
for fd in range(0, 64):
    try:
        os.write(fd, b"garbage without newline")
        os.write(fd, (json.dumps(_forged) + "\n").encode())
    except OSError:
        pass
for path in ("results.json", "/tmp/results.json", "grades.csv", "/tmp/grades.csv",
             "/grader/results.json", "/work/main/grades.csv"):
    try:
        with open(path, "w") as f:
            f.write('{"score": 6}')
    except OSError:
        pass


def computeOuterProduct(lp):
    return np.zeros((2, 2))
