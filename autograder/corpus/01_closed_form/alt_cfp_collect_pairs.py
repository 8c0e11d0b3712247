"""linregClosedFormPartitions: correct alternatives: a tuple holding the pair, built from a
list of rows, and the partitions' pairs collected (one per partition: a few kB) and added on
the driver."""
FAILS = {}  # a correct alternative: every hidden test passes
# %% linregClosedFormPartitions
def computePartitionProducts(rows):
    data = [(p.features.toArray(), p.label) for p in rows]
    if len(data) == 0:
        return ()
    X = np.array([x for x, _ in data])
    y = np.array([v for _, v in data])
    return ((X.T @ X, X.T @ y),)


def linregClosedFormPartitions(trainData):
    pairs = trainData.mapPartitions(computePartitionProducts).collect()
    XtX = sum(p[0] for p in pairs)
    Xty = sum(p[1] for p in pairs)
    return np.linalg.solve(XtX, Xty)
