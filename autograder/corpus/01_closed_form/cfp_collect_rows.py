"""linregClosedFormPartitions: collects every row to the driver and computes the one pair
there: right weights, one job, but the whole data set crosses the network."""
FAILS = {
    "linregClosedFormPartitions": [
        "hidden: 30,000 points, one Spark job and bytes sent to the driver",
    ],
}
# %% linregClosedFormPartitions
def computePartitionProducts(rows):
    points = list(rows)
    if not points:
        return []
    X = np.array([p.features.toArray() for p in points])
    y = np.array([p.label for p in points])
    return [(X.T @ X, X.T @ y)]


def linregClosedFormPartitions(trainData):
    (XtX, Xty), = computePartitionProducts(iter(trainData.collect()))
    return np.linalg.solve(XtX, Xty)
