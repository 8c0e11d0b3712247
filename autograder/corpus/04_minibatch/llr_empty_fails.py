"""localLinearRegression: no case for an empty partition, where lstsq of an empty array raises."""
EXPECTED = {"localLinearRegression": 3, "combineLocalRegressionResults": 3, "localUpdatesGradientDescent": 4}
# %% localLinearRegression
def localLinearRegression(iterator):
    points = list(iterator)
    X = np.array([lp.features.toArray() for lp in points])
    y = np.array([lp.label for lp in points])
    yield np.linalg.lstsq(X, y, rcond=None)[0], len(points)
