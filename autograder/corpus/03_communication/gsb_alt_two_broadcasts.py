"""Correct alternative: one broadcast each for training and validation data, (λ, error) pairs
collected as a dict, best chosen with min by key."""
FAILS = {}  # a correct alternative: every hidden test passes
# %% gridSearchBroadcast
def gridSearchBroadcast(sc, trainData, valData, regParams):
    trainB, valB = sc.broadcast(trainData), sc.broadcast(valData)

    def score(regParam):
        X, y = trainB.value
        Xv, yv = valB.value
        w = ridgeClosedForm(X, y, regParam)
        return regParam, np.sqrt(((Xv.dot(w) - yv) ** 2).mean())

    errors = sc.parallelize(regParams).map(score).collectAsMap()
    valErrors = [errors[r] for r in regParams]
    return min(regParams, key=lambda r: errors[r]), valErrors
