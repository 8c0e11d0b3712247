"""prepareSongs shifts the labels right, but calls randomSplit without the seed (another split on
every run) and returns the training set without cache()."""
FAILS = {
    "prepareSongs": ["hidden: an 80/10/10 split with the given seed",
                     "hidden: the training set is cached"],
}
# %% prepareSongs
def prepareSongs(rawData, seed):
    parsed = rawData.map(parsePoint)
    minYear = parsed.map(lambda lp: lp.label).min()
    shifted = parsed.map(lambda lp: LabeledPoint(lp.label - minYear, lp.features))
    trainData, valData, testData = shifted.randomSplit([0.8, 0.1, 0.1])
    return trainData, valData, testData
