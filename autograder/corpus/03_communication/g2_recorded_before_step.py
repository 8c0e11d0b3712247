"""gridSearch2D: each error recorded before its step is taken, so every column is one step
behind (and the first is the zero model's)."""
FAILS = {
    "gridSearch2D": [
        "hidden: validation RMSEs over the grid, intercept not penalised",
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
            if step in iterations:
                errors.append(float(np.sqrt(np.mean((Xv1 @ w - yv) ** 2))))
            gradient = X1.T @ (X1 @ w - y) / len(y)
            gradient[1:] += regParam * w[1:]
            w = w - alpha * gradient
        return errors

    return np.array(sc.parallelize(regParams, len(regParams)).map(valErrors).collect())
