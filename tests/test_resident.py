"""helpers.resident: blocks kept in the Python workers give the plain cache's answers, built once."""

from __future__ import annotations

import os

import numpy as np

import helpers
from helpers import resident


def test_a_block_is_built_once_per_process_and_dropped_on_release(sc):
    calls = []
    builds = sc.accumulator(0)

    def make_block(partition):
        calls.append(partition)
        return np.zeros((2, 1)), np.zeros(2)

    key = ("test", len(resident._STORE))
    first = resident._fetch(key, make_block, builds, 0)
    assert resident._fetch(key, make_block, builds, 0) is first and calls == [0]
    resident._drop(key, None)
    resident._fetch(key, make_block, builds, 0)
    assert calls == [0, 0] and builds.value == 2
    resident._drop(key, None)


def test_resident_blocks_give_the_cached_blocks_answers_and_are_not_rebuilt(sc):
    partitions = sc.defaultParallelism
    workers = min(os.cpu_count() or 1, partitions)  # Python workers that can run at once
    n, d, passes = 20_000, 5, workers + 2
    cached, _ = helpers.synthetic_blocks(sc, n, d, seed=3, num_partitions=partitions)
    cached = cached.cache()
    rdd, builds, key = resident.resident_synthetic_blocks(sc, n, d, seed=3,
                                                          num_partitions=partitions)
    try:
        w = np.arange(d, dtype=float)
        for _ in range(passes):
            np.testing.assert_allclose(helpers.closed_form_blocks(rdd),
                                       helpers.closed_form_blocks(cached))
        gradient, rows = helpers.block_gradient(rdd, w)
        expected, expected_rows = helpers.block_gradient(cached, w)
        np.testing.assert_allclose(gradient, expected)
        assert rows == expected_rows == n
        # Each concurrent worker (at most one per core) builds each block at most once; a store
        # that forgot its blocks would build all of them on every pass.
        assert partitions <= builds.value <= workers * partitions < passes * partitions
    finally:
        resident.release(sc, key)
        cached.unpersist()
