"""The one place that starts Spark for the notebooks, the tests and the grader.

Every notebook calls :func:`get_spark` instead of copying builder boilerplate. The master comes
from ``DISTML_SPARK_MASTER`` (``local[*]`` by default; any ``spark://``, ``yarn`` or ``k8s://``
URL passes through), so the same notebook runs on a laptop or a cluster unchanged.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from helpers.environment import EnvironmentProblem, problems
from helpers.progress import watch_spark_jobs
from helpers.sparkui import plan_ui
from helpers.resources import (available_cpus, available_memory, driver_memory, memory_problem,
                               partitions_override)

__all__ = ["get_spark", "default_partitions", "spark_master", "jvm_log_path", "class_archive",
           "build_class_archive"]

_LOG4J = Path(__file__).with_name("log4j2.properties")


def spark_master() -> str:
    """The master URL: ``$DISTML_SPARK_MASTER`` or ``local[*]``."""
    return os.environ.get("DISTML_SPARK_MASTER", "").strip() or "local[*]"


def default_partitions(master: str | None = None) -> int:
    """A sensible partition count: ``$DISTML_PARTITIONS`` if set; else two per core in local mode
    (at least 4), else 8.

    Two per core keeps both cores busy when one task is slower; more only adds the fixed cost
    of each task (scheduling and serialisation; notebook 02 measures a job's). ``local[*]``
    counts the cores this process may really use (:func:`helpers.resources.available_cpus`: its
    CPU affinity and the cgroup CPU quota of a container or JupyterHub pod), not the host's.

    >>> default_partitions("local[1]")
    4
    >>> default_partitions("local[3]")
    6
    >>> default_partitions("spark://example:7077")
    8
    """
    override = partitions_override()
    if override:
        return override
    master = master or spark_master()
    if master.startswith("local"):
        inside = master[master.find("[") + 1:master.find("]")] if "[" in master else "1"
        cores = available_cpus() if inside.startswith("*") else int(inside.split(",")[0])
        return max(4, 2 * cores)
    return 8


# The daemon local Python workers are forked by (see distml_worker_daemon.py).
WORKER_DAEMON = "distml_worker_daemon"


def get_spark(app_name: str = "distml", *, partitions: int | None = None,
              ui: bool | None = None, quiet: bool = True):
    """Return a SparkSession (reusing the running one), configured for the course.

    Args:
        app_name: shown in the Spark UI.
        partitions: ``spark.default.parallelism``; :func:`default_partitions` if None.
            The driver's heap is ``$DISTML_DRIVER_MEMORY``, else a third of the memory this
            process may use (the container's limit, if any), between 512 MiB and 2 GiB; when
            that memory is too small for a notebook a warning says so.
        ui: start the Spark UI (``$DISTML_SPARK_UI``, default on). Its address is printed: on a
            JupyterHub or Binder, the address through the notebook server (:mod:`helpers.sparkui`).
        quiet: only errors in the log, and no ``[Stage 0:>`` progress bars in cell outputs (in
            a Jupyter kernel, :func:`helpers.progress.watch_spark_jobs` shows progress instead).

    Returns:
        pyspark.sql.SparkSession; its ``.sparkContext`` is the SparkContext ``sc``. A session
        already running is returned as it is: the arguments only shape a session that starts.

    Raises:
        EnvironmentProblem: Java (or Python) is missing or too old, with how to fix it (checked
        when a session starts).
    """
    from pyspark import SparkConf, SparkContext  # imported here: importing helpers stays cheap
    from pyspark.sql import SparkSession

    active = SparkContext._active_spark_context
    if active is not None:  # a second call in the same kernel shares the running session; its
        return SparkSession(active)  # Java is known to work (no `java -version` per call)
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

    memory = os.environ.get("DISTML_DRIVER_MEMORY", "").strip()
    if not memory:
        available = available_memory()
        if memory_problem(available):
            print(f"Warning: {memory_problem(available)}", file=sys.stderr)
        memory = driver_memory(available)
    conf = (
        SparkConf().setMaster(master).setAppName(app_name)
        .set("spark.default.parallelism", str(partitions))
        .set("spark.sql.shuffle.partitions", str(partitions))
        .set("spark.ui.enabled", str(ui).lower())
        .set("spark.ui.showConsoleProgress", str(not quiet).lower())
        .set("spark.driver.memory", memory)
        .set("spark.log.level", "ERROR" if quiet else "WARN")
        .set("spark.executorEnv.PYTHONHASHSEED", os.environ.get("PYTHONHASHSEED", "0"))
    )
    if hasattr(socket, "AF_UNIX"):  # not on Windows
        # Unix domain sockets, not loopback TCP, between Python and the JVM: executors and
        # their Python workers, and the driver's own transfers (parallelize, collect,
        # accumulators). A trivial 3-task job costs about 110 ms of CPU instead of 260 here.
        conf.set("spark.python.unix.domain.socket.enabled", "true")
    if master.startswith("local") and _workers_can_import(WORKER_DAEMON):
        conf.set("spark.python.daemon.module", WORKER_DAEMON)
    java_options = _driver_java_options(quiet)
    if java_options:
        conf.set("spark.driver.extraJavaOptions", java_options)
    ui_plan = plan_ui() if ui else None
    for key, value in (ui_plan.conf if ui_plan else {}).items():
        conf.set(key, value)
    sc = SparkContext(conf=conf, gateway=_launch_jvm(conf, quiet))
    spark = SparkSession(sc)
    if not master.startswith("local"):
        # Executors on other hosts need helpers too (data generation runs there): ship it.
        sc.addPyFile(str(_zip_package()))
    if ui and sc.uiWebUrl:
        print(f"Spark {spark.version} on {sc.master}: {sc.defaultParallelism} partitions by "
              f"default; Spark UI at {ui_plan.link(sc.uiWebUrl)}")
    else:
        print(f"Spark {spark.version} on {sc.master}: {sc.defaultParallelism} partitions by default")
    watch_spark_jobs(sc)  # in a Jupyter kernel: live job progress under each running cell
    return spark


def _workers_can_import(module: str) -> bool:
    """Whether local Python workers can import the top-level ``module``: they run
    ``$PYSPARK_PYTHON`` (this interpreter, or not at all) in this working directory, so ask a
    fresh process of it (``find_spec`` finds without importing). Not when the module is only on
    this kernel's ``sys.path``, nor under another Python."""
    if os.environ.get("PYSPARK_PYTHON") != sys.executable:
        return False
    try:
        found = subprocess.run(
            [sys.executable, "-c", "import importlib.util, sys; "
             f"sys.exit(importlib.util.find_spec({module!r}) is None)"],
            capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return found.returncode == 0


def class_archive() -> Path:
    """Where :func:`build_class_archive` keeps the JVM's class-data archive for this Spark.

    Inside the environment (``sys.prefix``), so it goes away with it and every process that
    runs this Python, the grader's sandbox included, can read it.
    """
    from pyspark import __version__
    return Path(sys.prefix) / "share" / "distml" / f"spark-{__version__}.jsa"


def _driver_java_options(quiet: bool) -> str:
    """The driver JVM's options: the quiet log set-up, the class archive, ``$DISTML_JAVA_OPTIONS``."""
    extra = os.environ.get("DISTML_JAVA_OPTIONS", "").strip()
    options = [f"-Dlog4j2.configurationFile=file:{_LOG4J}"] if quiet else []
    archive = class_archive()
    if archive.is_file() and "ArchiveClassesAtExit" not in extra:
        # Classes mapped from one archive, not read and verified from ~280 jars: a session
        # starts in 3.5 s instead of 5.9 (measured here). Another Java or Spark makes the JVM
        # ignore the archive (Xshare:auto).
        options += [f"-XX:SharedArchiveFile={archive}", "-Xshare:auto", "-Xlog:cds=off",
                    "-Xlog:cds+dynamic=off"]
    return " ".join(options + ([extra] if extra else []))


# What the archive is trained on: the classes a notebook loads (RDDs, tree reductions,
# DataFrames, MLlib's LinearRegression), so that they all come from the archive.
_TRAINING = """
import numpy as np, helpers
from pyspark.ml.linalg import Vectors
from pyspark.ml.regression import LinearRegression
spark = helpers.get_spark("distml-class-archive", ui=False)
blocks, _ = helpers.synthetic_blocks(spark.sparkContext, 2000, 3)
helpers.closed_form_blocks(blocks.cache())
points = helpers.to_points(blocks)
points.map(lambda p: p.features.toArray() * p.label).sum()
helpers.split_data(points)[0].count()
df = spark.createDataFrame([(Vectors.dense(p.features.toArray()), float(p.label))
                            for p in points.take(200)], ["features", "label"])
LinearRegression(solver="normal").fit(df)
LinearRegression(solver="l-bfgs", maxIter=3).fit(df)
jvm = spark.sparkContext._gateway.proc
spark.stop()
jvm.stdin.close()  # the JVM exits when its stdin closes, and writes the archive on the way out
jvm.wait(timeout=600)
"""


def build_class_archive(*, force: bool = False) -> Path | None:
    """Record the classes Spark loads into :func:`class_archive` (``make setup`` calls this).

    One training run of about a minute; every later :func:`get_spark` then maps the archive.
    Returns the archive's path, or None (with the reason printed) if this Java cannot make one.
    """
    import subprocess
    import tempfile

    archive = class_archive()
    if archive.is_file() and not force:
        return archive
    print(f"Recording the classes Spark loads in {archive} (once, about a minute)...", flush=True)
    archive.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".jsa", dir=archive.parent)
    os.close(fd)
    os.unlink(tmp)  # the JVM writes it at exit; renamed only when complete
    env = dict(os.environ, DISTML_JAVA_OPTIONS=f"-XX:ArchiveClassesAtExit={tmp}",
               DISTML_SPARK_MASTER="local[2]", DISTML_SPARK_LOG=f"{tmp}.log")
    run = subprocess.run([sys.executable, "-c", _TRAINING], env=env, capture_output=True,
                         text=True, timeout=900)
    if run.returncode != 0 or not Path(tmp).is_file():
        print(f"No JVM class archive (Spark starts, only more slowly): {run.stderr[-500:]}")
        Path(tmp).unlink(missing_ok=True)
        return None
    os.replace(tmp, archive)
    Path(f"{tmp}.log").unlink(missing_ok=True)
    return archive


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
