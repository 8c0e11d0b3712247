"""What this machine, or the container it runs in, lets the notebooks use: CPUs and memory.

``os.cpu_count()`` counts the host's cores, also inside a JupyterHub pod or a Docker container
whose CPU quota is a fraction of them; the JVM's default heap and Spark's ``local[*]`` do look at
the container's limits. This module reads the same limits Linux enforces (cgroup v2 and v1, and
the CPUs the process may run on), so that :mod:`helpers.session` picks partitions and the driver's
memory to fit. Standard library only; every reader takes its file-system root so that the tests
can point it at fake cgroup files.

Settings (environment variables): ``DISTML_PARTITIONS`` overrides the default partition count,
``DISTML_DRIVER_MEMORY`` the driver's heap (and skips the memory check).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

__all__ = ["cgroup_cpu_limit", "cgroup_memory_limit", "available_cpus", "available_memory",
           "driver_memory", "memory_problem", "partitions_override", "MIN_MEMORY", "MIN_HEAP",
           "MAX_HEAP"]

MiB = 2 ** 20
#: Below this much memory a notebook's Spark driver (a JVM with at least MIN_HEAP of heap, its
#: own overhead of about 300 MiB), the kernel and the Python workers do not fit.
MIN_MEMORY = 1536 * MiB
#: Spark refuses a heap under 450 MiB (it reserves 300 MiB and wants 1.5 times that).
MIN_HEAP = 512 * MiB
#: The default heap when memory is plentiful: the notebooks need far less; the benchmark sets more.
MAX_HEAP = 2048 * MiB
#: v1 reports "no limit" as a huge number (the largest multiple of the page size); treat anything
#: above this as unlimited.
_UNLIMITED = 2 ** 60


def _own_cgroups(proc_cgroup: Path) -> dict[str, str]:
    """``/proc/self/cgroup`` as {controller: path}; cgroup v2's single hierarchy is ``""``."""
    found = {}
    try:
        text = proc_cgroup.read_text()
    except OSError:
        return found
    for line in text.splitlines():
        parts = line.split(":", 2)
        if len(parts) == 3:
            for controller in parts[1].split(",") if parts[1] else [""]:
                found[controller] = parts[2]
    return found


def _dirs(mount: Path, path: str | None) -> list[Path]:
    """The cgroup directory of this process under ``mount`` and its ancestors up to ``mount``
    (a limit set on any of them applies). Inside a container the path from /proc often does not
    exist under the container's own mount, which is then the process's cgroup itself."""
    if not mount.is_dir():
        return []
    here = mount / path.strip("/") if path and path.strip("/") else mount
    if not here.is_dir():
        return [mount]
    out = [here]
    while here != mount and mount in here.parents:
        here = here.parent
        out.append(here)
    return out


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:
        return None


def _v1_mount(root: Path, controller: str, own: dict[str, str]) -> tuple[Path, str | None]:
    """Where cgroup v1 mounts ``controller`` (``cpu`` is often ``cpu,cpuacct``), and our path."""
    names = [controller] + (["cpu,cpuacct", "cpuacct,cpu"] if controller == "cpu" else [])
    mount = next((root / name for name in names if (root / name).is_dir()), root / controller)
    return mount, own.get(controller)


def cgroup_cpu_limit(root: str | os.PathLike = "/sys/fs/cgroup",
                     proc_cgroup: str | os.PathLike = "/proc/self/cgroup") -> float | None:
    """CPUs the cgroup CPU quota allows (e.g. 1.5), or None if there is no quota.

    cgroup v2: ``cpu.max`` is ``"<quota> <period>"`` or ``"max <period>"``. cgroup v1:
    ``cpu.cfs_quota_us`` (-1: none) over ``cpu.cfs_period_us``. The smallest quota of this
    process's cgroup and its ancestors wins.
    """
    root, own = Path(root), _own_cgroups(Path(proc_cgroup))
    limits = []
    for d in _dirs(root, own.get("", "/")):
        fields = (_read(d / "cpu.max") or "").split()
        if len(fields) == 2 and fields[0] != "max":
            try:
                limits.append(int(fields[0]) / int(fields[1]))
            except (ValueError, ZeroDivisionError):
                pass
    mount, path = _v1_mount(root, "cpu", own)
    for d in _dirs(mount, path):
        quota, period = _read(d / "cpu.cfs_quota_us"), _read(d / "cpu.cfs_period_us")
        try:
            if quota is not None and period is not None and int(quota) > 0:
                limits.append(int(quota) / int(period))
        except (ValueError, ZeroDivisionError):
            pass
    return min(limits) if limits else None


