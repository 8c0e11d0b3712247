"""linregGradientDescent: records errorTrain[i] after the update instead of before it (weights right)."""
FAILS = {
    "linregGradientDescent": [
        "hidden: errorTrain over 7 iterations",
        "hidden: alpha = 0.3, 3 iterations",
    ],
}
# %% linregGradientDescent
def linregGradientDescent(trainData, numIters, alpha=1.0):
    n = trainData.count()
    d = len(trainData.first().features)
    w = np.zeros(d)
    errorTrain = np.zeros(numIters)
    for i in range(numIters):
        gradient = trainData.map(lambda lp: gradientSummand(w, lp)).sum()
        w -= alpha / (n * np.sqrt(i + 1)) * gradient
        errorTrain[i] = calcRMSE(trainData.map(lambda lp: getLabeledPrediction(w, lp)))
    return w, errorTrain
