"""One submission, one mistake (or alternative) per question; every other answer is the reference.

- Correct alternative: the mean gradient (sum / n) with a step of alpha / √(i+1), w = w - ....

- Correct alternative: calcRMSE with reduce and count and math.sqrt, without squaredError.

- Correct alternative: the original lab's gradientSummand, a DenseVector from DenseVector arithmetic.

- Correct alternative: np.dot on a DenseVector, a numpy float for the prediction."""
FAILS = {}  # a correct alternative: every hidden test passes
# %% calcRMSE
def calcRMSE(labelsAndPreds):
    import math
    from operator import add
    total = labelsAndPreds.map(lambda p: (p[1] - p[0]) ** 2).reduce(add)
    return math.sqrt(total / labelsAndPreds.count())
# %% gradientSummand
def gradientSummand(weights, lp):
    return (weights.dot(lp.features) - lp.label) * lp.features
# %% getLabeledPrediction
def getLabeledPrediction(weights, observation):
    return (observation.label, np.dot(weights, observation.features))
# %% linregGradientDescent
def linregGradientDescent(trainData, numIters, alpha=1.0):
    n = trainData.count()
    d = len(trainData.first().features)
    w = np.zeros(d)
    errorTrain = np.zeros(numIters)
    for i in range(numIters):
        errorTrain[i] = calcRMSE(trainData.map(lambda lp: getLabeledPrediction(w, lp)))
        mean_gradient = trainData.map(lambda lp: gradientSummand(w, lp)).sum() / n
        w = w - alpha / np.sqrt(i + 1) * mean_gradient
    return w, errorTrain
