"""ridgeClosedForm: XᵀX + λ adds λ to every entry of the matrix, not λ·I to its diagonal."""
EXPECTED = {"predictCommunication": 3, "ridgeClosedForm": 0, "gridSearchBroadcast": 4}
# %% ridgeClosedForm
def ridgeClosedForm(X, y, regParam):
    return np.linalg.solve(X.T @ X + regParam, X.T @ y)
