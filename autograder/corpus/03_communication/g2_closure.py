"""gridSearch2D: right values, but the arrays travel inside every task's function (closure)
instead of one broadcast."""
FAILS = {
    "gridSearch2D": [
        "hidden: one broadcast of the data, one Spark job",
    ],
}
# %% gridSearch2D
def gridSearch2D(sc, trainData, valData, regParams, iterations, alpha):
    (X, y), (Xv, yv) = trainData, valData

    def valErrors(regParam):
        X1, Xv1 = np.column_stack([np.ones(len(X)), X]), np.column_stack([np.ones(len(Xv)), Xv])
        w, errors = np.zeros(X1.shape[1]), []
        for step in range(1, max(iterations) + 1):
            gradient = X1.T @ (X1 @ w - y) / len(y)
            gradient[1:] += regParam * w[1:]
            w = w - alpha * gradient
            if step in iterations:
                errors.append(float(np.sqrt(np.mean((Xv1 @ w - yv) ** 2))))
        return errors

    return np.array(sc.parallelize(regParams, len(regParams)).map(valErrors).collect())
