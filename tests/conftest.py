"""Shared fixtures: one Spark session per test process, and the nbval/xdist grouping."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Spark's Python workers must run this interpreter (it has numpy and helpers).
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
os.environ.setdefault("DISTML_SPARK_UI", "0")


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


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Keep every cell of a notebook on one xdist worker (``--dist loadgroup``).

    nbval makes one test item per cell and the cells share one kernel, so they must run in
    order in the same process; everything else is spread over the workers.
    """
    for item in items:
        path = Path(str(item.fspath))
        if path.suffix == ".ipynb":
            item.add_marker(pytest.mark.xdist_group(name=path.stem + "-" + path.parent.name))
