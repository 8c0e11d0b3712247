"""One submission, one mistake per question; every other answer is the reference.

- combineLocalRegressionResults: the weighted average is right, but the count it returns is the
  first one's (n1), not n1 + n2: one pair is fine, a reduce over more goes wrong.

- localUpdatesGradientDescent: averages the partitions' local weights plainly (sum / number of
  partitions) instead of weighting them by their counts: right only when partitions are equal."""
FAILS = {
    "combineLocalRegressionResults": [
        "hidden: the total count",
        "hidden: reduce over 6 results in 3 partitions",
    ],
    "localUpdatesGradientDescent": [
        "hidden: 3 rounds of 4 local steps, partitions of 15, 40 and 90 points",
        "hidden: one local step per round is full gradient descent",
    ],
}
# %% combineLocalRegressionResults
def combineLocalRegressionResults(a, b):
    (w1, n1), (w2, n2) = a, b
    return (n1 * w1 + n2 * w2) / (n1 + n2), n1
# %% localUpdatesGradientDescent
def localUpdatesGradientDescent(trainData, numRounds, localSteps, alpha):
    w = np.zeros(len(trainData.first().features))
    for _ in range(numRounds):
        def local(iterator, w=w):
            points = list(iterator)
            if not points:
                return []
            X = np.array([lp.features.toArray() for lp in points])
            y = np.array([lp.label for lp in points])
            v = w.copy()
            for _ in range(localSteps):
                v = v - alpha / len(y) * X.T.dot(X.dot(v) - y)
            return [(v, 1)]
        total, k = trainData.mapPartitions(local).reduce(lambda a, b: (a[0] + b[0], a[1] + b[1]))
        w = total / k
    return w
