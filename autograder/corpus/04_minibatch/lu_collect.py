"""localUpdatesGradientDescent: collects every partition to the driver (glom().collect()) and runs the rounds there."""
EXPECTED = {"localLinearRegression": 4, "combineLocalRegressionResults": 3, "localUpdatesGradientDescent": 3}
# %% localUpdatesGradientDescent
def localUpdatesGradientDescent(trainData, numRounds, localSteps, alpha):
    parts = [p for p in trainData.glom().collect() if p]
    blocks = [(np.array([lp.features.toArray() for lp in p]), np.array([lp.label for lp in p])) for p in parts]
    w = np.zeros(blocks[0][0].shape[1])
    for _ in range(numRounds):
        results = []
        for X, y in blocks:
            v = w.copy()
            for _ in range(localSteps):
                v = v - alpha / len(y) * X.T @ (X @ v - y)
            results.append((v, len(y)))
        w = sum(m * v for v, m in results) / sum(m for _, m in results)
    return w
