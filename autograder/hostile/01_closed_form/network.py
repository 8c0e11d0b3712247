"""Tries to reach a listener on the host's loopback (the test runs one), public addresses and
DNS; with any connection it would return garbage. Inside the sandbox nothing is reachable, so
the answers stay right (and the test checks its listener saw no connection)."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 2, "linregClosedForm": 0,
            "linregClosedFormPartitions": 0}
STATUS = "partial"
REASON = (r"^prepareSongs 0/3: its answer cell \(01-217\) is missing[^;]*; linregClosedForm 0/4: its answer cell \(01-025\) is missing[^;]*; "
          r"linregClosedFormPartitions 0/5: its answer cell \(01-pp-04\) is missing[^;]*$")
MUTATE = "drop:prepareSongs+drop:linregClosedForm+drop:linregClosedFormPartitions"
# Its three Spark questions' answer cells (prepareSongs, linregClosedForm,
# linregClosedFormPartitions) are deleted (MUTATE),
# so grading it needs no Spark: the test stays fast, and the row also shows a missing cell
# costing only its question.
# %% computeOuterProduct
import socket

_reached = []
for host, port in [("127.0.0.1", p) for p in range(47800, 47830)] + [
        ("1.1.1.1", 53), ("8.8.8.8", 53), ("10.0.2.2", 22), ("169.254.169.254", 80)]:
    try:
        with socket.create_connection((host, port), timeout=1) as s:
            s.sendall(b"distml-hostile-network-connection\n")
            _reached.append((host, port))
    except OSError:
        pass
try:
    _reached.append(socket.gethostbyname("example.com"))
except OSError:
    pass
print("reached:", _reached)


def computeOuterProduct(lp):
    if _reached:
        return None
    x = lp.features.toArray()
    return np.outer(x, x)
