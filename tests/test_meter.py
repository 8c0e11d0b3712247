"""The communication meter on jobs whose byte counts are known, and notebook 03's cost models
against it: bytes only, never seconds.

Tolerances are those the notebook states (:func:`helpers.meter.agrees_with_model`): a measurement
is its cost model plus at most 1% (Java's framing of large results) and 4 KiB per task (Spark's
task metrics, numpy headers); closures add their function's code, up to 8 KiB per task.
"""

from __future__ import annotations

import numpy as np
import pytest

import helpers
from helpers.meter import TASK_OVERHEAD_BYTES, agrees_with_model, meter

CLOSURE = 2 * TASK_OVERHEAD_BYTES  # per-task allowance for a function's own code


def test_collect_of_a_known_size(sc):
    rdd = sc.parallelize(range(4), 4)
    with meter(sc) as m:
        got = rdd.map(lambda i: np.ones(125_000)).collect()  # 4 × 1,000,000 bytes of float64
    assert len(got) == 4
    assert (m.jobs, m.stages, m.tasks) == (1, 1, 4)
    assert agrees_with_model(m.result_bytes, 4_000_000, m.tasks), m.result_bytes
    assert m.shuffle_write_bytes == m.shuffle_read_bytes == 0
    assert (m.broadcasts, m.broadcast_bytes) == (0, 0)


def test_a_reduce_sends_one_value_per_partition(sc):
    rdd = sc.parallelize(range(8), 8)
    with meter(sc) as m:
        total = rdd.map(lambda i: np.full(10_000, float(i))).reduce(np.add)  # 80,000 bytes each
    assert total[0] == 28.0 and m.tasks == 8
    assert agrees_with_model(m.result_bytes, 8 * 80_000, m.tasks), m.result_bytes


def test_a_broadcast_of_a_known_size(sc):
    value = np.arange(100_000, dtype=float)  # 800,000 bytes
    with meter(sc) as m:
        b = sc.broadcast(value)
        total = sc.parallelize(range(4), 4).map(lambda i: float(b.value[i])).sum()
    assert total == 6.0
    assert m.broadcasts == 1
    assert 800_000 <= m.broadcast_bytes <= 800_000 + 1024  # the pickle's header
    # The closure holds only the broadcast's handle, not its value.
    assert agrees_with_model(m.closure_bytes, 0, m.tasks, per_task=CLOSURE), m.closure_bytes
    b.destroy()


def test_only_broadcasts_made_inside_the_block_count(sc):
    outside = sc.broadcast(np.ones(50_000))
    with meter(sc) as m:
        inside = [sc.broadcast(np.ones(n)) for n in (10_000, 30_000)]
        got = sc.parallelize(range(2), 2).map(
            lambda i: outside.value.sum() + inside[i].value.sum()).collect()
    assert got == [60_000.0, 80_000.0]
    assert m.broadcasts == 2
    assert 320_000 <= m.broadcast_bytes <= 320_000 + 2048
    for b in (outside, *inside):
        b.destroy()


@pytest.mark.parametrize("tasks", [2, 5])
def test_a_closure_reaches_every_task(sc, tasks):
    data = np.ones(50_000)  # 400,000 bytes captured by the function
    with meter(sc) as m:
        sc.parallelize(range(tasks), tasks).map(lambda i: data.sum() + i).collect()
    assert m.tasks == tasks and m.broadcasts == 0
    assert agrees_with_model(m.closure_bytes, tasks * 400_000, tasks, per_task=CLOSURE), \
        m.closure_bytes


def test_each_stage_closure_counts_with_that_stage_tasks(sc):
    data = np.ones(50_000)
    pairs = sc.parallelize(range(8), 4).map(lambda i: (i % 3, float(data[i])))
    with meter(sc) as m:
        got = dict(pairs.reduceByKey(lambda a, b: a + b, numPartitions=2).collect())
    assert got == {0: 3.0, 1: 3.0, 2: 2.0}
    assert (m.stages, m.tasks) == (2, 6)
    # The data travels with the 4 map tasks only, not with the 2 reduce tasks.
    assert agrees_with_model(m.closure_bytes, 4 * 400_000, m.tasks, per_task=CLOSURE), \
        m.closure_bytes


