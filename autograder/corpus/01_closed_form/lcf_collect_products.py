"""linregClosedForm: collects every row's outer product and sums them on the driver."""
FAILS = {
    "linregClosedForm": [
        "hidden: 30,000 points, bytes sent to the driver",
    ],
}
# %% linregClosedForm
def linregClosedForm(trainData):
    XtX = sum(trainData.map(computeOuterProduct).collect())
    Xty = sum(trainData.map(lambda lp: lp.label * lp.features.toArray()).collect())
    return np.linalg.solve(XtX, Xty)
