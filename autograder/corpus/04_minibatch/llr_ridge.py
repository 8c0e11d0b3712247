"""localLinearRegression: adds a ridge term (XᵀX + I), which plain least squares does not have."""
EXPECTED = {"localLinearRegression": 2, "combineLocalRegressionResults": 3, "localUpdatesGradientDescent": 4}
# %% localLinearRegression
def localLinearRegression(iterator):
    points = list(iterator)
    if not points:
        return []
    X = np.array([lp.features.toArray() for lp in points])
    y = np.array([lp.label for lp in points])
    return [(np.linalg.solve(X.T @ X + np.eye(X.shape[1]), X.T @ y), len(points))]
