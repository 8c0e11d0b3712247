"""One submission, one mistake (or alternative) per question; every other answer is the reference.

- linregGradientDescent: a factor 2 in the step (the 2 of the derivative put back).

- gradientSummand: right numbers, but a Python list, which RDD.sum() concatenates instead of adding.

- calcRMSE: the square root of the sum of squared errors (sum instead of mean)."""
FAILS = {
    "calcRMSE": [
        "hidden: 37 pairs in 3 partitions",
        "hidden: uneven and empty partitions",
    ],
    "gradientSummand": [
        "hidden: summed over 50 points with RDD.sum()",
    ],
    "linregGradientDescent": [
        "hidden: the weights after 7 iterations",
        "hidden: errorTrain over 7 iterations",
        "hidden: alpha = 0.3, 3 iterations",
        "hidden: 12,000 points, d = 20, bytes sent to the driver",
    ],
}
# %% calcRMSE
def calcRMSE(labelsAndPreds):
    return np.sqrt(labelsAndPreds.map(lambda lp: squaredError(lp[0], lp[1])).sum())
# %% gradientSummand
def gradientSummand(weights, lp):
    error = weights.dot(lp.features) - lp.label
    return [error * x for x in lp.features]
# %% linregGradientDescent
def linregGradientDescent(trainData, numIters, alpha=1.0):
    n = trainData.count()
    d = len(trainData.first().features)
    w = np.zeros(d)
    errorTrain = np.zeros(numIters)
    for i in range(numIters):
        errorTrain[i] = calcRMSE(trainData.map(lambda lp: getLabeledPrediction(w, lp)))
        gradient = trainData.map(lambda lp: gradientSummand(w, lp)).sum()
        w -= 2 * alpha / (n * np.sqrt(i + 1)) * gradient
    return w, errorTrain
