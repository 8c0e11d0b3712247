"""No computation, only values that pass tolerant comparisons: an empty array where a number
is expected (``np.allclose`` of an empty array is True), a ``(0, 1)`` array where a vector is
expected (it broadcasts against ``(d,)``). Before the checks were strict this scored 4/9
(predictCommunication 3/3, the best regParam 1); now every check looks at type and shape
first: 0/9 on the three questions it answers (the others keep the reference answers)."""
EXPECTED = {"predictCommunication": 0, "ridgeClosedForm": 0, "gridSearchBroadcast": 0,
            "twoWayInteractions": 2, "gridSearch2D": 3}
STATUS = "graded"
REASON = (r"^predictCommunication 0/3: hidden: closed form: expected shape \(\), got shape "
          r"\(0,\); ridgeClosedForm 0/2: .*; gridSearchBroadcast 0/4: ")
# %% predictCommunication
def predictCommunication(n, d, p, method, numIters=1):
    return np.zeros(0)
# %% ridgeClosedForm
def ridgeClosedForm(X, y, regParam):
    return np.zeros((0, 1))
# %% gridSearchBroadcast
def gridSearchBroadcast(sc, train, val, regParams):
    return np.zeros(0), np.zeros((0, 1))
