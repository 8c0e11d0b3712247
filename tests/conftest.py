"""Shared fixtures: one Spark session per test process (see also the root conftest.py)."""

from __future__ import annotations

import pytest


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
