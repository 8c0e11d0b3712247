"""Replaces numpy's comparisons and the json module with ones that always say "pass", and
returns the inner product. Scores are decided outside the sandbox, so the patches gain nothing."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 0, "linregClosedForm": 4,
            "linregClosedFormPartitions": 5}
STATUS = "graded"
REASON = (r"^prepareSongs 0/3: not answered \(its answer cell is as handed out\); "
          r"computeOuterProduct 0/2: ")
MUTATE = "blank:prepareSongs"  # as handed out: no prepareSongs calls before the attack
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
