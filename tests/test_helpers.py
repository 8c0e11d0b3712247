"""Unit tests of the helpers package (its doctests run too, via --doctest-modules)."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import helpers
from helpers import environment, session, timing


# --- environment and session (no Spark needed) ---------------------------------------------

def test_missing_java_is_one_sentence_saying_how_to_install(monkeypatch, tmp_path):
    from pyspark import SparkContext

    # a fresh kernel: no session running yet (another test's would be shared, Java unchecked)
    monkeypatch.setattr(SparkContext, "_active_spark_context", None)
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "nowhere"))
    monkeypatch.setenv("PATH", str(tmp_path))
    found = environment.problems()
    assert len(found) == 1 and "Java was not found" in found[0]
    assert "apt install" in found[0] and "brew install" in found[0] and "conda" in found[0]
    with pytest.raises(environment.EnvironmentProblem, match="Java was not found"):
        helpers.get_spark()


def test_a_running_session_is_shared_without_running_java_again(spark, monkeypatch):
    # otter's checks call get_spark for every call they make: `java -version` each time cost
    # notebook 02's corpus 22 s of 217
    monkeypatch.setattr(session, "problems", lambda **_: pytest.fail("Java checked again"))
    assert helpers.get_spark().sparkContext is spark.sparkContext


def test_local_workers_are_forked_by_the_projects_daemon_over_unix_sockets(sc):
    conf = sc.getConf()
    assert conf.get("spark.python.unix.domain.socket.enabled") == "true"
    assert conf.get("spark.python.daemon.module") == "distml_worker_daemon"
    # A worker is a fork of the daemon: its __main__ is the module Spark ran with -m, and
    # pyspark.daemon (imported by ours, absent when Spark's own daemon is __main__) is patched.
    def daemon_of_this_worker(_):
        import sys
        collector = getattr(sys.modules.get("pyspark.daemon"), "gc", None)
        return sys.modules["__main__"].__spec__.name, type(collector).__name__

    assert (sc.parallelize([0], 1).map(daemon_of_this_worker).first()
            == ("distml_worker_daemon", "_YoungCollections"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the daemon preloads on Linux only")
def test_a_worker_forked_after_first_has_the_courses_imports_already(sc):
    # first() leaves its worker unusable, so the next job forks a new one: that worker must not
    # import pyspark.mllib (numpy, pandas, pyarrow: 0.6 s here, 3.3 s without bytecode) first.
    def fresh_worker(_):
        import gc
        import sys
        return "pyspark.mllib.regression" in sys.modules, gc.get_freeze_count() > 0

    data = sc.parallelize(range(4), 2)
    data.first()
    assert set(data.map(fresh_worker).collect()) == {(True, True)}


def test_a_failed_preload_leaves_the_daemon_running(monkeypatch):
    import gc

    import distml_worker_daemon

    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(1))
    monkeypatch.setitem(sys.modules, "pyspark.mllib.regression", None)  # import -> ImportError
    distml_worker_daemon.preload()
    assert frozen == []


def test_worker_daemon_collects_only_the_young_generations(monkeypatch):
    import gc
    import inspect

    import pyspark.daemon

    import distml_worker_daemon  # noqa: F401 - importing it patches pyspark.daemon

    # what it replaces: the full collection the daemon runs after every task, by this name
    assert "gc.collect()" in inspect.getsource(pyspark.daemon.manager)
    calls = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: calls.append(generation) or 0)
    assert pyspark.daemon.gc is not gc
    pyspark.daemon.gc.collect()
    pyspark.daemon.gc.collect(2)
    assert calls == [1, 1]
    assert pyspark.daemon.gc.isenabled is gc.isenabled  # the rest is the gc module's


def test_workers_start_the_projects_daemon_only_if_their_python_can_import_it(monkeypatch,
                                                                             tmp_path):
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)
    assert session._workers_can_import("distml_worker_daemon")
    assert not session._workers_can_import("distml_no_such_module")
    # another interpreter may not have the project installed: Spark's own daemon then
    other = tmp_path / "python3"
    other.symlink_to(sys.executable)
    monkeypatch.setenv("PYSPARK_PYTHON", str(other))
    assert not session._workers_can_import("distml_worker_daemon")


def test_old_java_is_reported(monkeypatch):
    monkeypatch.setattr(environment, "java_version", lambda: 11)
    assert any("Java 11 is too old" in p for p in environment.problems())


def test_missing_data_is_reported_by_check_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DISTML_DATA_DIR", str(tmp_path))
    with pytest.raises(environment.EnvironmentProblem, match="millionsong.txt"):
        environment.check_environment()


def test_driver_jvm_maps_the_class_archive_when_there_is_one(monkeypatch, tmp_path):
    archive = tmp_path / "spark.jsa"
    monkeypatch.setattr(session, "class_archive", lambda: archive)
    monkeypatch.delenv("DISTML_JAVA_OPTIONS", raising=False)
    assert "SharedArchiveFile" not in session._driver_java_options(quiet=True)
    archive.write_bytes(b"")
    options = session._driver_java_options(quiet=False)
    assert options.startswith(f"-XX:SharedArchiveFile={archive} -Xshare:auto")
    monkeypatch.setenv("DISTML_JAVA_OPTIONS", "-XX:TieredStopAtLevel=1")
    assert session._driver_java_options(quiet=True).endswith("-XX:TieredStopAtLevel=1")
    # While the archive is being recorded, the JVM must not also map the old one.
    monkeypatch.setenv("DISTML_JAVA_OPTIONS", "-XX:ArchiveClassesAtExit=/tmp/new.jsa")
    assert "SharedArchiveFile" not in session._driver_java_options(quiet=True)


def test_master_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("DISTML_SPARK_MASTER", raising=False)
    assert session.spark_master() == "local[*]"
    monkeypatch.setenv("DISTML_SPARK_MASTER", "spark://10.0.0.1:7077")
    assert session.spark_master() == "spark://10.0.0.1:7077"
    assert session.default_partitions() == 8


# --- data ------------------------------------------------------------------------------------

def test_millionsong_rdd(sc):
    songs = helpers.load_millionsong(sc)
    X, years = helpers.read_millionsong()
    assert songs.count() == len(years) == 6724
    first = songs.first()
    assert len(first.features) == 12 and first.label == years[0]
    shifted = helpers.load_millionsong(sc, shift_years=True)
    labels = np.array(shifted.map(lambda p: p.label).collect())
    assert labels.min() == 0 and np.allclose(labels, years - years.min())


def test_split_is_deterministic_and_disjoint(sc):
    rdd = sc.parallelize(range(1000), 4)
    a = [sorted(part.collect()) for part in helpers.split_data(rdd, seed=7)]
    b = [sorted(part.collect()) for part in helpers.split_data(rdd, seed=7)]
    assert a == b
    assert sorted(a[0] + a[1] + a[2]) == list(range(1000))
    assert 700 < len(a[0]) < 900
    c = [sorted(part.collect()) for part in helpers.split_data(rdd, seed=8)]
    assert c != a


def test_synthetic_data_is_the_same_on_driver_and_executors(sc):
    blocks, w = helpers.synthetic_blocks(sc, 1003, 4, noise=0.3, seed=5, num_partitions=3)
    X, y, w2 = helpers.make_regression(1003, 4, noise=0.3, seed=5, partitions=3)
    collected = blocks.collect()
    assert [b[0].shape[0] for b in collected] == [335, 334, 334]
    assert np.array_equal(np.vstack([b[0] for b in collected]), X)
    assert np.array_equal(np.concatenate([b[1] for b in collected]), y)
    assert np.array_equal(w, w2) and w.shape == (4,)
    residual = y - X @ w
    assert 0.25 < residual.std() < 0.35, "noise level not as asked"
    other, _ = helpers.synthetic_blocks(sc, 1003, 4, noise=0.3, seed=6, num_partitions=3)
    assert not np.array_equal(other.first()[0], collected[0][0])


def test_points_and_blocks_round_trip(sc):
    blocks, _ = helpers.synthetic_blocks(sc, 50, 3, num_partitions=2)
    points = helpers.to_points(blocks)
    assert points.count() == 50 and points.getNumPartitions() == 2
    back = helpers.to_blocks(points).collect()
    original = blocks.collect()
    for (X1, y1), (X2, y2) in zip(back, original):
        assert np.allclose(X1, X2) and np.allclose(y1, y2)
    # an empty partition gives no block instead of failing
    assert helpers.to_blocks(sc.parallelize(points.take(3), 5)).count() == 3


# --- least squares, metrics, timing ---------------------------------------------------------

def test_closed_form_matches_numpy(sc):
    blocks, w = helpers.synthetic_blocks(sc, 2000, 5, noise=0.5, seed=1, num_partitions=4)
    X, y, _ = helpers.make_regression(2000, 5, noise=0.5, seed=1, partitions=4)
    XtX, Xty, n = helpers.normal_equations(blocks)
    assert n == 2000 and np.allclose(XtX, X.T @ X) and np.allclose(Xty, X.T @ y)
    assert np.allclose(helpers.closed_form_blocks(blocks), np.linalg.lstsq(X, y, rcond=None)[0])
    ridge = helpers.closed_form_blocks(blocks, ridge=10.0)
    assert np.allclose(ridge, np.linalg.solve(X.T @ X + 10 * np.eye(5), X.T @ y))
    assert np.allclose(helpers.linreg_closed_form(helpers.to_points(blocks)),
                       helpers.closed_form_blocks(blocks))


def test_predict_and_gradient(sc):
    blocks, _ = helpers.synthetic_blocks(sc, 300, 3, seed=2, num_partitions=3)
    X, y, _ = helpers.make_regression(300, 3, seed=2, partitions=3)
    w = np.array([0.5, -1.0, 2.0])
    pairs = helpers.predict(helpers.to_points(blocks), w).collect()
    assert np.allclose([p[0] for p in pairs], y) and np.allclose([p[1] for p in pairs], X @ w)
    grad, n = helpers.block_gradient(blocks, w)
    assert n == 300 and np.allclose(grad, X.T @ (X @ w - y))


def test_rmse(sc):
    assert helpers.rmse([0, 0], [3, 4]) == pytest.approx(np.sqrt(12.5))
    with pytest.raises(ValueError):
        helpers.rmse([1, 2], [1, 2, 3])
    with pytest.raises(ValueError):
        helpers.rmse([], [])
    pairs = sc.parallelize([(1.0, 2.0), (3.0, 1.0), (0.0, 0.0)], 2)
    assert helpers.rmse_rdd(pairs) == pytest.approx(np.sqrt(5 / 3))
    with pytest.raises(ValueError, match="empty"):
        helpers.rmse_rdd(sc.parallelize([], 2))


def scripted_clock(monkeypatch, durations):
    """Make helpers.timing's clock report the given durations, one per timed block, in order."""
    ticks = iter(np.cumsum([0.0] + [x for d in durations for x in (d, 100.0)]))
    monkeypatch.setattr(timing, "clock", lambda: float(next(ticks)))


def test_time_it_is_the_median_of_the_timed_runs_after_the_warmup(monkeypatch):
    calls = []
    # The timed runs take 5, 1 and 2 s: their median is 2 (their mean 2.67). Warm-ups are not
    # timed: timing them would read the script's durations in the wrong order.
    scripted_clock(monkeypatch, [5.0, 1.0, 2.0])
    assert helpers.time_it(lambda: calls.append(1), repeat=3, warmup=2) == 2.0
    assert len(calls) == 5


def test_timing_rejects_bad_input():
    with pytest.raises(ValueError):
        helpers.time_it(lambda: None, repeat=0)
    with pytest.raises(ValueError):
        helpers.loglog_slope([1], [1])
    with pytest.raises(ValueError):
        helpers.loglog_slope([1, 0], [1, 2])
