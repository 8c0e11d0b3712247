"""Root pytest configuration: environment for Spark, and nbval notebooks kept on one worker."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# Spark's Python workers (and notebook kernels started by nbval) must run this interpreter.
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
os.environ.setdefault("PYTHONHASHSEED", "0")
# Tests and nbval kernels run side by side: no Spark UI ports to fight over.
os.environ.setdefault("DISTML_SPARK_UI", "0")


def pytest_itemcollected(item):
    """Keep every cell of a notebook on one xdist worker (``--dist loadgroup``).

    nbval makes one test item per cell and the cells share one kernel, so they must run in
    order in the same process; everything else is spread over the workers. (Marked here, as
    each item is collected, so xdist's own collection hook always sees the mark.)
    """
    path = Path(str(item.fspath))
    if path.suffix == ".ipynb":
        item.add_marker(pytest.mark.xdist_group(name=f"{path.parent.name}-{path.stem}"))