def cgroup_memory_limit(root: str | os.PathLike = "/sys/fs/cgroup",
                        proc_cgroup: str | os.PathLike = "/proc/self/cgroup") -> int | None:
    """Bytes the memory cgroup allows, or None if there is no limit.

    cgroup v2: ``memory.max`` (``"max"``: none); v1: ``memory.limit_in_bytes`` (a huge number:
    none). The smallest limit of this process's cgroup and its ancestors wins.
    """
    root, own = Path(root), _own_cgroups(Path(proc_cgroup))
    limits = []
    for d in _dirs(root, own.get("", "/")):
        value = _read(d / "memory.max")
        if value and value != "max" and value.isdigit():
            limits.append(int(value))
    mount, path = _v1_mount(root, "memory", own)
    for d in _dirs(mount, path):
        value = _read(d / "memory.limit_in_bytes")
        if value and value.isdigit() and int(value) < _UNLIMITED:
            limits.append(int(value))
    return min(limits) if limits else None


def available_cpus(root: str | os.PathLike = "/sys/fs/cgroup",
                   proc_cgroup: str | os.PathLike = "/proc/self/cgroup") -> int:
    """CPUs this process may use: the CPUs it may run on (``sched_getaffinity``), capped by the
    cgroup quota rounded up (as the JVM rounds it), at least 1."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        cpus = os.cpu_count() or 1
    quota = cgroup_cpu_limit(root, proc_cgroup)
    if quota is not None:
        cpus = min(cpus, math.ceil(quota))
    return max(1, cpus)


def available_memory(root: str | os.PathLike = "/sys/fs/cgroup",
                     proc_cgroup: str | os.PathLike = "/proc/self/cgroup") -> int | None:
    """Bytes of memory this process may use: the machine's RAM, capped by the memory cgroup."""
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        physical = None
    limit = cgroup_memory_limit(root, proc_cgroup)
    known = [m for m in (physical, limit) if m]
    return min(known) if known else None


def driver_memory(memory: int | None) -> str:
    """The default ``spark.driver.memory`` for ``memory`` bytes available (None: unknown):
    a third of it (the JVM's own overhead, the kernel and the Python workers need the rest),
    between MIN_HEAP and MAX_HEAP.

    >>> [driver_memory(m) for m in (None, 24 * 2**30, 3 * 2**30, 2**30)]
    ['2048m', '2048m', '1024m', '512m']
    """
    if memory is None:
        return f"{MAX_HEAP // MiB}m"
    return f"{min(MAX_HEAP, max(MIN_HEAP, memory // 3)) // MiB}m"


def memory_problem(memory: int | None) -> str | None:
    """A message saying what to do if ``memory`` bytes are too few for a notebook, else None.

    >>> memory_problem(8 * 2**30) is None, memory_problem(None) is None
    (True, True)
    >>> print(memory_problem(2**30))
    Only 1.0 GiB of memory is available here (the container's or machine's limit), and a notebook needs at least 1.5 GiB (Spark's JVM, the kernel and Spark's Python workers). Ask for a server or pod with more memory; or set DISTML_DRIVER_MEMORY (e.g. 512m) to start Spark anyway.
    """
    if memory is None or memory >= MIN_MEMORY:
        return None
    return (f"Only {memory / 2**30:.1f} GiB of memory is available here (the container's or "
            f"machine's limit), and a notebook needs at least {MIN_MEMORY / 2**30:.1f} GiB "
            f"(Spark's JVM, the kernel and Spark's Python workers). Ask for a server or pod with "
            f"more memory; or set DISTML_DRIVER_MEMORY (e.g. {MIN_HEAP // MiB}m) to start Spark "
            f"anyway.")


def partitions_override() -> int | None:
    """``$DISTML_PARTITIONS`` as a positive int, None if unset; a clear error if malformed."""
    text = os.environ.get("DISTML_PARTITIONS", "").strip()
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"DISTML_PARTITIONS must be a positive whole number of partitions, "
                         f"got {text!r}; unset it to use the default")
    return value
