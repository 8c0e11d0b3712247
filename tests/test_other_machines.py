"""Every master, top to bottom, on the machines students use that this one is not (issue 16).

``make test`` runs each master top to bottom once, under nbval, with Spark on one core and the
songs as ``make lab`` prepares them from the UCI archive (``conftest.py``). Here, in the
``machines`` tier (``make test-machines``, which ``.ci/run`` runs after ``make test``), every
master runs top to bottom again on two other structures, each in one Python process and one
Spark application for the four masters (a master's error is recorded and the next one runs):

- ``local[8]``: an 8-core laptop's partitions and tasks (16 partitions by default, so
  ``treeReduce`` adds a level), on the shared copy of the songs;
- a standalone cluster (``tools/cluster.py``: a master and two workers on 127.0.0.1, an executor
  on each, results crossing sockets between JVMs), on the UCI-prepared copy.

So each master has run on one core, on eight and on a cluster, and on both data paths. Every
cell runs as in a fresh kernel (its otter test cells are assertions on the master's own answers),
with ``DISTML_STRICT_MODELS=1`` (a printed model-vs-measurement pair that disagrees fails its
cell), and each master must print as many pairs as it does here, each within the notebooks'
stated tolerance (:func:`test_notebook_models.assert_all_agree`). The songs keep their
partitioning on every machine, so their seeded split, and every figure computed from it, is the
same.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from test_cluster import spark_cluster  # noqa: F401 - the fixture, brought up here too
from test_notebook_models import PAIRS, assert_all_agree

pytestmark = pytest.mark.machines

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "autograder" / "source"
MASTERS = sorted(SOURCE.glob("[0-9][0-9]_*.ipynb"))

# One process: each master in a namespace of its own, every code cell in order, figures closed.
SERIES = r"""
import contextlib, dataclasses, io, json, os, sys, traceback
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from helpers.meter import checks

plan = json.loads(sys.stdin.read())
results = {}
for name, cells in plan.items():
    before, out, error = len(checks()), io.StringIO(), None
    namespace = {"__name__": "__main__"}
    try:
        with contextlib.redirect_stdout(out):
            for cell_id, source in cells:
                print(f"running {name} {cell_id}", file=sys.stderr, flush=True)
                exec(compile(source, f"{name}.ipynb:{cell_id}", "exec"), namespace)
                plt.close("all")
    except BaseException:
        error = traceback.format_exc(limit=8)
    sc = namespace.get("sc")
    songs = namespace.get("songs")
    results[name] = {
        "error": error, "output": out.getvalue()[-20000:],
        "master": sc.master if sc else None,
        # executors registered with the driver, minus the driver itself
        "executors": sc._jsc.sc().getExecutorMemoryStatus().size() - 1 if sc else 0,
        "songs partitions": songs.getNumPartitions() if songs is not None else None,
        "pairs": [dataclasses.asdict(c) for c in checks()[before:]]}
print("SERIES " + json.dumps(results))
"""


def run_series(env_updates: dict) -> dict:
    """Every master's code cells, in order, in one process with ``env_updates`` set:
    ``{master: {"error", "output", "master", "executors", "songs partitions", "pairs"}}``."""
    plan = {}
    for master in MASTERS:
        cells = json.loads(master.read_text())["cells"]
        plan[master.stem] = [(c["id"], "".join(c["source"])) for c in cells
                             if c["cell_type"] == "code"]
    env = {k: v for k, v in os.environ.items() if k != "DISTML_PARTITIONS"}
    env.update(DISTML_SPARK_UI="0", MPLBACKEND="Agg", DISTML_STRICT_MODELS="1", **env_updates)
    # From the masters' folder, as nbval runs them.
    run = subprocess.run([sys.executable, "-c", SERIES], input=json.dumps(plan), env=env,
                         cwd=SOURCE, capture_output=True, text=True, timeout=2400)
    lines = [line for line in run.stdout.splitlines() if line.startswith("SERIES ")]
    assert run.returncode == 0 and lines, f"{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return json.loads(lines[-1][len("SERIES "):])


def uci_data_dir() -> str:
    """The UCI-prepared copy of the songs (the one nbval's kernel uses), made if missing."""
    import uci_copy

    return str(uci_copy.prepare(REPO / "build" / "test-data" / "uci"))


@pytest.fixture(scope="module")
def eight_cores():
    return run_series({"DISTML_SPARK_MASTER": "local[8]"})


@pytest.fixture(scope="module")
def on_the_cluster(spark_cluster):  # noqa: F811 - the fixture imported above
    return spark_cluster, run_series({"DISTML_SPARK_MASTER": spark_cluster,
                                      "DISTML_DATA_DIR": uci_data_dir()})


def _check_every_master(results: dict, master_url: str, executors: int | None = None) -> None:
    from helpers.datasets import SONG_PARTITIONS

    problems = []
    for name, got in results.items():
        if got["error"]:
            problems.append(f"{name} failed:\n{got['error']}")
            continue
        if got["master"] != master_url:
            problems.append(f"{name} ran on {got['master']}, not on {master_url}")
        if executors is not None and got["executors"] != executors:
            problems.append(f"{name} held {got['executors']} executors, not {executors}")
        if got["songs partitions"] not in (None, SONG_PARTITIONS):
            problems.append(f"{name}: the songs in {got['songs partitions']} partitions, not "
                            f"{SONG_PARTITIONS}: another split, other figures")
    assert sorted(results) == [m.stem for m in MASTERS]
    assert not problems, "\n".join(problems)
    assert_all_agree({name: results[name]["pairs"] for name in PAIRS})
    assert not [n for n, got in results.items() if got["pairs"] and n not in PAIRS], \
        "a master prints pairs PAIRS does not count"


@pytest.mark.xdist_group("machines-local8")
def test_every_master_runs_on_eight_cores(eight_cores):
    _check_every_master(eight_cores, "local[8]")


@pytest.mark.xdist_group("cluster")
def test_every_master_runs_on_the_cluster(on_the_cluster):
    """With an executor on each worker, and the UCI-prepared songs."""
    import cluster

    url, results = on_the_cluster
    _check_every_master(results, url, executors=cluster.WORKERS)
