"""computeOuterProduct starts processes until the sandbox's process limit stops it (the call
raises, 0 points); the processes it leaves would starve Spark, so the grader gives the Spark
question after it a fresh sandbox and linregClosedForm gets its 4 points. Spark has already
started in that sandbox (for prepareSongs, graded before): when only a sandbox without Spark was
recycled, linregClosedForm lost its 4 points to this spray."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 3, "computeOuterProduct": 0, "linregClosedForm": 4,
            "linregClosedFormPartitions": 5}
STATUS = "graded"
REASON = r"^computeOuterProduct 0/2: .*raised (BlockingIOError|OSError|PermissionError)"
# %% computeOuterProduct
def computeOuterProduct(lp):
    import subprocess
    children = []
    for _ in range(100_000):
        children.append(subprocess.Popen(["sleep", "600"]))
    x = lp.features.toArray()
    return np.outer(x, x)
