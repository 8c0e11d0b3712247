"""predictCommunication: counts floats, forgetting 8 bytes per float."""
EXPECTED = {"predictCommunication": 0, "ridgeClosedForm": 2, "gridSearchBroadcast": 4}
# %% predictCommunication
def predictCommunication(n, d, numPartitions, method, numIters=1):
    if method == "closed_form":
        return numPartitions * (d * d + d)
    if method == "gradient_descent":
        return numIters * numPartitions * d
    return n * (d + 1)
