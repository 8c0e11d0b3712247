"""parsePoint takes the label from the end of the line (the last feature) and keeps the year among
the features; prepareSongs splits and caches as asked but never shifts the labels (they stay
years)."""
FAILS = {
    "parsePoint": ["hidden: the year first, then d = 12, 3 and 1 features"],
    "prepareSongs": ["hidden: labels shifted by the earliest year"],
}
# %% parsePoint
def parsePoint(line):
    values = [float(v) for v in line.split(",")]
    return LabeledPoint(values[-1], values[:-1])
# %% prepareSongs
def prepareSongs(rawData, seed):
    parsed = rawData.map(parsePoint)
    trainData, valData, testData = parsed.randomSplit([0.8, 0.1, 0.1], seed)
    trainData.cache()
    return trainData, valData, testData
