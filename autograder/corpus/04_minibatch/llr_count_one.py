"""localLinearRegression: reports a count of 1 per partition, so every partition weighs the same."""
EXPECTED = {"localLinearRegression": 3, "combineLocalRegressionResults": 3, "localUpdatesGradientDescent": 4}
# %% localLinearRegression
def localLinearRegression(iterator):
    points = list(iterator)
    if not points:
        return []
    X = np.array([lp.features.toArray() for lp in points])
    y = np.array([lp.label for lp in points])
    return [(np.linalg.lstsq(X, y, rcond=None)[0], 1)]
