"""Every model-vs-measurement pair the masters print agrees with its measurement, on the partition
and task structure of other machines.

The masters print each pair through ``CommunicationMeter.check`` (helpers/meter.py), which also
records it; this test runs the cells that print pairs (and the cells they need) in a fresh
Python process per machine, reads the records, and judges each one again, here, by the
tolerance the notebooks state: measured − model between 0 and 1% of the model plus
``per_task`` bytes for each task.

One run, kept lean (one Spark session for all the cells): ``local[8]`` (an 8-core laptop: 16
partitions, of which treeReduce sends 4 to the driver) on the shared data; there the songs must
keep ``helpers.datasets.SONG_PARTITIONS`` partitions, so that their seeded split, and every figure
computed from it, is the same as on this machine. ``local[1]`` (a
1-core laptop or a 1-CPU pod: 4 partitions, no tree level) on a copy prepared by
``helpers.datafiles`` from a UCI-format archive (``tests/uci_copy.py``: the shared songs in
shuffled order, as the UCI copy is not sorted by year) is where nbval runs every master top to
bottom, strict checks on (``conftest.py``); the last test here checks that kernel. Other
partition counts are checked against Spark in tests/test_meter.py
(``test_tree_reduce_sends_what_the_cost_model_says``). Notebook tier.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.notebooks

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "autograder" / "source"

# Per master: the cells that print pairs and the cells they need, in notebook order (cell ids).
CELLS = {
    "01_closed_form": ["01-004", "01-006", "01-008", "01-042"],
    "02_gradient_descent": ["02-004", "02-006", "02-091"],
    "03_communication": ["03-004", "03-006", "03-013", "03-015", "03-020", "03-030", "03-032",
                         "03-037", "03-049", "03-059", "03-064", "03-065"],
}
# How many pairs each prints: a cell that stops printing them fails the test.
PAIRS = {"01_closed_form": 6, "02_gradient_descent": 4, "03_communication": 16}

RUNNER = r"""
import dataclasses, json, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from helpers.meter import checks

plan = json.loads(sys.stdin.read())
results = {}
for name, cells in plan.items():
    before = len(checks())
    namespace = {"__name__": "__main__"}
    for cell_id, source in cells:
        print(f"running {name} {cell_id}", file=sys.stderr, flush=True)
        exec(compile(source, f"{name}.ipynb:{cell_id}", "exec"), namespace)
        plt.close("all")
    results[name] = [dataclasses.asdict(c) for c in checks()[before:]]
    if "songs" in namespace:  # the songs' partitioning, which decides their split
        results.setdefault("songs partitions", {})[name] = namespace["songs"].getNumPartitions()
print("PAIRS " + json.dumps(results))
"""


def cell_sources(name: str) -> dict[str, str]:
    notebook = json.loads((SOURCE / f"{name}.ipynb").read_text())
    return {c["id"]: "".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"}


def test_every_cell_that_prints_a_pair_is_run():
    for path in sorted(SOURCE.glob("*.ipynb")):
        printing = {cid for cid, src in cell_sources(path.stem).items() if ".check(" in src}
        assert printing <= set(CELLS.get(path.stem, [])), f"{path.stem}: add {printing} to CELLS"


def run_pairs(env_updates: dict) -> dict:
    plan = {name: [(cid, cell_sources(name)[cid]) for cid in ids] for name, ids in CELLS.items()}
    env = {k: v for k, v in os.environ.items() if k != "DISTML_PARTITIONS"}
    env.update(DISTML_SPARK_UI="0", MPLBACKEND="Agg", **env_updates)
    run = subprocess.run([sys.executable, "-c", RUNNER], input=json.dumps(plan), env=env,
                         cwd=REPO, capture_output=True, text=True, timeout=1800)
    lines = [line for line in run.stdout.splitlines() if line.startswith("PAIRS ")]
    assert run.returncode == 0 and lines, \
        f"cells failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return json.loads(lines[-1][len("PAIRS "):])


def assert_all_agree(results: dict):
    problems = []
    for name, pairs in results.items():
        if len(pairs) != PAIRS[name]:
            problems.append(f"{name}: {len(pairs)} pairs printed, expected {PAIRS[name]}")
        for p in pairs:
            extra = p["measured"] - p["model"]
            allowed = 0.01 * p["model"] + p["per_task"] * p["tasks"]
            if not 0 <= extra <= allowed:
                problems.append(f"{name}: {p['label']}: measured {p['measured']:,} B, model "
                                f"{p['model']:,} B, {p['tasks']} tasks: {extra:+,} B is outside "
                                f"[0, {allowed:,.0f}]")
    assert not problems, "\n".join(problems)


def test_pairs_agree_on_eight_cores():
    from helpers.datasets import SONG_PARTITIONS

    results = run_pairs({"DISTML_SPARK_MASTER": "local[8]"})
    songs = results.pop("songs partitions", {})
    # randomSplit draws per partition: another partitioning, another split and other figures
    assert songs and set(songs.values()) == {SONG_PARTITIONS}, \
        f"the songs' partitions on 8 cores {songs}, expected {SONG_PARTITIONS} on every machine"
    assert_all_agree(results)


def test_nbval_runs_the_masters_on_one_core_and_the_uci_prepared_copy():
    """The kernel nbval runs every master in (conftest.py): local[1] and the UCI-prepared songs,
    in shuffled order; with DISTML_STRICT_MODELS its pairs are asserted there, cell by cell."""
    from jupyter_client.manager import start_new_kernel

    import uci_copy

    uci_copy.write_nbval_kernel()
    manager, client = start_new_kernel(kernel_name=uci_copy.NBVAL_KERNEL)
    out = []
    try:
        client.execute_interactive(
            "import helpers, numpy as np\n"
            "p = helpers.datafiles.locate_millionsong(download=False)\n"
            "print(helpers.session.spark_master(), p, helpers.default_partitions(), "
            "np.all(np.diff(np.loadtxt(p, delimiter=',', usecols=0)) >= 0))",
            output_hook=lambda msg: out.append(msg["content"].get("text", "")), timeout=60)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    master, path, partitions, year_sorted = "".join(out).split()
    assert master == "local[1]" and partitions == "4" and year_sorted == "False"
    assert Path(path).parent == REPO / "build" / "test-data" / "uci"
