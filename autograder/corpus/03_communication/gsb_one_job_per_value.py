"""gridSearchBroadcast: broadcasts once, but runs one Spark job per λ from a loop on the driver."""
EXPECTED = {"predictCommunication": 3, "ridgeClosedForm": 2, "gridSearchBroadcast": 3}
# %% gridSearchBroadcast
def gridSearchBroadcast(sc, trainData, valData, regParams):
    data = sc.broadcast((trainData, valData))

    def valError(regParam):
        (X, y), (Xv, yv) = data.value
        w = ridgeClosedForm(X, y, regParam)
        return float(np.sqrt(np.mean((Xv @ w - yv) ** 2)))

    valErrors = [sc.parallelize([r], 1).map(valError).first() for r in regParams]
    return regParams[int(np.argmin(valErrors))], valErrors
