"""Root pytest configuration: environment for Spark, the test tiers, and nbval cells on one worker.

Tiers (``make test-quick``, ``test-notebooks``, ``test-grading``, ``test-system``; ``make test`` runs
them all; ``make test-machines``, every master on 8 cores and on a cluster, is a fifth that
``make test`` leaves out and ``.ci/run`` runs after it). A module names its tier with
``pytestmark = pytest.mark.<tier>`` (one tier per module); nbval's notebook cells are
``notebooks``; everything else, doctests included, is ``quick``.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

# Spark's Python workers (and notebook kernels started by nbval) must run this interpreter.
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
os.environ.setdefault("PYTHONHASHSEED", "0")
# Tests and nbval kernels run side by side: no Spark UI ports to fight over.
os.environ.setdefault("DISTML_SPARK_UI", "0")

TIERS = ("quick", "notebooks", "grading", "system", "machines")
ROOT = Path(__file__).resolve().parent


# nbval runs every master in the kernel tests/uci_copy.py writes: Spark on one core (a 1-core
# laptop or a 1-CPU pod) and the songs as `make lab` prepares them from the UCI archive, in
# another order than the shared copy. So the one top-to-bottom run of each master proves it on a
# structure and a data path this machine does not have by default (tests/test_other_machines.py,
# in `make test-machines`, runs every master on 8 cores and on a cluster).
def _uci_copy():
    import importlib.util

    spec = importlib.util.spec_from_file_location("uci_copy", ROOT / "tests" / "uci_copy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pytest_configure(config):
    nbval = getattr(config.option, "nbval_lax", False) or getattr(config.option, "nbval", False)
    # a kernel chosen on the command line (--nbval-kernel-name, --current-env) is kept
    chosen = (getattr(config.option, "nbval_kernel_name", None)
              or getattr(config.option, "current_env", False))
    if nbval and not chosen:
        uci_copy = _uci_copy()
        if not hasattr(config, "workerinput"):  # xdist's controller (or no xdist): once
            try:
                uci_copy.write_nbval_kernel()
            except Exception as err:  # noqa: BLE001 - the masters then say what is missing
                print(f"nbval runs the masters in their own kernel: no UCI copy ({err})")
        if uci_copy.nbval_kernel_written():
            config.option.nbval_kernel_name = uci_copy.NBVAL_KERNEL
    for tier, what in zip(TIERS, (
            "unit tests and doctests: seconds each, Spark in local mode at most",
            "every master notebook top to bottom (nbval) and the student notebooks' set-up",
            "otter and the sandboxed grader on the corpus and the hostile set",
            "the standalone cluster and the browser",
            "every master top to bottom on 8 cores and on the cluster (not in make test)")):
        config.addinivalue_line("markers", f"{tier}: {what}")


@pytest.fixture(scope="session")
def spark():
    """One SparkSession for every test in this process (xdist: one per worker)."""
    from helpers import get_spark

    session = get_spark("distml-tests", partitions=4)
    yield session
    session.stop()


@pytest.fixture(scope="session")
def sc(spark):
    return spark.sparkContext


@pytest.fixture(autouse=True)
def _spark_for_doctests(request):
    """Doctests that use ``sc`` get the session's SparkContext (the others start no JVM)."""
    from _pytest.doctest import DoctestItem

    if isinstance(request.node, DoctestItem) and any(
            re.search(r"\bsc\b", example.source) for example in request.node.dtest.examples):
        request.node.dtest.globs["sc"] = request.getfixturevalue("sc")


def pytest_itemcollected(item):
    """Give every item exactly one tier, and keep a notebook's cells on one xdist worker.

    nbval makes one test item per cell and the cells share one kernel, so they must run in
    order in the same process (``--dist loadgroup``); everything else is spread over the workers.
    (Marked here, as each item is collected, so xdist's own collection hook always sees the mark.)
    """
    path = Path(str(item.fspath))
    if path.suffix == ".ipynb":
        item.add_marker(pytest.mark.notebooks)
        item.add_marker(pytest.mark.xdist_group(name=f"{path.parent.name}-{path.stem}"))
    tiers = {m.name for m in item.iter_markers() if m.name in TIERS}
    if not tiers:
        item.add_marker(pytest.mark.quick)
    elif len(tiers) > 1:
        raise pytest.UsageError(f"{item.nodeid} is in more than one tier: {sorted(tiers)}")


# The longest units of work first (xdist hands a worker its next group or test in collection
# order): the sandboxed batch, then otter's per-topic runs, the cluster and the browser, each
# master under nbval; the many short tests fill the gaps at the end instead of leaving one
# worker alone with a long group.
_FIRST = ("grader", "otter-", "cluster", "browser", "source-", "grader-")


def _rank(item) -> int:
    group = item.get_closest_marker("xdist_group")
    name = (group.kwargs.get("name") or (group.args[0] if group.args else "")) if group else ""
    for rank, prefix in enumerate(_FIRST):
        if name == prefix or (prefix.endswith("-") and name.startswith(prefix)):
            return rank
    return len(_FIRST)


def pytest_collection_modifyitems(config, items):
    items.sort(key=_rank)  # stable: a notebook's cells keep their order