def test_pyspark_broadcasts_a_closure_over_one_mib_itself(sc):
    big = np.ones(200_000)  # 1.6 MB in the function
    with meter(sc) as m:
        sc.parallelize(range(4), 4).map(lambda i: big.sum()).collect()
    assert m.broadcasts == 1 and 1_600_000 <= m.broadcast_bytes <= 1_600_000 + 16_384
    assert m.closure_bytes < 4 * 1024, "the tasks should receive only the broadcast's handle"


def test_a_shuffle_of_a_known_size(sc):
    def record(i):  # 100,000 random bytes: nothing can compress them
        return i, np.random.default_rng(i).bytes(100_000)

    rdd = sc.parallelize(range(16), 4).map(record)
    with meter(sc) as m:
        moved = rdd.partitionBy(4, lambda k: (k + 1) % 4).count()
    assert moved == 16
    assert (m.jobs, m.stages, m.tasks) == (1, 2, 8)
    assert m.shuffle_read_bytes == m.shuffle_write_bytes
    assert agrees_with_model(m.shuffle_write_bytes, 1_600_000, 4), m.shuffle_write_bytes


def test_nothing_run_nothing_counted_and_wrappers_restored(sc):
    from pyspark.core import rdd as rdd_module

    wrapped = (rdd_module.PipelinedRDD.__dict__["_jrdd"], rdd_module._prepare_for_python_RDD)
    with meter(sc) as none:
        pass
    assert (none.jobs, none.stages, none.tasks, none.result_bytes, none.broadcast_bytes,
            none.closure_bytes) == (0, 0, 0, 0, 0, 0)
    with pytest.raises(ZeroDivisionError):
        with meter(sc):
            _ = sc.parallelize(range(2), 2).map(lambda i: i).collect()
            1 / 0
    assert "broadcast" not in vars(sc), "sc.broadcast is still wrapped"
    assert (rdd_module.PipelinedRDD.__dict__["_jrdd"], rdd_module._prepare_for_python_RDD) == \
        wrapped


def test_nested_meters_both_count(sc):
    with meter(sc) as outer:
        with meter(sc) as inner:
            b = sc.broadcast(np.ones(10_000))
            sc.parallelize(range(2), 2).map(lambda i: b.value.sum()).collect()
        sc.parallelize(range(3), 3).map(lambda i: i).collect()
    assert inner.broadcasts == outer.broadcasts == 1
    assert inner.broadcast_bytes == outer.broadcast_bytes > 80_000
    assert (inner.jobs, inner.tasks, outer.jobs, outer.tasks) == (1, 2, 2, 5)
    b.destroy()


def test_report_is_one_readable_line(sc, capsys):
    with meter(sc) as m:
        sc.parallelize(range(4), 4).count()
    m.report("count")
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("count: 1 job, 1 stage, 4 tasks in ")
    assert "to the driver" in out and "0 broadcasts" in out


def test_agrees_with_model_rejects_too_little_and_too_much():
    assert agrees_with_model(1000, 1000, 1)
    assert not agrees_with_model(999, 1000, 1)  # less than the payload: the model is wrong
    assert agrees_with_model(1_000_000 + 10_000 + 4096, 1_000_000, 1)
    assert not agrees_with_model(1_000_000 + 10_000 + 4097, 1_000_000, 1)


# --- notebook 03's four "stay local" cases: measured bytes against the cost models ----------

P = 4  # partitions: with 4, treeReduce is a single reduce, so every partition sends to the driver


