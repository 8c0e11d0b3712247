"""Replaces numpy's comparisons and the json module with ones that always say "pass", and
returns the inner product. Scores are decided outside the sandbox, so the patches gain nothing:
computeOuterProduct scores 0, and parsePoint, graded with the patches in place (every answer
cell runs before any question is graded), keeps its mark."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 0, "linregClosedForm": 0,
            "linregClosedFormPartitions": 0}
STATUS = "partial"
REASON = (r"^prepareSongs 0/3: its answer cell \(01-217\) is missing[^;]*; "
          r"computeOuterProduct 0/2: [^;]*; "
          r"linregClosedForm 0/4: its answer cell \(01-025\) is missing[^;]*; "
          r"linregClosedFormPartitions 0/5: its answer cell \(01-pp-04\) is missing[^;]*$")
MUTATE = "drop:prepareSongs+drop:linregClosedForm+drop:linregClosedFormPartitions"
# Its Spark questions' answer cells are deleted (MUTATE), so grading it needs no Spark.
# %% computeOuterProduct
import json
import numpy as np

np.allclose = lambda *a, **k: True
np.isclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
np.testing.assert_array_almost_equal = lambda *a, **k: None
json.dumps = lambda *a, **k: '{"tests": [{"name": "computeOuterProduct", "score": 2}], "score": 6}'
json.JSONEncoder.encode = lambda self, o: '{"score": 6}'
json.loads = lambda *a, **k: {"computeOuterProduct": 2, "linregClosedForm": 4}


def computeOuterProduct(lp):
    x = lp.features.toArray()
    return np.dot(x, x)
