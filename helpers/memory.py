"""The memory hierarchy on this machine: how fast data arrives from RAM, local disk and the network.

The lecture's rule of thumb: access rates fall sharply with distance from the CPU, roughly 50×
from memory to disk or network. Notebook 03 measures each level here and plots it beside the
lecture's reference figures (:data:`LECTURE_RATES`). Each function moves a known number of
bytes, counts what really arrived, and returns a :class:`Rate`; repeat runs give medians.

What is measured, and its limits (they are printed with each number):

- :func:`ram_read`: one core summing a numpy array far larger than the CPU caches. A machine's
  full memory bandwidth, all cores together, is several times higher.
- :func:`disk_read`: a sequential read of a new file in the folder Spark spills to, after asking
  the kernel to drop that file from its page cache (``posix_fadvise(DONTNEED)`` on Linux,
  ``F_NOCACHE`` on macOS; neither needs root or touches other files). Where that is impossible
  the read may come from RAM, and the result says so. In a virtual machine the host may still
  cache the disk, so the number can be higher than the physical disk's.
- :func:`loopback_network`: TCP through the kernel's loopback interface (127.0.0.1): the
  network stack without a network card, so an upper bound on a real network (a 1 Gbit/s link
  carries 0.125 GB/s, a 10 Gbit/s one 1.25 GB/s).
- :func:`spark_shuffle`: Spark's own exchange path, with its byte count read from Spark's
  metrics by :func:`helpers.meter.meter`: serialise, write to local disk, fetch, deserialise. On a
  cluster the fetch of remote blocks crosses the network; in local mode it stays on this machine.

>>> rate = ram_read(8 * 2**20, repeat=1)
>>> rate.nbytes
8388608
>>> rate.bytes_per_second > 0
True
"""

from __future__ import annotations

import os
import socket
import statistics
import sys
import tempfile
import threading
from dataclasses import dataclass

import numpy as np

from helpers.costmodel import human_bytes
from helpers.timing import Timer

__all__ = ["LECTURE_RATES", "Rate", "ram_read", "disk_read", "loopback_network",
           "spark_shuffle", "measure_hierarchy"]

MiB = 2**20

#: The lecture's reference access rates, bytes per second (CS190.1x, "Communication hierarchy":
#: memory 50 GB/s; disk and the network within a rack about 1 GB/s, ~50× slower; between
#: racks 0.3 GB/s).
LECTURE_RATES = {
    "RAM": 50e9,
    "disk": 1e9,
    "network, same rack": 1e9,
    "network, other racks": 0.3e9,
}


@dataclass(frozen=True)
class Rate:
    """One measured level of the hierarchy.

    Attributes:
        level: what was read ("RAM", "disk", ...).
        nbytes: bytes that really arrived in one run (counted, not assumed).
        seconds: median wall time of one run.
        note: how it was measured and what limits the number.
    """

    level: str
    nbytes: int
    seconds: float
    note: str = ""

    @property
    def bytes_per_second(self) -> float:
        """``nbytes / seconds``."""
        return self.nbytes / self.seconds if self.seconds > 0 else float("inf")

    def __str__(self) -> str:
        return (f"{self.level:<22}{human_bytes(self.bytes_per_second):>11}/s  "
                f"({human_bytes(self.nbytes)} in {self.seconds * 1e3:.0f} ms; {self.note})")


def _median_run(run, repeat: int) -> tuple[int, float]:
    """Run ``run()`` (which returns the bytes it moved) ``repeat`` times: (bytes, median s)."""
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    moved, times = set(), []
    for _ in range(repeat):
        with Timer() as t:
            moved.add(run())
        times.append(t.seconds)
    if len(moved) != 1:
        raise RuntimeError(f"runs moved different numbers of bytes: {sorted(moved)}")
    return moved.pop(), statistics.median(times)


