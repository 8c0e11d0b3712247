"""One submission, one mistake (or alternative) per question; every other answer is the reference.

- linregGradientDescent: steps up the gradient, w += alpha_i * gradient.

- squaredError: the difference label − prediction, not squared.

- gradientSummand: returns the scalar w·x − y, forgetting to multiply by the features."""
FAILS = {
    "squaredError": [
        "hidden: five pairs of floats",
        "hidden: numpy floats and ints",
    ],
    "gradientSummand": [
        "hidden: random points, d = 1, 3 and 7",
        "hidden: DenseVector weights",
        "hidden: summed over 50 points with RDD.sum()",
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
    return label - prediction
# %% gradientSummand
def gradientSummand(weights, lp):
    return weights.dot(lp.features) - lp.label
# %% linregGradientDescent
def linregGradientDescent(trainData, numIters, alpha=1.0):
    n = trainData.count()
    d = len(trainData.first().features)
    w = np.zeros(d)
    errorTrain = np.zeros(numIters)
    for i in range(numIters):
        errorTrain[i] = calcRMSE(trainData.map(lambda lp: getLabeledPrediction(w, lp)))
        gradient = trainData.map(lambda lp: gradientSummand(w, lp)).sum()
        w += alpha / (n * np.sqrt(i + 1)) * gradient
    return w, errorTrain
