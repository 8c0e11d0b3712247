"""predictCommunication: gradient descent counted for one iteration whatever numIters is."""
FAILS = {
    "predictCommunication": [
        "hidden: gradient descent, and numIters defaults to 1",
    ],
}
# %% predictCommunication
def predictCommunication(n, d, numPartitions, method, numIters=1):
    if method == "closed_form":
        return 8 * numPartitions * (d * d + d)
    if method == "gradient_descent":
        return 8 * numPartitions * d
    return 8 * n * (d + 1)
