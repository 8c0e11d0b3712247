"""linregClosedFormPartitions: solves each partition's pair and averages the solutions (notebook
04's divide-and-conquer), not one solve of the summed pair. On partitions that differ, that is
another answer."""
FAILS = {
    "linregClosedFormPartitions": [
        "hidden: the weights, 4,000 points and partitions of 30, 0 and 50",
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
    return (trainData.mapPartitions(computePartitionProducts)
            .map(lambda pair: np.linalg.solve(pair[0], pair[1])).mean())
