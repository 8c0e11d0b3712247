"""No computation of weights, only ``(0, 1)`` arrays where a weight vector is expected (they
broadcast against ``(d,)``, and ``np.allclose`` of the empty result is True); the counts are
honest. Before the checks were strict this scored 8/11; now only the two tests of counts and
empty partitions, which it does compute, score: 3/11."""
EXPECTED = {"localLinearRegression": 2, "combineLocalRegressionResults": 1,
            "localUpdatesGradientDescent": 0}
STATUS = "graded"
REASON = (r"^localLinearRegression 2/4: hidden: the weights, d = 1, 4 and 7: item 0: item 0: "
          r"expected shape \(1,\), got shape \(0, 1\); combineLocalRegressionResults 1/3: "
          r"hidden: the count-weighted average: item 0: expected shape .*; "
          r"localUpdatesGradientDescent 0/4: ")
# %% localLinearRegression
def localLinearRegression(iterator):
    points = list(iterator)
    return [(np.zeros((0, 1)), len(points))] if points else []
# %% combineLocalRegressionResults
def combineLocalRegressionResults(a, b):
    return np.zeros((0, 1)), a[1] + b[1]
# %% localUpdatesGradientDescent
def localUpdatesGradientDescent(trainData, numRounds, localSteps, alpha):
    return np.zeros((0, 1))
