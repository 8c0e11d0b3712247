"""Correct alternative: twoWayInteractions vectorised with np.triu_indices (the pairs i < j in
the order of itertools.combinations), and gridSearch2D with the penalty as a mask vector and the
results gathered with collectAsMap, then put in the order of regParams."""
FAILS = {}
# %% twoWayInteractions
def twoWayInteractions(X):
    i, j = np.triu_indices(X.shape[1], k=1)
    return np.hstack([X, X[:, i] * X[:, j]])
# %% gridSearch2D
def gridSearch2D(sc, trainData, valData, regParams, iterations, alpha):
    shared = sc.broadcast({"train": trainData, "val": valData})
    wanted = set(iterations)

    def path(regParam):
        X, y = shared.value["train"]
        Xv, yv = shared.value["val"]
        ones = np.ones((X.shape[0], 1))
        X1, Xv1 = np.hstack([ones, X]), np.hstack([np.ones((Xv.shape[0], 1)), Xv])
        mask = np.r_[0.0, np.ones(X.shape[1])]
        w, out = np.zeros(X1.shape[1]), []
        for t in range(1, max(iterations) + 1):
            w = w - alpha * (X1.T @ (X1 @ w - y) / X1.shape[0] + regParam * mask * w)
            if t in wanted:
                out.append(np.sqrt(np.mean((Xv1 @ w - yv) ** 2)))
        return regParam, out

    rows = sc.parallelize(regParams, len(regParams)).map(path).collectAsMap()
    return np.array([rows[r] for r in regParams])
