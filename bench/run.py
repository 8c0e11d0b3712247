"""``make bench``: the course's code against numpy, Spark's own floor and MLlib, in one run.

Every figure is the median of ``REPEAT`` runs after a warm-up, on the same generated data
(``helpers.make_regression`` on the driver and ``helpers.synthetic_blocks`` on the executors
produce identical rows). Prints a table and writes ``bench/results.json`` (seconds unless named
otherwise). Not part of ``make test``: timings are noisy and never asserted.

Usage: ``python bench/run.py [--quick] [--skip-notebooks] [--skip-grading]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import helpers

ROOT = Path(__file__).resolve().parents[1]
REPEAT = 3
ROWS_MAX_CELLS = 12_000_000  # row-at-a-time runs above n·d = 1.2e7 would take minutes each


def compute_outer_product(lp):
    """The lecture's row-at-a-time summand (notebook 01's reference answer)."""
    x = lp.features.toArray()
    return np.outer(x, x)


def rows_closed_form(points):
    XtX = points.map(compute_outer_product).reduce(lambda a, b: a + b)
    Xty = points.map(lambda lp: lp.label * lp.features.toArray()).reduce(lambda a, b: a + b)
    return np.linalg.solve(XtX, Xty)


def rows_gradient(points, w):
    return points.map(lambda lp: (lp.features.dot(w) - lp.label) * lp.features.toArray()).sum()


def machine(spark) -> dict:
    blas = "unknown"
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]
    except Exception:  # older numpy: no dict mode
        pass
    return {"cores": os.cpu_count(), "python": platform.python_version(),
            "numpy": np.__version__, "blas": blas, "spark": spark.version,
            "java": helpers.environment.java_version(), "platform": platform.platform(),
            "partitions": spark.sparkContext.defaultParallelism}


def mllib_frame(spark, X, y):
    """A cached DataFrame(features, label) of the same rows, built through Arrow (fast)."""
    import pandas as pd
    from pyspark.ml.feature import VectorAssembler

    spark.conf.set("spark.sql.execution.arrow.pyspark.enabled", "true")
    cols = [f"f{i}" for i in range(X.shape[1])]
    pdf = pd.DataFrame(X, columns=cols).assign(label=y)
    df = VectorAssembler(inputCols=cols, outputCol="features").transform(
        spark.createDataFrame(pdf)).select("features", "label").cache()
    df.count()
    return df


def bench_size(spark, n, d, with_mllib=True) -> tuple[dict, dict]:
    from pyspark.ml.regression import LinearRegression

    sc = spark.sparkContext
    P = sc.defaultParallelism
    X, y, _ = helpers.make_regression(n, d, seed=1, partitions=P)
    blocks, _ = helpers.synthetic_blocks(sc, n, d, seed=1, num_partitions=P)
    blocks = blocks.cache()
    blocks.count()
    w = np.full(d, 0.1)
    cf, gd = {}, {}
    cf["numpy"] = helpers.time_it(lambda: np.linalg.solve(X.T @ X, X.T @ y), repeat=REPEAT)
    cf["count_floor"] = gd["count_floor"] = helpers.time_it(blocks.count, repeat=REPEAT)
    cf["rdd_blocks"] = helpers.time_it(lambda: helpers.closed_form_blocks(blocks), repeat=REPEAT)
    gd["numpy"] = helpers.time_it(lambda: X.T @ (X @ w - y), repeat=REPEAT)
    gd["rdd_blocks"] = helpers.time_it(lambda: helpers.block_gradient(blocks, w), repeat=REPEAT)
    if n * d <= ROWS_MAX_CELLS:
        points = helpers.to_points(blocks).cache()
        points.count()
        cf["rdd_rows"] = helpers.time_it(lambda: rows_closed_form(points), repeat=REPEAT)
        gd["rdd_rows"] = helpers.time_it(lambda: rows_gradient(points, w), repeat=REPEAT)
        points.unpersist()
    else:
        cf["rdd_rows"] = gd["rdd_rows"] = None  # see ROWS_MAX_CELLS
    if with_mllib:
        df = mllib_frame(spark, X, y)
        normal = LinearRegression(solver="normal", fitIntercept=False, regParam=0.0)
        cf["mllib_normal"] = helpers.time_it(lambda: normal.fit(df), repeat=REPEAT)
        lbfgs = LinearRegression(solver="l-bfgs", fitIntercept=False, maxIter=10, tol=0.0)
        fits = []
        def fit_lbfgs():
            fits.append(lbfgs.fit(df).summary.totalIterations)
        seconds = helpers.time_it(fit_lbfgs, repeat=REPEAT)
        gd["mllib_lbfgs"] = seconds / max(1, fits[-1])
        gd["mllib_lbfgs_iterations"] = fits[-1]
        df.unpersist()
    else:
        cf["mllib_normal"] = gd["mllib_lbfgs"] = None
    blocks.unpersist()
    return cf, gd


def job_latency(sc) -> float:
    """Seconds for one round: a job with one tiny task per default partition, result to driver."""
    rdd = sc.parallelize(range(sc.defaultParallelism), sc.defaultParallelism).cache()
    rdd.count()
    return helpers.time_it(lambda: rdd.map(lambda x: x).sum(), repeat=10, warmup=2)


def notebook_times() -> dict:
    times = {}
    for master in sorted((ROOT / "autograder" / "source").glob("[0-9][0-9]_*.ipynb")):
        with tempfile.TemporaryDirectory() as tmp, helpers.Timer() as t:
            subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook",
                            "--execute", str(master), "--output-dir", tmp],
                           check=True, capture_output=True, cwd=master.parent)
        times[master.stem] = t.seconds
        print(f"  notebook {master.stem}: {t.seconds:.1f} s", flush=True)
    return times


def ratio(a, b):
    return None if a is None or b is None else a / b


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="n = 1e5 and 1e6 only")
    parser.add_argument("--skip-notebooks", action="store_true")
    args = parser.parse_args(argv)
    spark = helpers.get_spark("bench", ui=False)
    sc = spark.sparkContext
    results = {"machine": machine(spark), "repeat": REPEAT, "closed_form": {},
               "gd_iteration": {}}
    results["job_latency_s"] = job_latency(sc)
    print(f"job latency: {results['job_latency_s'] * 1000:.0f} ms", flush=True)
    ns = [100_000, 1_000_000] if args.quick else [100_000, 1_000_000, 4_000_000]
    for d in (12, 50):
        for n in helpers.progress(ns, desc=f"d={d}"):
            key = f"n={n},d={d}"
            cf, gd = bench_size(spark, n, d)
            results["closed_form"][key], results["gd_iteration"][key] = cf, gd
            print(f"  {key}: " + ", ".join(f"{k} {v:.3f}" for k, v in cf.items() if v), flush=True)
    spark.stop()
    if not args.skip_notebooks:
        results["notebooks"] = notebook_times()
    results["targets"] = targets(results)
    out = ROOT / "bench" / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)
    print(f"wrote {out.relative_to(ROOT)}")


def targets(r) -> dict:
    """The ratios the issue sets as targets, computed from this run."""
    cf, gd = r["closed_form"], r["gd_iteration"]
    t = {}
    one = cf.get("n=1000000,d=12", {})
    four = cf.get("n=4000000,d=12", {})
    t["closed_blocks_over_floor_1e6"] = ratio(one.get("rdd_blocks"), one.get("count_floor"))
    t["closed_blocks_over_numpy_1e6"] = ratio(one.get("rdd_blocks"), one.get("numpy"))
    t["closed_blocks_over_numpy_4e6"] = ratio(four.get("rdd_blocks"), four.get("numpy"))
    t["mllib_normal_over_closed_blocks_1e6"] = ratio(one.get("mllib_normal"), one.get("rdd_blocks"))
    g1 = gd.get("n=1000000,d=12", {})
    t["gd_blocks_over_floor_1e6"] = ratio(g1.get("rdd_blocks"), g1.get("count_floor"))
    t["gd_rows_over_blocks_1e6"] = ratio(g1.get("rdd_rows"), g1.get("rdd_blocks"))
    for kind, table in (("closed", cf), ("gd", gd)):
        for d in (12, 50):
            pts = [(int(k.split(",")[0][2:]), v["rdd_blocks"]) for k, v in table.items()
                   if k.endswith(f"d={d}")]
            big = [(n, s) for n, s in pts if n >= 1_000_000]
            if len(big) >= 2:
                t[f"{kind}_blocks_slope_d{d}"] = helpers.loglog_slope(*zip(*big))
    return t


def print_table(r) -> None:
    for name in ("closed_form", "gd_iteration"):
        print(f"\n{name} (seconds, median of {r['repeat']})")
        cols = sorted({c for v in r[name].values() for c in v})
        print(f"{'size':<18}" + "".join(f"{c:>14}" for c in cols))
        for key, row in r[name].items():
            cells = "".join(f"{row[c]:>14.3f}" if isinstance(row.get(c), (int, float))
                            else f"{'—':>14}" for c in cols)
            print(f"{key:<18}{cells}")
    print("\ntargets:")
    for k, v in r["targets"].items():
        print(f"  {k}: {v:.2f}" if v is not None else f"  {k}: —")


if __name__ == "__main__":
    main()
