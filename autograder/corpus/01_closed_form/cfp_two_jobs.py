"""linregClosedFormPartitions: right pairs, but XᵀX and Xᵀy are added by two reduces: two
Spark jobs, two passes over the data."""
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
    pairs = trainData.mapPartitions(computePartitionProducts)
    XtX = pairs.map(lambda pair: pair[0]).reduce(lambda a, b: a + b)
    Xty = pairs.map(lambda pair: pair[1]).reduce(lambda a, b: a + b)
    return np.linalg.solve(XtX, Xty)