def test_closed_form_sends_d_squared_per_partition_whatever_n(sc):
    for d in (20, 120):
        sent = []
        for n in (10_000, 40_000):
            blocks, _ = helpers.synthetic_blocks(sc, n, d, seed=1, num_partitions=P)
            with meter(sc) as m:
                helpers.normal_equations(blocks)
            assert m.jobs == 1 and m.tasks == P
            assert agrees_with_model(m.result_bytes, 8 * P * (d * d + d), m.tasks), \
                (d, n, m.result_bytes)
            sent.append(m.result_bytes)
        # Only Spark's task metrics vary a little (their numbers are variable-length encoded).
        assert abs(sent[0] - sent[1]) < 64 * P, f"bytes changed with n at d = {d}: {sent}"


def test_gradient_descent_sends_d_per_partition_per_iteration_both_ways(sc):
    d, iterations = 300, 3
    blocks, _ = helpers.synthetic_blocks(sc, 4_000, d, seed=2, num_partitions=P)
    blocks = blocks.cache()
    blocks.count()
    w = np.zeros(d)
    with meter(sc) as m:
        for _ in range(iterations):
            gradient, n = helpers.block_gradient(blocks, w)
            w = w - 0.5 / n * gradient
    blocks.unpersist()
    assert m.jobs == iterations and m.tasks == iterations * P
    model = 8 * iterations * P * d
    assert agrees_with_model(m.result_bytes, model, m.tasks), m.result_bytes
    assert agrees_with_model(m.closure_bytes, model, m.tasks, per_task=CLOSURE), m.closure_bytes


def test_collect_sends_every_row(sc):
    n, d = 30_000, 7
    blocks, _ = helpers.synthetic_blocks(sc, n, d, seed=3, num_partitions=P)
    with meter(sc) as m:
        blocks.collect()
    assert agrees_with_model(m.result_bytes, 8 * n * (d + 1), m.tasks), m.result_bytes


def _val_error(data, regParam):
    (X, y), (Xv, yv) = data
    w = np.linalg.solve(X.T @ X + regParam * np.eye(X.shape[1]), X.T @ y)
    return float(np.sqrt(np.mean((Xv @ w - yv) ** 2)))


def test_ridge_tuning_broadcast_ships_the_data_once_a_closure_once_per_task(sc):
    X, y, _ = helpers.make_regression(1200, 50, noise=5.0, seed=3)
    data = ((X[:200], y[:200]), (X[200:], y[200:]))
    data_bytes = X.nbytes + y.nbytes
    grid = [0.0, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0]
    with meter(sc) as by_broadcast:
        shipped = sc.broadcast(data)
        errors_b = sc.parallelize(grid, len(grid)).map(
            lambda r: _val_error(shipped.value, r)).collect()
    with meter(sc) as by_closure:
        errors_c = sc.parallelize(grid, len(grid)).map(lambda r: _val_error(data, r)).collect()
    assert errors_b == errors_c
    assert by_broadcast.broadcasts == 1
    assert agrees_with_model(by_broadcast.broadcast_bytes, data_bytes, 1)
    assert agrees_with_model(by_broadcast.closure_bytes, 0, len(grid), per_task=CLOSURE)
    assert by_closure.broadcasts == 0
    assert agrees_with_model(by_closure.closure_bytes, len(grid) * data_bytes, len(grid),
                             per_task=CLOSURE), by_closure.closure_bytes
    shipped.destroy()


