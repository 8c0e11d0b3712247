"""localLinearRegression: adds a ridge term (XᵀX + I), which plain least squares does not have."""
FAILS = {
    "localLinearRegression": [
        "hidden: the weights, d = 1, 4 and 7",
        "hidden: 8 small points (no ridge term)",
    ],
}
# %% localLinearRegression
def localLinearRegression(iterator):
    points = list(iterator)
    if not points:
        return []
    X = np.array([lp.features.toArray() for lp in points])
    y = np.array([lp.label for lp in points])
    return [(np.linalg.solve(X.T @ X + np.eye(X.shape[1]), X.T @ y), len(points))]
