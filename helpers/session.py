"""The one place that starts Spark for the notebooks, the tests and the grader.

Every notebook calls :func:`get_spark` instead of copying builder boilerplate. The master comes
from ``DISTML_SPARK_MASTER`` (``local[*]`` by default; any ``spark://``, ``yarn`` or ``k8s://``
URL passes through), so the same notebook runs on a laptop or a cluster unchanged.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from helpers.environment import EnvironmentProblem, problems

__all__ = ["get_spark", "default_partitions", "spark_master", "jvm_log_path"]

_LOG4J = Path(__file__).with_name("log4j2.properties")


def spark_master() -> str:
    """The master URL: ``$DISTML_SPARK_MASTER`` or ``local[*]``."""
    return os.environ.get("DISTML_SPARK_MASTER", "").strip() or "local[*]"


def default_partitions(master: str | None = None) -> int:
    """A sensible partition count: two per core in local mode (at least 4), else 8.

    Two per core keeps both cores busy when one task is slower; more only adds the ~25 ms that
    every task costs here.

    >>> default_partitions("local[1]")
    4
    >>> default_partitions("local[3]")
    6
    >>> default_partitions("spark://example:7077")
    8
    """
    master = master or spark_master()
    if master.startswith("local"):
        inside = master[master.find("[") + 1:master.find("]")] if "[" in master else "1"
        cores = (os.cpu_count() or 2) if inside.startswith("*") else int(inside.split(",")[0])
        return max(4, 2 * cores)
    return 8


def get_spark(app_name: str = "distml", *, partitions: int | None = None,
              ui: bool | None = None, quiet: bool = True):
    """Return a SparkSession (reusing the running one), configured for the course.

    Args:
        app_name: shown in the Spark UI.
        partitions: ``spark.default.parallelism``; :func:`default_partitions` if None.
        ui: start the Spark UI (``$DISTML_SPARK_UI``, default on). Its address is printed.
        quiet: only errors in the log, and no ``[Stage 0:>`` progress bars in cell outputs.

    Returns:
        pyspark.sql.SparkSession; its ``.sparkContext`` is the SparkContext ``sc``.

    Raises:
        EnvironmentProblem: Java (or Python) is missing or too old, with how to fix it.
    """
    found = problems()
    if found:
        raise EnvironmentProblem("\n".join(found))
    # Executors must run this environment's Python (numpy, helpers), whatever is on their PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    master = spark_master()
    if master.startswith("local"):
        # Stay on loopback: no hostname lookups, no ports opened to the network.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    if ui is None:
        ui = os.environ.get("DISTML_SPARK_UI", "1").lower() not in {"0", "false", "no", "off"}
    partitions = partitions or default_partitions(master)

    from pyspark import SparkConf, SparkContext  # imported here: importing helpers stays cheap
    from pyspark.sql import SparkSession

    active = SparkContext._active_spark_context
    if active is not None:  # a second call in the same kernel shares the running session
        return SparkSession(active)
    conf = (
        SparkConf().setMaster(master).setAppName(app_name)
        .set("spark.default.parallelism", str(partitions))
        .set("spark.sql.shuffle.partitions", str(partitions))
        .set("spark.ui.enabled", str(ui).lower())
        .set("spark.ui.showConsoleProgress", str(not quiet).lower())
        .set("spark.driver.memory", os.environ.get("DISTML_DRIVER_MEMORY", "2g"))
        .set("spark.log.level", "ERROR" if quiet else "WARN")
        .set("spark.executorEnv.PYTHONHASHSEED", os.environ.get("PYTHONHASHSEED", "0"))
    )
    if quiet:
        conf.set("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{_LOG4J}")
    sc = SparkContext(conf=conf, gateway=_launch_jvm(conf, quiet))
    spark = SparkSession(sc)
    if not master.startswith("local"):
        # Executors on other hosts need helpers too (data generation runs there): ship it.
        sc.addPyFile(str(_zip_package()))
    if ui and sc.uiWebUrl:
        print(f"Spark {spark.version} on {sc.master}: {sc.defaultParallelism} partitions by "
              f"default; Spark UI at {sc.uiWebUrl}")
    else:
        print(f"Spark {spark.version} on {sc.master}: {sc.defaultParallelism} partitions by default")
    return spark


def jvm_log_path() -> Path:
    """Where the JVM's own output goes (``$DISTML_SPARK_LOG`` or a file in the temp folder)."""
    import tempfile
    return Path(os.environ.get("DISTML_SPARK_LOG")
                or Path(tempfile.gettempdir()) / f"distml-spark-{os.getpid()}.log")


def _launch_jvm(conf, quiet: bool):
    """Start Spark's JVM, sending its console output to a log file when ``quiet``.

    Jupyter captures everything a kernel's child processes write to the terminal, so without
    this every notebook would open with JVM warnings; errors still reach Python as exceptions.
    """
    from pyspark.java_gateway import launch_gateway

    if not quiet:
        return launch_gateway(conf)
    path = jvm_log_path()
    with open(path, "ab") as log:
        try:
            return launch_gateway(conf, popen_kwargs={"stdout": log, "stderr": log})
        except Exception as err:
            tail = path.read_text(errors="replace").splitlines()[-15:]
            raise RuntimeError(f"Spark's JVM did not start ({err}); its log {path} ends with:\n"
                               + "\n".join(tail)) from None


def _zip_package() -> Path:
    """This helpers package as a zip in the temp folder, for ``SparkContext.addPyFile``."""
    import tempfile
    import zipfile

    package = Path(__file__).resolve().parent
    path = Path(tempfile.mkdtemp(prefix="distml-")) / "helpers.zip"
    with zipfile.ZipFile(path, "w") as z:
        for f in sorted(package.rglob("*")):
            if f.suffix in {".py", ".properties"} and "__pycache__" not in f.parts:
                z.write(f, Path("helpers") / f.relative_to(package))
    return path
