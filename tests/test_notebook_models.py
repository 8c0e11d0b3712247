"""Every model-vs-measurement pair the masters print agrees with its measurement: the tolerance,
the count per master, and the kernel nbval runs the masters in.

The masters print each pair through ``CommunicationMeter.check`` (helpers/meter.py), which also
records it, and with ``DISTML_STRICT_MODELS=1`` (``make test`` sets it) a pair that disagrees
fails its cell. nbval runs every master top to bottom in a kernel with ``local[1]`` (a 1-core
laptop or a 1-CPU pod: 4 partitions, no tree level) on a copy prepared by ``helpers.datafiles``
from a UCI-format archive (``tests/uci_copy.py``: the shared songs in shuffled order, as the UCI
copy is not sorted by year): the last test here checks that kernel. ``tests/test_other_machines.py``
(``make test-machines``) runs every master top to bottom on ``local[8]`` (an 8-core laptop: 16
partitions, of which treeReduce sends 4 to the driver) and on a standalone cluster, and judges
every pair again with :func:`assert_all_agree`, by the tolerance the notebooks state: measured −
model between 0 and 1% of the model plus ``per_task`` bytes for each task. Other partition
counts are checked against Spark in tests/test_meter.py
(``test_tree_reduce_sends_what_the_cost_model_says``). Notebook tier.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.notebooks

REPO = Path(__file__).resolve().parents[1]

# How many pairs each prints: a cell that stops printing them fails the test.
PAIRS = {"01_closed_form": 6, "02_gradient_descent": 4, "03_communication": 16}


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
