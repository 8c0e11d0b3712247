"""linregGradientDescent: one iteration short, range(numIters - 1)."""
EXPECTED = {"squaredError": 2, "calcRMSE": 3, "gradientSummand": 3, "getLabeledPrediction": 2, "linregGradientDescent": 0}
# %% linregGradientDescent
def linregGradientDescent(trainData, numIters, alpha=1.0):
    n = trainData.count()
    d = len(trainData.first().features)
    w = np.zeros(d)
    errorTrain = np.zeros(numIters)
    for i in range(numIters - 1):
        errorTrain[i] = calcRMSE(trainData.map(lambda lp: getLabeledPrediction(w, lp)))
        gradient = trainData.map(lambda lp: gradientSummand(w, lp)).sum()
        w -= alpha / (n * np.sqrt(i + 1)) * gradient
    return w, errorTrain
