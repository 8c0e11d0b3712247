"""One submission, one mistake (or alternative) per question; every other answer is the reference.

- linregGradientDescent: a step that does not shrink, alpha / n.

- squaredError: the absolute error |label − prediction| instead of its square.

- getLabeledPrediction: returns (prediction, label), the wrong order."""
FAILS = {
    "squaredError": [
        "hidden: five pairs of floats",
        "hidden: numpy floats and ints",
    ],
    "getLabeledPrediction": [
        "hidden: random points, d = 1, 4 and 12",
        "hidden: DenseVector weights",
    ],
    "linregGradientDescent": [
        "hidden: the weights after 7 iterations",
        "hidden: errorTrain over 7 iterations",
        "hidden: alpha = 0.3, 3 iterations",
        "hidden: 12,000 points, d = 20, bytes sent to the driver",
    ],
}
# %% squaredError
def squaredError(label, prediction):
    return abs(label - prediction)
# %% getLabeledPrediction
def getLabeledPrediction(weights, observation):
    return float(observation.features.dot(weights)), float(observation.label)
# %% linregGradientDescent
def linregGradientDescent(trainData, numIters, alpha=1.0):
    n = trainData.count()
    d = len(trainData.first().features)
    w = np.zeros(d)
    errorTrain = np.zeros(numIters)
    for i in range(numIters):
        errorTrain[i] = calcRMSE(trainData.map(lambda lp: getLabeledPrediction(w, lp)))
        gradient = trainData.map(lambda lp: gradientSummand(w, lp)).sum()
        w -= alpha / n * gradient
    return w, errorTrain
