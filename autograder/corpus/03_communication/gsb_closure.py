"""gridSearchBroadcast: right answers, but the data travels in every task's closure."""
FAILS = {
    "gridSearchBroadcast": [
        "hidden: one broadcast of the data, one Spark job",
    ],
}
# %% gridSearchBroadcast
def gridSearchBroadcast(sc, trainData, valData, regParams):
    (X, y), (Xv, yv) = trainData, valData

    def valError(regParam):
        w = ridgeClosedForm(X, y, regParam)
        return float(np.sqrt(np.mean((Xv @ w - yv) ** 2)))

    valErrors = sc.parallelize(regParams, len(regParams)).map(valError).collect()
    return regParams[int(np.argmin(valErrors))], valErrors
