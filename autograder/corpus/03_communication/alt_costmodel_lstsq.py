"""Correct alternatives: predictCommunication from helpers' cost models (floats per partition
times 8); ridge as least squares on X stacked over sqrt(λ)·I."""
FAILS = {}  # a correct alternative: every hidden test passes
# %% predictCommunication
def predictCommunication(n, d, numPartitions, method, numIters=1):
    if method == "closed_form":
        return 8 * numPartitions * helpers.closed_form_cost(n, d)["driver_floats"]
    if method == "gradient_descent":
        return 8 * numPartitions * helpers.gradient_descent_cost(n, d, numIters)["driver_floats"]
    if method == "collect":
        return 8.0 * n * (d + 1)
    raise ValueError(method)
# %% ridgeClosedForm
def ridgeClosedForm(X, y, regParam):
    d = X.shape[1]
    A = np.vstack([X, np.sqrt(regParam) * np.eye(d)])
    b = np.concatenate([y, np.zeros(d)])
    return np.linalg.lstsq(A, b, rcond=None)[0]
