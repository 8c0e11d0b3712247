"""One submission, one mistake (or alternative) per question; every other answer is the reference.

- linregGradientDescent: the step is not divided by n, alpha / √(i+1) on the summed gradient.

- squaredError: half the squared error (the ½ of some textbooks' loss), a factor of 2 off.

- getLabeledPrediction: an element-wise product weights * features (a vector) instead of the dot product.

- gradientSummand: keeps the 2 of the derivative, 2(w·x − y)·x (the lecture folds it into the step)."""
EXPECTED = {"squaredError": 0, "calcRMSE": 3, "gradientSummand": 0, "getLabeledPrediction": 0, "linregGradientDescent": 0}
# %% squaredError
def squaredError(label, prediction):
    return 0.5 * (label - prediction) ** 2
# %% gradientSummand
def gradientSummand(weights, lp):
    x = lp.features.toArray()
    return 2 * (np.dot(weights, x) - lp.label) * x
# %% getLabeledPrediction
def getLabeledPrediction(weights, observation):
    return observation.label, weights * observation.features.toArray()
# %% linregGradientDescent
def linregGradientDescent(trainData, numIters, alpha=1.0):
    n = trainData.count()
    d = len(trainData.first().features)
    w = np.zeros(d)
    errorTrain = np.zeros(numIters)
    for i in range(numIters):
        errorTrain[i] = calcRMSE(trainData.map(lambda lp: getLabeledPrediction(w, lp)))
        gradient = trainData.map(lambda lp: gradientSummand(w, lp)).sum()
        w -= alpha / np.sqrt(i + 1) * gradient
    return w, errorTrain
