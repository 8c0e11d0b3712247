"""The memory-hierarchy measurements move exactly the bytes they claim (never asserts on speed)."""

from __future__ import annotations

import os

import pytest

from helpers import memory

MiB = 2**20


def test_ram_read_reads_the_whole_array():
    rate = memory.ram_read(4 * MiB, repeat=2)
    assert rate.level == "RAM" and rate.nbytes == 4 * MiB and rate.seconds > 0
    assert rate.bytes_per_second == pytest.approx(rate.nbytes / rate.seconds)
    with pytest.raises(ValueError):
        memory.ram_read(MiB, repeat=0)


def test_disk_read_reads_every_byte_and_leaves_no_file(tmp_path):
    odd = 3 * MiB + 123  # not a multiple of the chunk: the last short read must count
    cold = memory.disk_read(odd, directory=tmp_path, chunk=MiB, repeat=2)
    assert cold.level == "disk" and cold.nbytes == odd
    if hasattr(os, "posix_fadvise"):
        assert "dropped" in cold.note
    warm = memory.disk_read(2 * MiB, directory=tmp_path, drop_cache=False)
    assert warm.level == "disk (page cache)" and warm.nbytes == 2 * MiB
    assert "page cache" in warm.note
    assert list(tmp_path.iterdir()) == [], "the test file was left behind"


def test_loopback_counts_every_byte_that_arrives():
    rate = memory.loopback_network(5 * MiB + 7, chunk=MiB, repeat=2)
    assert rate.level == "network (loopback)" and rate.nbytes == 5 * MiB + 7


def test_spark_shuffle_reports_the_bytes_spark_moved(sc):
    before = set(sc._jsc.getPersistentRDDs().keys())
    rate = memory.spark_shuffle(sc, 4 * MiB, partitions=4, record=256 * 1024)
    # Spark counts the random (incompressible) payload plus keys and framing: a little more.
    assert 4 * MiB < rate.nbytes <= 4 * MiB * 1.01 + 16 * 1024
    assert rate.level == "Spark shuffle" and "4 → 4 partitions" in rate.note
    # Compare ids, not counts: Spark's ContextCleaner may drop other tests' cached RDDs meanwhile.
    left = set(sc._jsc.getPersistentRDDs().keys()) - before
    assert not left, f"the cached records were left behind: RDDs {sorted(left)}"


def test_measure_hierarchy_without_spark_has_four_levels(tmp_path, monkeypatch):
    monkeypatch.setattr(memory.tempfile, "tempdir", str(tmp_path))
    rates = memory.measure_hierarchy(nbytes=2 * MiB)
    assert [r.level for r in rates] == ["RAM", "disk", "disk (page cache)", "network (loopback)"]
    assert all(r.nbytes == 2 * MiB for r in rates)


def test_a_rate_prints_as_one_line():
    text = str(memory.Rate("disk", 2 * MiB, 0.5, "a note"))
    assert "4.0 MiB/s" in text and "2.0 MiB in 500 ms" in text and "a note" in text
    assert "\n" not in text
