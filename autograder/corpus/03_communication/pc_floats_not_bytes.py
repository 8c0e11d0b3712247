"""predictCommunication: counts floats, forgetting 8 bytes per float."""
FAILS = {
    "predictCommunication": [
        "hidden: closed form",
        "hidden: gradient descent, and numIters defaults to 1",
        "hidden: collect",
    ],
}
# %% predictCommunication
def predictCommunication(n, d, numPartitions, method, numIters=1):
    if method == "closed_form":
        return numPartitions * (d * d + d)
    if method == "gradient_descent":
        return numIters * numPartitions * d
    return n * (d + 1)
