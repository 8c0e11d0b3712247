"""localLinearRegression: returns the pair (w, m) itself, so mapPartitions yields w and m as two elements."""
FAILS = {
    "localLinearRegression": [
        "hidden: the weights, d = 1, 4 and 7",
        "hidden: the count m",
        "hidden: an empty partition gives nothing",
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
    return np.linalg.lstsq(X, y, rcond=None)[0], len(points)