def ram_read(nbytes: int = 256 * MiB, *, repeat: int = 3) -> Rate:
    """Sequential reads from RAM: one core sums a float64 array of ``nbytes`` bytes."""
    a = np.ones(nbytes // 8)  # written once, so every page is really in memory
    a.sum()  # warm-up

    def run():
        a.sum()
        return a.nbytes

    moved, seconds = _median_run(run, repeat)
    return Rate("RAM", moved, seconds, "one core, numpy sum of a float64 array")


def _drop_from_page_cache(fd: int) -> str | None:
    """Ask the kernel to forget this file's cached pages; None if this OS cannot."""
    if hasattr(os, "posix_fadvise"):
        os.fsync(fd)  # dirty pages cannot be dropped
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        return "page cache dropped for this file (posix_fadvise)"
    if sys.platform == "darwin":
        import fcntl
        os.fsync(fd)
        fcntl.fcntl(fd, fcntl.F_NOCACHE, 1)
        return "read with the page cache bypassed (F_NOCACHE)"
    return None


def disk_read(nbytes: int = 256 * MiB, *, directory=None, drop_cache: bool = True,
              repeat: int = 1, chunk: int = 8 * MiB) -> Rate:
    """Sequential read of a new ``nbytes`` file of random bytes, from local disk if possible.

    Args:
        nbytes: size of the file (random, so no layer can compress it).
        directory: where to write it; default the temp folder, where Spark also spills,
            shuffles and persists to disk (``spark.local.dir``).
        drop_cache: drop the file from the page cache before each read; ``False`` measures a
            read served by the page cache, i.e. from RAM through the kernel.
        repeat, chunk: runs (median) and the size of each ``read`` call.

    The file is deleted afterwards.
    """
    directory = directory or tempfile.gettempdir()
    rng = np.random.default_rng(0)
    fd, path = tempfile.mkstemp(prefix="distml-disk-", dir=directory)
    how = "served from the page cache (RAM)"
    try:
        with os.fdopen(fd, "wb") as f:
            left = nbytes
            while left > 0:
                f.write(rng.bytes(min(chunk, left)))
                left -= min(chunk, left)
            f.flush()
            os.fsync(f.fileno())
        buf = bytearray(chunk)

        def run():
            nonlocal how
            with open(path, "rb", buffering=0) as f:
                if drop_cache:
                    dropped = _drop_from_page_cache(f.fileno())
                    how = dropped or "this OS cannot drop the page cache: may be served from RAM"
                total = 0
                while True:
                    got = f.readinto(buf)
                    if not got:
                        return total
                    total += got

        if not drop_cache:
            run()  # warm-up: bring the file into the page cache
        moved, seconds = _median_run(run, repeat)
    finally:
        os.unlink(path)
    return Rate("disk" if drop_cache else "disk (page cache)", moved, seconds, how)


def loopback_network(nbytes: int = 256 * MiB, *, repeat: int = 3, chunk: int = MiB) -> Rate:
    """TCP over 127.0.0.1: bytes sent by one thread and counted as they arrive in another."""
    payload = memoryview(np.random.default_rng(1).bytes(chunk))

    def run():
        with socket.create_server(("127.0.0.1", 0)) as server:
            port = server.getsockname()[1]

            def send():
                with socket.create_connection(("127.0.0.1", port)) as s:
                    left = nbytes
                    while left > 0:
                        s.sendall(payload[:min(chunk, left)])
                        left -= min(chunk, left)

            sender = threading.Thread(target=send, daemon=True)
            sender.start()
            conn, _ = server.accept()
            buf, total = bytearray(chunk), 0
            with conn:
                while True:
                    got = conn.recv_into(buf)
                    if not got:
                        break
                    total += got
            sender.join()
            return total

    run()  # warm-up
    moved, seconds = _median_run(run, repeat)
    return Rate("network (loopback)", moved, seconds,
                "TCP on 127.0.0.1: no network card, an upper bound")


def _random_record(i: int, size: int):
    return i, np.random.default_rng(i).bytes(size)


def spark_shuffle(sc, nbytes: int = 64 * MiB, *, partitions: int | None = None,
                  record: int = MiB) -> Rate:
    """Spark's shuffle: ``nbytes`` of random records repartitioned, bytes read from Spark.

    The records are made and cached on the executors first; then one job sends every record
    through the shuffle (``partitionBy``). ``nbytes`` of the result is what Spark
    reports as shuffle bytes read (:func:`helpers.meter.meter`), a little more than the payload
    (keys and framing); the time is the whole job: serialise, write, fetch, deserialise, plus
    Spark's fixed cost per task, which dominates small volumes.
    """
    from helpers.meter import meter

    partitions = partitions or sc.defaultParallelism
    count = max(partitions, nbytes // record)
    records = sc.parallelize(range(count), partitions).map(
        lambda i: _random_record(i, record)).cache()
    records.count()
    try:
        with meter(sc) as m:
            records.partitionBy(partitions).count()
    finally:
        records.unpersist()
    where = ("through local disk, no network in local mode" if sc.master.startswith("local")
             else "blocks held by other executors cross the network")
    return Rate("Spark shuffle", m.shuffle_read_bytes, m.seconds,
                f"{partitions} → {partitions} partitions, {where}; one whole job, so its "
                f"fixed cost per task counts too")


def measure_hierarchy(sc=None, nbytes: int = 256 * MiB,
                      shuffle_bytes: int | None = None) -> list[Rate]:
    """RAM, disk (page cache dropped, then served by it), loopback TCP and, given ``sc``, a
    Spark shuffle of ``shuffle_bytes`` (default ``nbytes / 8``: Spark's path is the slowest)."""
    rates = [ram_read(nbytes), disk_read(nbytes), disk_read(nbytes, drop_cache=False),
             loopback_network(nbytes)]
    if sc is not None:
        rates.append(spark_shuffle(sc, shuffle_bytes or nbytes // 8))
    return rates