def test_huge_d_dense_sparse_and_local_model_pieces(sc):
    d, rows, nnz, shared = 2**16, 2_000, 5, 100
    piece = (d - shared) // P

    def block(i, grouped):
        rng = np.random.default_rng([9, i])
        if grouped:
            idx = np.concatenate([rng.integers(0, shared, (rows, 1)),
                                  shared + i * piece + rng.integers(0, piece, (rows, nnz - 1))],
                                 axis=1)
        else:
            idx = rng.integers(0, d, (rows, nnz))
        return idx, rng.standard_normal((rows, nnz)), rng.standard_normal(rows)

    def contributions(b):  # at w = 0 the residual is −y
        idx, val, y = b
        return idx.ravel(), (val * -y[:, None]).ravel()

    hashed = sc.parallelize(range(P), P).map(lambda i: block(i, False))
    with meter(sc) as dense:
        g_dense = hashed.map(lambda b: np.bincount(*contributions(b), minlength=d)).reduce(np.add)
    assert agrees_with_model(dense.result_bytes, 8 * P * d, dense.tasks), dense.result_bytes

    def sparse(b):
        flat, c = contributions(b)
        keys, where = np.unique(flat, return_inverse=True)
        return keys.astype(np.int32), np.bincount(where, weights=c)

    with meter(sc) as sparse_m:
        parts = hashed.map(sparse).collect()
    touched = sum(len(k) for k, _ in parts)
    assert touched < P * d / 2
    assert agrees_with_model(sparse_m.result_bytes, 12 * touched, sparse_m.tasks), \
        sparse_m.result_bytes
    g_sparse = np.zeros(d)
    for keys, values in parts:
        np.add.at(g_sparse, keys, values)
    assert np.allclose(g_sparse, g_dense)

    def shared_part(b):
        flat, c = contributions(b)
        return np.bincount(flat[flat < shared], weights=c[flat < shared], minlength=shared)

    grouped = sc.parallelize(range(P), P).map(lambda i: block(i, True))
    with meter(sc) as local:
        grouped.map(shared_part).reduce(np.add)
    assert local.shuffle_write_bytes == 0
    assert agrees_with_model(local.result_bytes, 8 * P * shared, local.tasks), local.result_bytes


# --- treeReduce: what reaches the driver for any partition count ------------------------------

@pytest.mark.parametrize("partitions", [5, 16, 32])
def test_tree_reduce_sends_what_the_cost_model_says(sc, partitions):
    """helpers' sums use treeReduce: above a few partitions only some partial sums reach the
    driver (costmodel.tree_reduce_partitions); each result is large enough (>= 320 KB) that one
    result more or less than the model is outside the tolerance."""
    from helpers.costmodel import bytes_to_driver, tree_reduce_partitions

    d_gd, d_cf = 50_000, 200
    wide, _ = helpers.synthetic_blocks(sc, 2 * partitions, d_gd, seed=5, num_partitions=partitions)
    with meter(sc) as m_gd:
        helpers.block_gradient(wide, np.zeros(d_gd))
    narrow, _ = helpers.synthetic_blocks(sc, 4 * partitions, d_cf, seed=6,
                                         num_partitions=partitions)
    with meter(sc) as m_cf:
        helpers.normal_equations(narrow)
    for m, floats in ((m_gd, d_gd), (m_cf, d_cf * d_cf + d_cf)):
        check = m.check(bytes_to_driver(floats, partitions), f"{partitions} partitions")
        assert check.agrees, check
        assert check.measured - check.model < 8 * floats  # not one result more than the model
    if tree_reduce_partitions(partitions) < partitions:  # the old model counted every partition
        assert not agrees_with_model(m_gd.result_bytes, 8 * d_gd * partitions, m_gd.tasks)


def test_checks_are_recorded_with_their_verdict(sc, monkeypatch):
    from helpers.meter import checks

    monkeypatch.delenv("DISTML_STRICT_MODELS", raising=False)  # make test sets it
    before = len(checks())
    with meter(sc) as m:
        sc.parallelize(range(2), 2).map(lambda i: np.ones(10_000)).collect()  # 2 × 80,000 B
    good, bad = m.check(160_000, "right"), m.check(320_000, "double")
    assert checks()[before:] == [good, bad]
    monkeypatch.setenv("DISTML_STRICT_MODELS", "1")  # the suite's notebook runs: a cell fails
    with pytest.raises(AssertionError, match="disagree: double"):
        m.check(320_000, "double")
    assert good.agrees and not bad.agrees
    assert str(good).endswith("agrees)") and str(bad).endswith("DIFFERS)")
    assert good.tasks == m.tasks and m.check(0, measured="broadcast_bytes", tasks=1).agrees
