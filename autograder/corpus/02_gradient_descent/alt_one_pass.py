"""Correct alternative: one treeAggregate pass per iteration gives the error of the current
weights, the gradient and n together (one Spark job per iteration instead of two)."""
FAILS = {}  # a correct alternative: every hidden test passes
# %% linregGradientDescent
def linregGradientDescent(trainData, numIters, alpha=1.0):
    d = len(trainData.first().features)
    w = np.zeros(d)
    errorTrain = np.zeros(numIters)

    def add_point(acc, lp):
        x = lp.features.toArray()
        r = x.dot(w) - lp.label
        return acc[0] + r * r, acc[1] + r * x, acc[2] + 1

    def merge(a, b):
        return a[0] + b[0], a[1] + b[1], a[2] + b[2]

    for i in range(numIters):
        sse, gradient, n = trainData.treeAggregate((0.0, np.zeros(d), 0), add_point, merge)
        errorTrain[i] = np.sqrt(sse / n)
        w = w - alpha / (n * np.sqrt(i + 1)) * gradient
    return w, errorTrain
