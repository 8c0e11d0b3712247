"""linregClosedForm: collects all the data to the driver and solves there with numpy."""
EXPECTED = {"computeOuterProduct": 2, "linregClosedForm": 3}
# %% linregClosedForm
def linregClosedForm(trainData):
    rows = trainData.collect()
    X = np.array([lp.features.toArray() for lp in rows])
    y = np.array([lp.label for lp in rows])
    return np.linalg.lstsq(X, y, rcond=None)[0]
