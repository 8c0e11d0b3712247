"""combineLocalRegressionResults: the plain average (w1 + w2) / 2, ignoring the counts."""
EXPECTED = {"localLinearRegression": 4, "combineLocalRegressionResults": 1, "localUpdatesGradientDescent": 4}
# %% combineLocalRegressionResults
def combineLocalRegressionResults(a, b):
    return (a[0] + b[0]) / 2, a[1] + b[1]
