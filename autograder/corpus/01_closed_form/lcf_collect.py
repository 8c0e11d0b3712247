"""linregClosedForm: collects all the data to the driver and solves there with numpy."""
FAILS = {
    "linregClosedForm": [
        "hidden: 30,000 points, bytes sent to the driver",
    ],
}
# %% linregClosedForm
def linregClosedForm(trainData):
    rows = trainData.collect()
    X = np.array([lp.features.toArray() for lp in rows])
    y = np.array([lp.label for lp in rows])
    return np.linalg.lstsq(X, y, rcond=None)[0]
