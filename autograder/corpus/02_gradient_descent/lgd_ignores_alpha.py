"""One submission, one mistake (or alternative) per question; every other answer is the reference.

- linregGradientDescent: ignores its alpha argument (the step always uses 1.0).

- gradientSummand: wrong sign, (y − w·x)·x. linregGradientDescent (unchanged, correct) still gets
  full marks: the hidden tests swap in the reference gradientSummand, so one mistake counts once."""
FAILS = {
    "gradientSummand": [
        "hidden: random points, d = 1, 3 and 7",
        "hidden: DenseVector weights",
        "hidden: summed over 50 points with RDD.sum()",
    ],
    "linregGradientDescent": [
        "hidden: alpha = 0.3, 3 iterations",
    ],
}
# %% gradientSummand
def gradientSummand(weights, lp):
    return (lp.label - weights.dot(lp.features)) * lp.features
# %% linregGradientDescent
def linregGradientDescent(trainData, numIters, alpha=1.0):
    n = trainData.count()
    d = len(trainData.first().features)
    w = np.zeros(d)
    errorTrain = np.zeros(numIters)
    for i in range(numIters):
        errorTrain[i] = calcRMSE(trainData.map(lambda lp: getLabeledPrediction(w, lp)))
        gradient = trainData.map(lambda lp: gradientSummand(w, lp)).sum()
        w -= 1.0 / (n * np.sqrt(i + 1)) * gradient
    return w, errorTrain
