"""gridSearchBroadcast: broadcasts once, but runs one Spark job per λ from a loop on the driver."""
FAILS = {
    "gridSearchBroadcast": [
        "hidden: one broadcast of the data, one Spark job",
    ],
}
# %% gridSearchBroadcast
def gridSearchBroadcast(sc, trainData, valData, regParams):
    data = sc.broadcast((trainData, valData))

    def valError(regParam):
        (X, y), (Xv, yv) = data.value
        w = ridgeClosedForm(X, y, regParam)
        return float(np.sqrt(np.mean((Xv @ w - yv) ** 2)))

    valErrors = [sc.parallelize([r], 1).map(valError).first() for r in regParams]
    return regParams[int(np.argmin(valErrors))], valErrors
