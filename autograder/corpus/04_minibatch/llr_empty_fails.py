"""One submission, one mistake per question; every other answer is the reference.

- localLinearRegression: no case for an empty partition, where lstsq of an empty array raises.

- combineLocalRegressionResults: the plain average (w1 + w2) / 2, ignoring the counts.

- localUpdatesGradientDescent: communicates after every local step (numRounds × localSteps jobs), i.e. plain gradient descent."""
FAILS = {
    "localLinearRegression": [
        "hidden: an empty partition gives nothing",
    ],
    "combineLocalRegressionResults": [
        "hidden: the count-weighted average",
        "hidden: reduce over 6 results in 3 partitions",
    ],
    "localUpdatesGradientDescent": [
        "hidden: 3 rounds of 4 local steps, partitions of 15, 40 and 90 points",
        "hidden: 20,000 points, Spark jobs and bytes sent to the driver",
    ],
}
# %% localLinearRegression
def localLinearRegression(iterator):
    points = list(iterator)
    X = np.array([lp.features.toArray() for lp in points])
    y = np.array([lp.label for lp in points])
    yield np.linalg.lstsq(X, y, rcond=None)[0], len(points)
# %% combineLocalRegressionResults
def combineLocalRegressionResults(a, b):
    return (a[0] + b[0]) / 2, a[1] + b[1]
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
