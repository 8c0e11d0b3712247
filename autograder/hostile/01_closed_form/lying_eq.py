"""Returns objects whose == is always true and that pretend to be what is asked for (a
LabeledPoint's label and features, an array's shape, dtype, __array__, __float__), and an ndarray
subclass with a lying __eq__ and tolist: the grader reads only exact types and the array's own
data, so both questions score 0."""
EXPECTED = {"parsePoint": 0, "prepareSongs": 0, "computeOuterProduct": 0, "linregClosedForm": 0,
            "linregClosedFormPartitions": 0}
STATUS = "partial"
REASON = (r"^parsePoint 0/1: [^;]*; "
          r"prepareSongs 0/3: its answer cell \(01-217\) is missing[^;]*; "
          r"computeOuterProduct 0/2: [^;]*; "
          r"linregClosedForm 0/4: its answer cell \(01-025\) is missing[^;]*; "
          r"linregClosedFormPartitions 0/5: its answer cell \(01-pp-04\) is missing[^;]*$")
MUTATE = "drop:prepareSongs+drop:linregClosedForm+drop:linregClosedFormPartitions"
# Its Spark questions' answer cells are deleted (MUTATE), so grading it needs no Spark.
# %% parsePoint
class Liar:
    label = 2001.0
    shape = (3, 3)
    dtype = np.dtype(float)
    ndim = 2

    def __init__(self):
        self.features = self

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __array__(self, dtype=None, copy=None):
        return np.ones((3, 3))

    def __float__(self):
        return 1.0

    def __len__(self):
        return 3

    def __repr__(self):
        return "LabeledPoint(2001.0, [0.8841, 0.6105, 0.6005])"


def parsePoint(line):
    return Liar()
# %% computeOuterProduct
class LiarArray(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(other), dtype=bool)

    def __array_finalize__(self, obj):
        pass

    def tolist(self):
        return [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [3.0, 6.0, 9.0]]


def computeOuterProduct(lp):
    d = len(lp.features)
    return np.zeros((d, d)).view(LiarArray)
