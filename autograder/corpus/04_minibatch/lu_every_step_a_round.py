"""localUpdatesGradientDescent: communicates after every local step (numRounds × localSteps jobs), i.e. plain gradient descent."""
EXPECTED = {"localLinearRegression": 4, "combineLocalRegressionResults": 3, "localUpdatesGradientDescent": 1}
# %% localUpdatesGradientDescent
def localUpdatesGradientDescent(trainData, numRounds, localSteps, alpha):
    w = np.zeros(len(trainData.first().features))
    for _ in range(numRounds * localSteps):
        def step(iterator, w=w):
            points = list(iterator)
            if not points:
                return []
            X = np.array([lp.features.toArray() for lp in points])
            y = np.array([lp.label for lp in points])
            return [(w - alpha / len(y) * X.T @ (X @ w - y), len(y))]
        w, _ = trainData.mapPartitions(step).reduce(combineLocalRegressionResults)
    return w
