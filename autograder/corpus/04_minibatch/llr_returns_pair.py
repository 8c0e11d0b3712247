"""localLinearRegression: returns the pair (w, m) itself, so mapPartitions yields w and m as two elements."""
EXPECTED = {"localLinearRegression": 0, "combineLocalRegressionResults": 3, "localUpdatesGradientDescent": 4}
# %% localLinearRegression
def localLinearRegression(iterator):
    points = list(iterator)
    if not points:
        return []
    X = np.array([lp.features.toArray() for lp in points])
    y = np.array([lp.label for lp in points])
    return np.linalg.lstsq(X, y, rcond=None)[0], len(points)
