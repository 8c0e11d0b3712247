"""linregGradientDescent: one iteration short, range(numIters - 1)."""
FAILS = {
    "linregGradientDescent": [
        "hidden: the weights after 7 iterations",
        "hidden: errorTrain over 7 iterations",
        "hidden: alpha = 0.3, 3 iterations",
        "hidden: 12,000 points, d = 20, bytes sent to the driver",
    ],
}
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
