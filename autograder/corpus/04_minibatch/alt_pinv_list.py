"""Correct alternatives: the pseudo-inverse and a list; the counts as fractions; row-by-row local steps with yield."""
FAILS = {}  # a correct alternative: every hidden test passes
# %% localLinearRegression
def localLinearRegression(iterator):
    points = list(iterator)
    if len(points) == 0:
        return []
    X = np.array([p.features.toArray() for p in points])
    y = np.array([p.label for p in points])
    return [(np.linalg.pinv(X) @ y, len(points))]
# %% combineLocalRegressionResults
def combineLocalRegressionResults(a, b):
    n = a[1] + b[1]
    return a[0] * (a[1] / n) + b[0] * (b[1] / n), n
# %% localUpdatesGradientDescent
def localUpdatesGradientDescent(trainData, numRounds, localSteps, alpha):
    w = np.zeros(len(trainData.take(1)[0].features))
    for r in range(numRounds):
        def local(iterator):
            points = list(iterator)
            m = len(points)
            if m:
                v = w.copy()
                for s in range(localSteps):
                    grad = sum((lp.features.dot(v) - lp.label) * lp.features.toArray() for lp in points)
                    v -= alpha / m * grad
                yield v, m
        w = trainData.mapPartitions(local).reduce(combineLocalRegressionResults)[0]
    return w
