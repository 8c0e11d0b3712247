"""One submission, one mistake (or alternative) per question; every other answer is the reference.

- linregGradientDescent: the step is not divided by n, alpha / √(i+1) on the summed gradient.

- squaredError: half the squared error (the ½ of some textbooks' loss), a factor of 2 off.

- getLabeledPrediction: an element-wise product weights * features (a vector) instead of the dot product.

- gradientSummand: keeps the 2 of the derivative, 2(w·x − y)·x (the lecture folds it into the step)."""
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
