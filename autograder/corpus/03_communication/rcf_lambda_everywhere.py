"""ridgeClosedForm: XᵀX + λ adds λ to every entry of the matrix, not λ·I to its diagonal."""
FAILS = {
    "ridgeClosedForm": [
        "hidden: 60 points, d = 5, regParam = 0, 2.5 and 400",
        "hidden: 3 rows, 6 features (XᵀX singular), regParam = 10",
    ],
}
# %% ridgeClosedForm
def ridgeClosedForm(X, y, regParam):
    return np.linalg.solve(X.T @ X + regParam, X.T @ y)
