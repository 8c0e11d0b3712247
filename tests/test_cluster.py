"""The series runs unchanged on a real Spark standalone cluster (``make cluster-up``).

Brings up a master and two workers on 127.0.0.1 and runs, in one application, for every master
notebook its set-up and its first distributed exercise with that exercise's tests (otter's test
cells are assertions, so they pass or the cell fails), checking that the application holds an
executor on each worker. The whole series runs end to end once in ``make test``, in local mode,
under nbval (``make test-notebooks``): here only what proves scale-out. (Every master top to
bottom on the cluster, every model-vs-measurement pair asserted between JVMs, is
``tests/test_other_machines.py``, in ``make test-machines``.) Then the communication meter must
see traffic between JVMs (in the same application), and the cluster must come down leaving
nothing running."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import cluster  # noqa: E402

MASTERS = sorted((ROOT / "autograder" / "source").glob("[0-9][0-9]_*.ipynb"))
# One worker runs the whole module.
pytestmark = [pytest.mark.system, pytest.mark.xdist_group(name="cluster")]


def _cluster(command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "tools" / "cluster.py"), command],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def spark_cluster():
    run = _cluster("up")
    assert run.returncode == 0, run.stdout + run.stderr
    assert cluster.alive_workers() == cluster.WORKERS
    again = _cluster("up")  # idempotent
    assert again.returncode == 0 and "already up" in again.stdout
    yield cluster.MASTER_URL
    pids = cluster._pids()
    run = _cluster("down")
    assert run.returncode == 0, run.stderr
    assert not any(cluster._alive(pid) for pid in pids.values()), "cluster processes left running"
    assert cluster.master_state() is None
    assert _cluster("down").returncode == 0  # idempotent


# The first exercise of each notebook whose tests run Spark jobs: the notebook runs on the cluster
# down to the end of that question (its answer cell and its tests).
DISTRIBUTED_EXERCISE = {"01_closed_form": "prepareSongs", "02_gradient_descent": "calcRMSE",
                        "03_communication": "gridSearchBroadcast",
                        "04_minibatch": "localLinearRegression"}


def cells_through(nb, question: str) -> list:
    """The notebook's cells down to the end of ``question`` (otter's raw markers dropped)."""
    marker = re.compile(rf"# BEGIN QUESTION\s*\nname:\s*{question}\s*\n")
    start = next(i for i, c in enumerate(nb.cells) if c.cell_type == "raw" and marker.search(c.source))
    end = next(i for i in range(start, len(nb.cells))
               if nb.cells[i].cell_type == "raw" and "# END QUESTION" in nb.cells[i].source)
    return [c for c in nb.cells[:end] if c.cell_type != "raw"]


def test_every_master_has_a_distributed_exercise_here():
    assert sorted(DISTRIBUTED_EXERCISE) == [m.stem for m in MASTERS]


# One application for the whole series (one driver, one executor per worker): for each master
# in turn, in a namespace of its own, the cells down to the end of its first distributed
# exercise, in notebook order. A master's error is recorded and the next master still runs.
SERIES = r"""
import contextlib, io, json, os, sys, traceback
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

plan = json.loads(sys.stdin.read())
results = {}
for name, cells in plan.items():
    out, error = io.StringIO(), None
    namespace = {"__name__": "__main__"}
    try:
        with contextlib.redirect_stdout(out):
            for cell_id, source in cells:
                print(f"running {name} {cell_id}", file=sys.stderr, flush=True)
                exec(compile(source, f"{name}.ipynb:{cell_id}", "exec"), namespace)
                plt.close("all")
    except BaseException:
        error = traceback.format_exc(limit=6)
    sc = namespace.get("sc")
    executors = sc._jsc.sc().getExecutorMemoryStatus().size() - 1 if sc else 0  # minus the driver
    results[name] = {"output": out.getvalue()[-20000:], "error": error, "executors": executors,
                     "master": sc.master if sc else None}
# Then, in the same application, a job whose results and shuffle blocks cross between JVMs.
import numpy as np, helpers
sc = helpers.get_spark("distml-series").sparkContext
pairs = sc.parallelize(range(40_000), 4).map(lambda i: (i % 97, np.ones(4)))
with helpers.meter(sc) as m:
    pairs.reduceByKey(lambda a, b: a + b).collect()
results["metered job"] = {"master": sc.master, "result": m.result_bytes,
                          "shuffle": m.shuffle_read_bytes,
                          "executors": sc._jsc.sc().getExecutorMemoryStatus().size() - 1}
print("SERIES " + json.dumps(results))
"""


def series_plan() -> dict:
    plan = {}
    for master in MASTERS:
        nb = nbformat.read(master, as_version=4)
        wanted = {c.id for c in cells_through(nb, DISTRIBUTED_EXERCISE[master.stem])}
        plan[master.stem] = [(c.id, c.source) for c in nb.cells
                             if c.cell_type == "code" and c.id in wanted]
    return plan


@pytest.fixture(scope="module")
def series_on_cluster(spark_cluster):
    env = dict(os.environ, DISTML_SPARK_MASTER=spark_cluster, DISTML_SPARK_UI="0",
               MPLBACKEND="Agg")
    env.pop("DISTML_PARTITIONS", None)
    run = subprocess.run([sys.executable, "-c", SERIES], input=json.dumps(series_plan()),
                         env=env, cwd=MASTERS[0].parent, capture_output=True, text=True,
                         timeout=1800)
    lines = [line for line in run.stdout.splitlines() if line.startswith("SERIES ")]
    assert run.returncode == 0 and lines, f"{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return spark_cluster, json.loads(lines[-1][len("SERIES "):])


@pytest.mark.parametrize("master", MASTERS, ids=[m.stem for m in MASTERS])
def test_setup_and_a_distributed_exercise_run_on_both_workers(series_on_cluster, master):
    """Set-up, the first distributed exercise and its tests (otter's test cells are assertions),
    with the application's executors on both workers."""
    url, results = series_on_cluster
    got = results[master.stem]
    assert got["error"] is None, f"{master.stem} failed on the cluster:\n{got['error']}"
    assert got["master"] == url, f"{master.stem} ran on {got['master']}, not on the cluster"
    assert got["executors"] == cluster.WORKERS, (
        f"{master.stem} holds {got['executors']} executors, one per worker expected")


def test_meter_reports_network_traffic_on_the_cluster(series_on_cluster):
    url, results = series_on_cluster
    got = results["metered job"]
    assert got["master"] == url and got["executors"] == cluster.WORKERS, got
    # Executors are separate JVMs: task results and shuffle blocks cross sockets to get here.
    assert got["result"] > 0 and got["shuffle"] > 0, got
