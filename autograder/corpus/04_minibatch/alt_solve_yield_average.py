"""Correct alternatives: normal equations with np.linalg.solve and yield; np.average with weights; glom and treeReduce."""
FAILS = {}  # a correct alternative: every hidden test passes
# %% localLinearRegression
def localLinearRegression(iterator):
    rows = [(lp.features.toArray(), lp.label) for lp in iterator]
    if rows:
        X = np.vstack([x for x, _ in rows])
        y = np.array([label for _, label in rows])
        yield np.linalg.solve(X.T @ X, X.T @ y), len(rows)
# %% combineLocalRegressionResults
def combineLocalRegressionResults(a, b):
    return np.average([a[0], b[0]], axis=0, weights=[a[1], b[1]]), a[1] + b[1]
# %% localUpdatesGradientDescent
def localUpdatesGradientDescent(trainData, numRounds, localSteps, alpha):
    d = trainData.map(lambda lp: len(lp.features)).first()
    w = np.zeros(d)
    for _ in range(numRounds):
        def steps(points, w=w):
            if not points:
                return np.zeros(d), 0
            X = np.array([lp.features.toArray() for lp in points])
            y = np.array([lp.label for lp in points])
            v = w
            for _ in range(localSteps):
                v = v - alpha * X.T @ (X @ v - y) / len(points)
            return len(points) * v, len(points)
        total, count = trainData.glom().map(steps).treeReduce(lambda a, b: (a[0] + b[0], a[1] + b[1]))
        w = total / count
    return w
