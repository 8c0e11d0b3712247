"""One submission, one mistake per question; every other answer is the reference.

- localLinearRegression: reports a count of 1 per partition, so every partition weighs the same.

- combineLocalRegressionResults: sums the weights instead of averaging them.

- localUpdatesGradientDescent: collects every partition to the driver (glom().collect()) and runs the rounds there."""
FAILS = {
    "localLinearRegression": [
        "hidden: the count m",
    ],
    "combineLocalRegressionResults": [
        "hidden: the count-weighted average",
        "hidden: reduce over 6 results in 3 partitions",
    ],
    "localUpdatesGradientDescent": [
        "hidden: 20,000 points, Spark jobs and bytes sent to the driver",
    ],
}
# %% localLinearRegression
def localLinearRegression(iterator):
    points = list(iterator)
    if not points:
        return []
    X = np.array([lp.features.toArray() for lp in points])
    y = np.array([lp.label for lp in points])
    return [(np.linalg.lstsq(X, y, rcond=None)[0], 1)]
# %% combineLocalRegressionResults
def combineLocalRegressionResults(a, b):
    return a[0] + b[0], a[1] + b[1]
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
