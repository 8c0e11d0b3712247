"""combineLocalRegressionResults: sums the weights instead of averaging them."""
EXPECTED = {"localLinearRegression": 4, "combineLocalRegressionResults": 1, "localUpdatesGradientDescent": 4}
# %% combineLocalRegressionResults
def combineLocalRegressionResults(a, b):
    return a[0] + b[0], a[1] + b[1]
