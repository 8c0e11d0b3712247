"""The series runs unchanged on a real Spark standalone cluster (``make cluster-up``).

Brings up a master and two workers on 127.0.0.1, runs every master notebook against it end to
end (its otter checks are assertions, so they all pass or the cell fails), checks that the runs
used the cluster's executors, that the communication meter sees traffic there, and brings the
cluster down leaving nothing running.
"""

from __future__ import annotations

import json
import os
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


@pytest.mark.parametrize("master", MASTERS, ids=[m.stem for m in MASTERS])
def test_master_notebook_runs_on_the_cluster(spark_cluster, master, monkeypatch):
    monkeypatch.setenv("DISTML_SPARK_MASTER", spark_cluster)
    nb = nbformat.read(master, as_version=4)
    nb.cells = [c for c in nb.cells if c.cell_type != "raw"]
    NotebookClient(nb, timeout=900, kernel_name="python3",
                   resources={"metadata": {"path": str(master.parent)}}).execute()
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.outputs)
    assert f"on {spark_cluster}" in text, "the notebook did not connect to the cluster"
    apps = cluster.master_state()["completedapps"]
    ran = [a for a in apps if a["name"] == master.stem]
    assert ran and ran[-1]["cores"] >= 1, f"{master.stem} got no executors on the cluster: {apps}"


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
