"""Returns objects whose == is always true and that pretend to be arrays (shape, dtype,
__array__, __float__), and an ndarray subclass with a lying __eq__: the grader reads only exact
types and the array's own data, so both questions score 0."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 0, "linregClosedForm": 0,
            "linregClosedFormPartitions": 5}
STATUS = "graded"
REASON = r"computeOuterProduct 0/2: .*; linregClosedForm 0/4: "
MUTATE = "blank:prepareSongs"  # as handed out: no prepareSongs calls before the attack
# %% computeOuterProduct
class Liar:
    shape = (3, 3)
    dtype = np.dtype(float)
    ndim = 2

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
        return "array([[1., 2., 3.], [2., 4., 6.], [3., 6., 9.]])"


def computeOuterProduct(lp):
    return Liar()
# %% linregClosedForm
class LiarArray(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(other), dtype=bool)

    def __array_finalize__(self, obj):
        pass

    def tolist(self):
        return [2.0, -1.0, 0.5, 4.0]


def linregClosedForm(trainData):
    return np.zeros(len(trainData.first().features)).view(LiarArray)
