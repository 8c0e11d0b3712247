"""Correct alternative: treeAggregate instead of map(...).sum(), np.dot for the error."""
FAILS = {}  # a correct alternative: every hidden test passes
# %% linregGradientDescent
def linregGradientDescent(trainData, numIters, alpha=1.0):
    n = trainData.count()
    d = len(trainData.first().features)
    w = np.zeros(d)
    errorTrain = np.zeros(numIters)
    for i in range(numIters):
        errorTrain[i] = calcRMSE(trainData.map(lambda lp: (lp.label, np.dot(w, lp.features.toArray()))))
        gradient = trainData.treeAggregate(np.zeros(d), lambda acc, lp: acc + gradientSummand(w, lp),
                                           lambda a, b: a + b, depth=2)
        w -= alpha / (n * np.sqrt(i + 1)) * gradient
    return w, errorTrain
