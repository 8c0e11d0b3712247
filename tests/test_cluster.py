"""The series runs unchanged on a real Spark standalone cluster (``make cluster-up``).

Brings up a master and two workers on 127.0.0.1 and runs, for every master notebook, its set-up
and its first distributed exercise with that exercise's tests (otter's test cells are assertions,
so they pass or the cell fails), while checking that the application holds executors on both
workers. The whole series runs end to end once, in local mode, under nbval (``make
test-notebooks``): here only what proves scale-out. Then the communication meter must see traffic
between JVMs, and the cluster must come down leaving nothing running.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

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
DISTRIBUTED_EXERCISE = {"01_closed_form": "linregClosedForm", "02_gradient_descent": "calcRMSE",
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


@pytest.mark.parametrize("master", MASTERS, ids=[m.stem for m in MASTERS])
def test_setup_and_a_distributed_exercise_run_on_both_workers(spark_cluster, master, monkeypatch):
    monkeypatch.setenv("DISTML_SPARK_MASTER", spark_cluster)
    nb = nbformat.read(master, as_version=4)
    nb.cells = cells_through(nb, DISTRIBUTED_EXERCISE[master.stem])
    client = NotebookClient(nb, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(master.parent)}})
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        # While the application still runs: where are its executors?
        state = cluster.master_state()
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.outputs)
    assert f"on {spark_cluster}" in text, "the notebook did not connect to the cluster"
    apps = [a for a in state["activeapps"] if a["name"] == master.stem]
    assert len(apps) == 1, f"{master.stem} is not running on the cluster: {state['activeapps']}"
    busy = [w["id"] for w in state["workers"] if w["state"] == "ALIVE" and w["coresused"] >= 1]
    assert len(busy) == cluster.WORKERS, (
        f"{master.stem} holds executors on {len(busy)} of {cluster.WORKERS} workers: {busy}")


METERED_JOB = r"""
import json, time, numpy as np, helpers
sc = helpers.get_spark("meter-on-cluster").sparkContext
deadline = time.monotonic() + 120  # executors register a few seconds after the context starts
while True:
    executors = sc._jsc.sc().getExecutorMemoryStatus().size() - 1  # minus the driver
    if executors >= WORKERS or time.monotonic() > deadline:
        break
    time.sleep(0.5)
pairs = sc.parallelize(range(40_000), 4).map(lambda i: (i % 97, np.ones(4)))
with helpers.meter(sc) as m:
    pairs.reduceByKey(lambda a, b: a + b).collect()
print(json.dumps({"master": sc.master, "executors": executors, "result": m.result_bytes,
                  "shuffle": m.shuffle_read_bytes}))
"""


def test_meter_reports_network_traffic_on_the_cluster(spark_cluster):
    env = dict(os.environ, DISTML_SPARK_MASTER=spark_cluster)
    run = subprocess.run([sys.executable, "-c", METERED_JOB.replace("WORKERS", str(cluster.WORKERS))],
                         capture_output=True, text=True,
                         env=env, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert got["master"] == spark_cluster and got["executors"] == cluster.WORKERS
    # Executors are separate JVMs: task results and shuffle blocks cross sockets to get here.
    assert got["result"] > 0 and got["shuffle"] > 0, got
