"""linregClosedFormPartitions: correct alternatives: a generator that yields the partition's one
pair (np.vstack of DenseVectors, np.fromiter labels), and treeReduce with np.linalg.lstsq."""
FAILS = {}  # a correct alternative: every hidden test passes
# %% linregClosedFormPartitions
def computePartitionProducts(rows):
    points = list(rows)
    if points:
        X = np.vstack([p.features for p in points])
        y = np.fromiter((p.label for p in points), dtype=float, count=len(points))
        yield X.T.dot(X), X.T.dot(y)


def linregClosedFormPartitions(trainData):
    XtX, Xty = trainData.mapPartitions(computePartitionProducts).treeReduce(
        lambda a, b: (a[0] + b[0], a[1] + b[1]))
    return np.linalg.lstsq(XtX, Xty, rcond=None)[0]
