"""helpers/resources.py and the defaults helpers.session takes from it, on fake cgroup trees.

Each test writes the files Linux would show in /sys/fs/cgroup (v2 or v1) and /proc/self/cgroup
in a temporary folder and points the readers at it.
"""

from __future__ import annotations

import os

import pytest

from helpers import resources, session

GiB = 2 ** 30


def cgroup(tmp_path, files: dict[str, str], own: str):
    """Write ``files`` (path under the cgroup root -> content) and /proc/self/cgroup = ``own``."""
    root = tmp_path / "cgroup"
    root.mkdir(parents=True)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n")
    proc = tmp_path / "proc-self-cgroup"
    proc.write_text(own)
    return root, proc


V1_OWN = "4:memory:/kubepods/pod7\n2:cpu,cpuacct:/kubepods/pod7\n1:name=systemd:/\n"


@pytest.mark.parametrize("cpu_max, expected", [("150000 100000", 1.5), ("400000 100000", 4.0),
                                               ("max 100000", None)])
def test_v2_cpu_quota(tmp_path, cpu_max, expected):
    root, proc = cgroup(tmp_path, {"cpu.max": cpu_max}, "0::/\n")
    assert resources.cgroup_cpu_limit(root, proc) == expected


def test_v2_a_parent_quota_applies_to_its_children(tmp_path):
    root, proc = cgroup(tmp_path, {"kubepods/pod1/cpu.max": "200000 100000",
                                   "kubepods/pod1/ctr/cpu.max": "max 100000",
                                   "kubepods/pod1/memory.max": str(3 * GiB),
                                   "kubepods/pod1/ctr/memory.max": "max"},
                        "0::/kubepods/pod1/ctr\n")
    assert resources.cgroup_cpu_limit(root, proc) == 2.0
    assert resources.cgroup_memory_limit(root, proc) == 3 * GiB


def test_v2_inside_a_container_the_mount_is_the_own_cgroup(tmp_path):
    # Without a cgroup namespace /proc shows the host's path, which the container cannot see.
    root, proc = cgroup(tmp_path, {"cpu.max": "50000 100000", "memory.max": str(GiB)},
                        "0::/system.slice/docker-abc.scope\n")
    assert resources.cgroup_cpu_limit(root, proc) == 0.5
    assert resources.cgroup_memory_limit(root, proc) == GiB


@pytest.mark.parametrize("quota, expected", [("250000", 2.5), ("-1", None)])
def test_v1_cpu_quota(tmp_path, quota, expected):
    root, proc = cgroup(tmp_path, {"cpu,cpuacct/kubepods/pod7/cpu.cfs_quota_us": quota,
                                   "cpu,cpuacct/kubepods/pod7/cpu.cfs_period_us": "100000"}, V1_OWN)
    assert resources.cgroup_cpu_limit(root, proc) == expected


@pytest.mark.parametrize("limit, expected", [(str(2 * GiB), 2 * GiB),
                                             ("9223372036854771712", None)])  # v1's "no limit"
def test_v1_memory_limit(tmp_path, limit, expected):
    root, proc = cgroup(tmp_path, {"memory/kubepods/pod7/memory.limit_in_bytes": limit}, V1_OWN)
    assert resources.cgroup_memory_limit(root, proc) == expected


def test_no_cgroup_files_means_no_limits(tmp_path):
    root, proc = cgroup(tmp_path, {}, "0::/\n")
    assert resources.cgroup_cpu_limit(root, proc) is None
    assert resources.cgroup_memory_limit(root, proc) is None
    assert resources.cgroup_cpu_limit(tmp_path / "absent", tmp_path / "absent") is None


def test_cpus_are_affinity_capped_by_the_quota_rounded_up(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    root, proc = cgroup(tmp_path, {"cpu.max": "250000 100000"}, "0::/\n")
    assert resources.available_cpus(root, proc) == 3          # 2.5 CPUs: the JVM counts 3
    root2, proc2 = cgroup(tmp_path / "b", {"cpu.max": "max 100000"}, "0::/\n")
    assert resources.available_cpus(root2, proc2) == 64       # no quota: the affinity
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert resources.available_cpus(root, proc) == 2          # pinned to 2 CPUs, quota 2.5
    root3, proc3 = cgroup(tmp_path / "c", {"cpu.max": "10000 100000"}, "0::/\n")
    assert resources.available_cpus(root3, proc3) == 1        # a tenth of a CPU: still 1


def test_local_star_partitions_follow_the_pod_quota(tmp_path, monkeypatch):
    monkeypatch.delenv("DISTML_PARTITIONS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    root, proc = cgroup(tmp_path, {"cpu.max": "300000 100000"}, "0::/\n")
    monkeypatch.setattr(session, "available_cpus", lambda: resources.available_cpus(root, proc))
    assert session.default_partitions("local[*]") == 6        # 3 CPUs of 64, two per core
    assert session.default_partitions("local[5]") == 10       # an explicit count is kept


def test_distml_partitions_overrides_and_rejects_nonsense(monkeypatch):
    monkeypatch.setenv("DISTML_PARTITIONS", "12")
    assert session.default_partitions("local[1]") == 12
    assert session.default_partitions("spark://example:7077") == 12
    for bad in ("zero", "0", "-3", "2.5"):
        monkeypatch.setenv("DISTML_PARTITIONS", bad)
        with pytest.raises(ValueError, match="DISTML_PARTITIONS must be a positive whole number"):
            session.default_partitions("local[1]")


def test_available_memory_is_ram_capped_by_the_cgroup(tmp_path):
    root, proc = cgroup(tmp_path, {"memory.max": str(GiB)}, "0::/\n")
    assert resources.available_memory(root, proc) == GiB
    root2, proc2 = cgroup(tmp_path / "b", {"memory.max": "max"}, "0::/\n")
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    assert resources.available_memory(root2, proc2) == ram


@pytest.mark.parametrize("memory, heap", [(None, "2048m"), (64 * GiB, "2048m"), (6 * GiB, "2048m"),
                                          (3 * GiB, "1024m"), (int(1.5 * GiB), "512m"),
                                          (GiB, "512m")])
def test_driver_heap_is_a_third_of_memory_within_bounds(memory, heap):
    assert resources.driver_memory(memory) == heap


def test_too_little_memory_says_how_much_and_what_to_do():
    message = resources.memory_problem(int(1.2 * GiB))
    assert "1.2 GiB" in message and "1.5 GiB" in message and "DISTML_DRIVER_MEMORY" in message
    assert resources.memory_problem(int(1.5 * GiB)) is None
    assert resources.memory_problem(None) is None
