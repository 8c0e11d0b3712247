"""One submission, one mistake (or alternative) per question; every other answer is the reference.

- linregGradientDescent: steps up the gradient, w += alpha_i * gradient.

- squaredError: the difference label − prediction, not squared.

- gradientSummand: returns the scalar w·x − y, forgetting to multiply by the features."""
EXPECTED = {"squaredError": 0, "calcRMSE": 3, "gradientSummand": 0, "getLabeledPrediction": 2, "linregGradientDescent": 0}
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
