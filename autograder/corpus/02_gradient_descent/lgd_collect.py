"""One submission, one mistake (or alternative) per question; every other answer is the reference.

- linregGradientDescent: collects the data to the driver and runs the update in numpy there.
  The numbers are right, but nothing is distributed: the communication test fails.

- calcRMSE: the mean squared error, without the square root."""
FAILS = {
    "calcRMSE": [
        "hidden: 37 pairs in 3 partitions",
        "hidden: uneven and empty partitions",
    ],
    "linregGradientDescent": [
        "hidden: 12,000 points, d = 20, bytes sent to the driver",
    ],
}
# %% calcRMSE
def calcRMSE(labelsAndPreds):
    return labelsAndPreds.map(lambda lp: squaredError(lp[0], lp[1])).mean()
# %% linregGradientDescent
def linregGradientDescent(trainData, numIters, alpha=1.0):
    rows = trainData.collect()
    X = np.array([lp.features.toArray() for lp in rows])
    y = np.array([lp.label for lp in rows])
    n, d = X.shape
    w = np.zeros(d)
    errorTrain = np.zeros(numIters)
    for i in range(numIters):
        residual = X @ w - y
        errorTrain[i] = np.sqrt(np.mean(residual ** 2))
        w -= alpha / (n * np.sqrt(i + 1)) * (X.T @ residual)
    return w, errorTrain
