"""gridSearchBroadcast: scores each model on its training data, so the smallest λ always wins."""
FAILS = {
    "gridSearchBroadcast": [
        "hidden: validation RMSEs for 6 values of regParam",
        "hidden: the best regParam",
    ],
}
# %% gridSearchBroadcast
def gridSearchBroadcast(sc, trainData, valData, regParams):
    data = sc.broadcast((trainData, valData))

    def trainError(regParam):
        (X, y), _ = data.value
        w = ridgeClosedForm(X, y, regParam)
        return float(np.sqrt(np.mean((X @ w - y) ** 2)))

    valErrors = sc.parallelize(regParams, len(regParams)).map(trainError).collect()
    return regParams[int(np.argmin(valErrors))], valErrors
