"""A copy of the songs prepared the way `make lab` prepares the UCI archive, made here.

The archive is the shared ``millionsong.txt`` in shuffled order (the UCI copy is not sorted by
year), in the UCI format (the year, 12 timbre averages, 78 covariances), served on 127.0.0.1 and
downloaded and prepared by :func:`helpers.datafiles.download_and_prepare`. The masters run top to
bottom on it under nbval (``conftest.py``), so their story holds on data in another order.

``python tests/uci_copy.py FOLDER`` prepares it into FOLDER (reused when already there).
:func:`write_nbval_kernel` writes the kernelspec nbval runs the masters in.
"""

from __future__ import annotations

import http.server
import io
import json
import sys
import threading
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from helpers import datafiles  # noqa: E402


def uci_archive(shared: Path) -> tuple[bytes, int]:
    """The zip bytes of a UCI-format archive of ``shared``, rows shuffled (seeded), and its rows."""
    table = np.loadtxt(shared, delimiter=",")
    table = table[np.random.default_rng(16).permutation(len(table))]
    filler = np.random.default_rng(17).normal(size=(len(table), 78))  # the 78 covariances
    text = "".join(f"{int(row[0])}," + ",".join(f"{x:.6f}" for x in np.r_[row[1:], extra]) + "\n"
                   for row, extra in zip(table, filler))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("YearPredictionMSD.txt", text)
    return buffer.getvalue(), len(table)


def prepare(folder: Path) -> Path:
    """Serve the archive on 127.0.0.1 and prepare it into ``folder`` as `make lab` would; return
    ``folder`` (which then holds ``millionsong.txt``). Raises DataNotFoundError without the
    shared file."""
    folder = Path(folder)
    if (folder / "millionsong.txt").is_file():
        return folder
    body, rows = uci_archive(datafiles.locate_millionsong(download=False))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        prepared = datafiles.download_and_prepare(
            folder, url=f"http://127.0.0.1:{server.server_port}/YearPredictionMSD.zip",
            expected_rows=rows, sample_rows=rows)
    finally:
        server.shutdown()
    years = np.loadtxt(prepared, delimiter=",", usecols=0)
    if not (len(years) == rows and np.any(np.diff(years) > 0) and np.any(np.diff(years) < 0)):
        raise RuntimeError(f"{prepared}: not the {rows} songs in shuffled order")
    return folder


NBVAL_KERNEL = "distml-one-core-uci"


def _kernel_folder() -> Path:
    return Path(sys.prefix) / "share" / "jupyter" / "kernels" / NBVAL_KERNEL


def nbval_kernel_written() -> bool:
    return (_kernel_folder() / "kernel.json").is_file()


def write_nbval_kernel() -> Path:
    """Prepare the copy in build/test-data/uci/ and write the kernelspec ``NBVAL_KERNEL`` into
    this environment: Spark on one core (``local[1]``: a 1-core laptop or a 1-CPU pod) and
    ``DISTML_DATA_DIR`` the copy. Returns the kernelspec's folder."""
    data = prepare(ROOT / "build" / "test-data" / "uci")
    folder = _kernel_folder()
    folder.mkdir(parents=True, exist_ok=True)
    kernel = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
              "display_name": "distml tests: local[1], UCI-prepared songs", "language": "python",
              "env": {"DISTML_SPARK_MASTER": "local[1]", "DISTML_DATA_DIR": str(data)}}
    tmp = folder / "kernel.json.tmp"
    tmp.write_text(json.dumps(kernel, indent=1))
    tmp.replace(folder / "kernel.json")
    return folder


if __name__ == "__main__":
    print(prepare(Path(sys.argv[1])))
