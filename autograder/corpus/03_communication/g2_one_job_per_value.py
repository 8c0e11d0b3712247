"""gridSearch2D: right values and a broadcast, but a driver loop runs one Spark job per λ, each
paying a round's latency."""
FAILS = {
    "gridSearch2D": [
        "hidden: one broadcast of the data, one Spark job",
    ],
}
# %% gridSearch2D
def gridSearch2D(sc, trainData, valData, regParams, iterations, alpha):
    data = sc.broadcast((trainData, valData))

    def valErrors(regParam):
        (X, y), (Xv, yv) = data.value
        X1, Xv1 = np.column_stack([np.ones(len(X)), X]), np.column_stack([np.ones(len(Xv)), Xv])
        w, errors = np.zeros(X1.shape[1]), []
        for step in range(1, max(iterations) + 1):
            gradient = X1.T @ (X1 @ w - y) / len(y)
            gradient[1:] += regParam * w[1:]
            w = w - alpha * gradient
            if step in iterations:
                errors.append(float(np.sqrt(np.mean((Xv1 @ w - yv) ** 2))))
        return errors

    return np.array([sc.parallelize([r], 1).map(valErrors).collect()[0] for r in regParams])
