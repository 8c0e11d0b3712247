"""One submission, one mistake (or alternative) per question; every other answer is the reference.

- linregGradientDescent: ignores its alpha argument (the step always uses 1.0).

- gradientSummand: wrong sign, (y − w·x)·x. linregGradientDescent (unchanged, correct) still gets
  full marks: the hidden tests swap in the reference gradientSummand, so one mistake counts once."""
EXPECTED = {"squaredError": 2, "calcRMSE": 3, "gradientSummand": 0, "getLabeledPrediction": 2, "linregGradientDescent": 4}
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
