"""linregClosedFormPartitions: an empty partition gives a pair of zeros, (0.0, 0.0), instead of
nothing. numpy adds 0.0 to any matrix, so the weights are still right."""
FAILS = {
    "linregClosedFormPartitions": [
        "hidden: an empty partition gives nothing",
    ],
}
# %% linregClosedFormPartitions
def computePartitionProducts(rows):
    points = list(rows)
    if not points:
        return [(0.0, 0.0)]
    X = np.array([p.features.toArray() for p in points])
    y = np.array([p.label for p in points])
    return [(X.T @ X, X.T @ y)]


def linregClosedFormPartitions(trainData):
    XtX, Xty = trainData.mapPartitions(computePartitionProducts).reduce(
        lambda a, b: (a[0] + b[0], a[1] + b[1]))
    return np.linalg.solve(XtX, Xty)
