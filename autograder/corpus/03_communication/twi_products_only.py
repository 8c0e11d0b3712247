"""twoWayInteractions: only the products, the original features dropped."""
FAILS = {
    "twoWayInteractions": [
        "hidden: random rows, d = 2, 5 and 12",
        "hidden: d = 1 has no pairs, and no rows at all",
    ],
}
# %% twoWayInteractions
def twoWayInteractions(X):
    i, j = np.triu_indices(X.shape[1], k=1)
    return X[:, i] * X[:, j]
