"""linregClosedFormPartitions: computePartitionProducts yields one pair per row (an outer
product each), not one per partition (so the empty partition's test counts 80 pairs, not 2).
The weights are still right, in one job."""
FAILS = {
    "linregClosedFormPartitions": [
        "hidden: one pair per partition, d = 1, 4 and 7",
        "hidden: an empty partition gives nothing",
    ],
}
# %% linregClosedFormPartitions
def computePartitionProducts(rows):
    for p in rows:
        x = p.features.toArray()
        yield np.outer(x, x), p.label * x


def linregClosedFormPartitions(trainData):
    XtX, Xty = trainData.mapPartitions(computePartitionProducts).reduce(
        lambda a, b: (a[0] + b[0], a[1] + b[1]))
    return np.linalg.solve(XtX, Xty)
