"""``make bench``: the course's code against numpy, Spark's own floor and MLlib, in one run.

Every figure is the median of ``REPEAT`` runs after a warm-up, on the same generated data
(``helpers.make_regression`` on the driver and ``helpers.synthetic_blocks`` on the executors
produce identical rows). Prints a table and writes ``bench/results.json`` (seconds unless named
otherwise). Not part of ``make test``: timings are noisy and never asserted.

Usage: ``python bench/run.py [--quick] [--skip-notebooks] [--skip-grading]``;
``--markdown`` prints the last results as bench/README.md's tables.
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
from helpers.resident import release, resident_synthetic_blocks

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


def bench_size(spark, n, d, with_mllib=True, warm=True) -> tuple[dict, dict]:
    """Closed form and one gradient step at size (n, d): every method on the same rows.

    ``warm`` adds one warm-up run before the three timed ones. The cheap methods always get it;
    the slow ones (row-at-a-time, MLlib) only at the first size, where it pays their one-off
    costs (Python workers, JIT, class loading) — repeating it at every size would cost minutes
    and change nothing.
    """
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
    resident(sc, n, d, cf, gd, w)
    if n * d <= ROWS_MAX_CELLS:
        points = helpers.to_points(blocks).cache()
        points.count()
        cf["rdd_rows"] = helpers.time_it(lambda: rows_closed_form(points), repeat=REPEAT,
                                         warmup=int(warm))
        gd["rdd_rows"] = helpers.time_it(lambda: rows_gradient(points, w), repeat=REPEAT,
                                         warmup=int(warm))
        points.unpersist()
    else:
        cf["rdd_rows"] = gd["rdd_rows"] = None  # see ROWS_MAX_CELLS
    if with_mllib:
        df = mllib_frame(spark, X, y)
        normal = LinearRegression(solver="normal", fitIntercept=False, regParam=0.0)
        cf["mllib_normal"] = helpers.time_it(lambda: normal.fit(df), repeat=REPEAT,
                                             warmup=int(warm))
        lbfgs = LinearRegression(solver="l-bfgs", fitIntercept=False, maxIter=10, tol=0.0)
        fits = []
        def fit_lbfgs():
            fits.append(lbfgs.fit(df).summary.totalIterations)
        seconds = helpers.time_it(fit_lbfgs, repeat=REPEAT, warmup=int(warm))
        gd["mllib_lbfgs"] = seconds / max(1, fits[-1])  # per iteration
        gd["mllib_lbfgs_iterations"] = fits[-1]         # a count, not seconds
        df.unpersist()
    else:
        cf["mllib_normal"] = gd["mllib_lbfgs"] = None
    blocks.unpersist()
    return cf, gd


def resident(sc, n, d, cf, gd, w) -> None:
    """Under the floor: the same blocks kept in the Python workers (:mod:`helpers.resident`).

    Three passes first let each worker build the blocks its tasks meet; ``resident_builds``
    counts the blocks still built during the measurements (a task that met a worker without
    its block), so the table never hides them.
    """
    rdd, builds, key = resident_synthetic_blocks(sc, n, d, seed=1,
                                                 num_partitions=sc.defaultParallelism)
    for _ in range(3):
        rdd.count()
    before = builds.value
    cf["rdd_resident"] = helpers.time_it(lambda: helpers.closed_form_blocks(rdd), repeat=REPEAT)
    gd["rdd_resident"] = helpers.time_it(lambda: helpers.block_gradient(rdd, w), repeat=REPEAT)
    cf["resident_builds"] = gd["resident_builds"] = builds.value - before  # a count
    release(sc, key)


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


def grading_throughput(workdir: Path) -> dict:
    """Seconds per submission: the project's grader (sandboxed, 2 jobs) against ``otter run``.

    The same submissions for both: the reference submission of every assignment the grader has
    a probe file for (all four questions' worth of work, the slowest case). A warm-up run on
    the blank student notebooks first computes (or finds cached) the grader's reference
    results, so both sides time grading only.
    """
    topics = sorted(p.stem for p in (ROOT / "autograder" / "questions").glob("[0-9][0-9]_*.py"))
    subs, blanks = workdir / "submissions", workdir / "blanks"
    subs.mkdir()
    blanks.mkdir()
    for topic in topics:
        (subs / f"{topic}-reference.ipynb").write_bytes(
            (ROOT / "autograder" / "samples" / topic / "reference.ipynb").read_bytes())
        (blanks / f"{topic}-blank.ipynb").write_bytes(
            (ROOT / "notebooks" / f"{topic}.ipynb").read_bytes())
    grader = [sys.executable, "-m", "autograder.grader", "--jobs", "2", "--no-progress",
              "--fresh"]
    subprocess.run(grader + [str(blanks), "--out", str(workdir / "warm-up.csv")], check=True,
                   capture_output=True, cwd=ROOT)
    with helpers.Timer() as project:
        subprocess.run(grader + [str(subs), "--out", str(workdir / "grades.csv")], check=True,
                       capture_output=True, cwd=ROOT)
    with helpers.Timer() as otter:
        for nb in sorted(subs.glob("*.ipynb")):
            topic = nb.stem.rsplit("-", 1)[0]
            zip_path = ROOT / "autograder" / "dist" / topic / "autograder" / f"{topic}-autograder.zip"
            out = workdir / "otter" / nb.stem
            out.mkdir(parents=True)
            subprocess.run([sys.executable, "-m", "otter", "run", "-a", str(zip_path), "-o",
                            str(out), str(nb)], check=True, capture_output=True, cwd=out)
    count = len(list(subs.glob("*.ipynb")))
    result = {"submissions": count, "project_jobs": 2,
              "project_s_per_submission": project.seconds / count,
              "otter_run_s_per_submission": otter.seconds / count}
    result["project_per_minute"] = 60 / result["project_s_per_submission"]
    result["otter_run_per_minute"] = 60 / result["otter_run_s_per_submission"]
    print(f"  grading: project {result['project_s_per_submission']:.1f} s per submission, "
          f"otter run {result['otter_run_s_per_submission']:.1f} s", flush=True)
    return result


def ratio(a, b):
    return None if a is None or b is None else a / b


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="n = 1e5 and 1e6 only")
    parser.add_argument("--skip-notebooks", action="store_true")
    parser.add_argument("--skip-grading", action="store_true")
    parser.add_argument("--markdown", action="store_true",
                        help="print bench/results.json as bench/README.md's tables; measure nothing")
    args = parser.parse_args(argv)
    if args.markdown:
        print_markdown(json.loads((ROOT / "bench" / "results.json").read_text()))
        return
    phases = {}  # wall seconds of each part of this run, to keep make bench under 15 minutes
    start = time.perf_counter()
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
            with helpers.Timer() as t:
                cf, gd = bench_size(spark, n, d, warm=not results["closed_form"])
            phases[key] = t.seconds
            results["closed_form"][key], results["gd_iteration"][key] = cf, gd
            print(f"  {key}: " + ", ".join(f"{k} {v:.3f}" for k, v in cf.items()
                                          if v and k not in COUNTS), flush=True)
    spark.stop()
    if not args.skip_notebooks:
        with helpers.Timer() as t:
            results["notebooks"] = notebook_times()
        phases["notebooks"] = t.seconds
    if not args.skip_grading:
        with tempfile.TemporaryDirectory() as tmp, helpers.Timer() as t:
            results["grading"] = grading_throughput(Path(tmp))
        phases["grading"] = t.seconds
    phases["total"] = time.perf_counter() - start
    results["bench_phase_seconds"] = phases
    results["targets"] = targets(results)
    out = ROOT / "bench" / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)
    print(f"wrote {out.relative_to(ROOT)} ({phases['total'] / 60:.1f} min)")


# The targets: (name, what, comparison, bound). A ratio "a_over_b" is a's time / b's.
TARGETS = [
    ("closed_blocks_over_floor_1e6", "block closed form / Spark's count() floor, n=1e6 d=12", "<=", 1.2),
    ("closed_blocks_over_numpy_1e6", "block closed form / numpy, n=1e6 d=12", "<=", 8),
    ("closed_blocks_over_numpy_4e6", "block closed form / numpy, n=4e6 d=12", "<=", 5),
    ("mllib_normal_over_closed_blocks_1e6", "MLlib normal solver / block closed form, n=1e6", ">=", 5),
    ("gd_blocks_over_floor_1e6", "block GD iteration / count() floor, n=1e6 d=12", "<=", 1.2),
    ("gd_rows_over_blocks_1e6", "row-at-a-time GD iteration / block, n=1e6 d=12", ">=", 30),
    ("closed_blocks_slope_d12", "closed form: slope of log time vs log n, d=12", "between", (0.8, 1.2)),
    ("closed_blocks_slope_d50", "closed form: slope of log time vs log n, d=50", "between", (0.8, 1.2)),
    ("gd_blocks_slope_d12", "GD iteration: slope of log time vs log n, d=12", "between", (0.8, 1.2)),
    ("gd_blocks_slope_d50", "GD iteration: slope of log time vs log n, d=50", "between", (0.8, 1.2)),
    # Not the teaching reference: blocks kept in the Python workers (helpers.resident).
    ("closed_resident_over_floor_1e6", "resident closed form / count() floor, n=1e6 d=12", "<=", 1.0),
    ("closed_resident_over_numpy_1e6", "resident closed form / numpy, n=1e6 d=12", "<=", 8),
    ("closed_resident_over_numpy_4e6", "resident closed form / numpy, n=4e6 d=12", "<=", 5),
    ("slowest_notebook_s", "slowest notebook, top to bottom (s)", "<=", 120),
    ("grading_speedup_over_otter_run", "grading throughput / sequential otter run", ">=", 1.5),
]


def met(value, op, bound):
    if value is None:
        return None
    if op == "between":
        return bound[0] <= value <= bound[1]
    return value <= bound if op == "<=" else value >= bound


def targets(r) -> dict:
    """The ratios the issue sets as targets, computed from this run, and whether each is met."""
    cf, gd = r["closed_form"], r["gd_iteration"]
    v = {}
    one = cf.get("n=1000000,d=12", {})
    four = cf.get("n=4000000,d=12", {})
    v["closed_blocks_over_floor_1e6"] = ratio(one.get("rdd_blocks"), one.get("count_floor"))
    v["closed_blocks_over_numpy_1e6"] = ratio(one.get("rdd_blocks"), one.get("numpy"))
    v["closed_blocks_over_numpy_4e6"] = ratio(four.get("rdd_blocks"), four.get("numpy"))
    v["mllib_normal_over_closed_blocks_1e6"] = ratio(one.get("mllib_normal"), one.get("rdd_blocks"))
    v["closed_resident_over_floor_1e6"] = ratio(one.get("rdd_resident"), one.get("count_floor"))
    v["closed_resident_over_numpy_1e6"] = ratio(one.get("rdd_resident"), one.get("numpy"))
    v["closed_resident_over_numpy_4e6"] = ratio(four.get("rdd_resident"), four.get("numpy"))
    g1 = gd.get("n=1000000,d=12", {})
    v["gd_blocks_over_floor_1e6"] = ratio(g1.get("rdd_blocks"), g1.get("count_floor"))
    v["gd_rows_over_blocks_1e6"] = ratio(g1.get("rdd_rows"), g1.get("rdd_blocks"))
    for kind, table in (("closed", cf), ("gd", gd)):
        for d in (12, 50):
            # Above the latency floor: the sizes from 10^6 up, where a pass is well over 50 ms.
            pts = [(int(k.split(",")[0][2:]), row["rdd_blocks"]) for k, row in table.items()
                   if k.endswith(f",d={d}") and int(k.split(",")[0][2:]) >= 1_000_000]
            v[f"{kind}_blocks_slope_d{d}"] = (helpers.loglog_slope(*zip(*pts))
                                              if len(pts) >= 2 else None)
    v["slowest_notebook_s"] = max(r.get("notebooks", {}).values(), default=None)
    grading = r.get("grading", {})
    v["grading_speedup_over_otter_run"] = ratio(grading.get("otter_run_s_per_submission"),
                                                grading.get("project_s_per_submission"))
    return {name: {"what": what, "value": v[name], "target": f"{op} {bound}",
                   "met": met(v[name], op, bound)} for name, what, op, bound in TARGETS}


COUNTS = {"mllib_lbfgs_iterations", "resident_builds"}  # counts, not seconds


def _judged(target, unmet="not met") -> tuple[str, str]:
    """A target's value as text and its verdict: met, ``unmet`` or not measured."""
    value = "—" if target["value"] is None else f"{target['value']:.2f}"
    return value, {True: "met", False: unmet, None: "not measured"}[target["met"]]


def print_table(r) -> None:
    for name in ("closed_form", "gd_iteration"):
        print(f"\n{name} (seconds, median of {r['repeat']})")
        cols = sorted({c for v in r[name].values() for c in v if c not in COUNTS})
        print(f"{'size':<18}" + "".join(f"{c:>14}" for c in cols))
        for key, row in r[name].items():
            cells = "".join(f"{row[c]:>14.3f}" if isinstance(row.get(c), (int, float))
                            else f"{'—':>14}" for c in cols)
            print(f"{key:<18}{cells}")
    print("\ntargets (ratios from this run):")
    for t in r["targets"].values():
        value, verdict = _judged(t, unmet="NOT met")
        print(f"  {t['what']:<58} {value:>8}  {t['target']:<16} {verdict}")


def print_markdown(r) -> None:
    """bench/README.md's tables, from a results.json."""
    m = r["machine"]
    print(f"Last run ({m['cores']} cores, {m['blas']} BLAS, Spark {m['spark']}, Java {m['java']}, "
          f"Python {m['python']}; medians of {r['repeat']}; seconds):\n")
    for name, title, last in (("closed_form", "Closed form (solve XᵀX w = Xᵀy)", "mllib_normal"),
                              ("gd_iteration", "One gradient-descent iteration", "mllib_lbfgs")):
        cols = ["numpy", "rdd_rows", "rdd_blocks", "count_floor", last, "rdd_resident"]
        print(f"| {title} | " + " | ".join(f"`{c}`" for c in cols) + " |")
        print("|---" * (len(cols) + 1) + "|")
        for key, row in r[name].items():
            print(f"| {key} | " + " | ".join("—" if row.get(c) is None else f"{row[c]:.3f}"
                                            for c in cols) + " |")
        print()
    print(f"Job latency (one round, {m['partitions']} tiny tasks): {r['job_latency_s'] * 1000:.0f} ms. "
          "Notebooks top to bottom: " + ", ".join(f"{k} {v:.0f} s" for k, v in
                                                  r.get("notebooks", {}).items()) + ".")
    g = r.get("grading")
    if g:
        print(f"Grading {g['submissions']} submissions: the project's grader "
              f"{g['project_s_per_submission']:.1f} s each ({g['project_per_minute']:.1f}/min, "
              f"sandboxed, {g['project_jobs']} jobs), `otter run` {g['otter_run_s_per_submission']:.1f} "
              f"s each ({g['otter_run_per_minute']:.1f}/min, unisolated, one at a time).")
    phases = r.get("bench_phase_seconds")
    if phases:
        print(f"The whole run took {phases['total'] / 60:.1f} min.")
    print("\n| target | this run | bound | |\n|---|---|---|---|")
    for t in r["targets"].values():
        value, verdict = _judged(t)
        print(f"| {t['what']} | {value} | {t['target']} | {verdict} |")


if __name__ == "__main__":
    main()
