"""Probes for 01_closed_form: the master's hidden tests, as calls to make and results to compare.

Mirrors ``autograder/source/01_closed_form.ipynb`` (same inputs, seeds, tolerances and points:
parsePoint [0, 1], prepareSongs [0, 1, 1, 1], computeOuterProduct [0, 1, 1], linregClosedForm
[0, 0, 2, 1, 1], linregClosedFormPartitions [0, 0, 1, 1, 2, 1]). Expected values are not written
here: they are what the reference submission returns on the same calls, computed in the sandbox
and kept outside it. Keep this file in step with the master's tests.
"""

import numpy as np

from autograder.grader.spec import (PARTITIONED, Call, Point, Question, Test, as_array, close,
                                    counted, float_array, is_ndarray, item, kind, length, likely,
                                    lp, meter_below, metered, near, points_list, points_rdd,
                                    same_shape, value_of)

ASSIGNMENT = "01_closed_form"


# --- parsePoint --------------------------------------------------------------------------------
def _line(year, features) -> str:
    """One line of the song file: the year, then the features, comma-separated."""
    return ",".join([repr(float(year))] + [repr(round(float(v), 6)) for v in features])


def _same_point():
    """The result is a LabeledPoint with the reference's label and features."""
    def check(got, want, ctx):
        if got is None:
            return "returned None: is the function finished (does it `return` its result)?"
        if not isinstance(got, Point):
            return f"expected a LabeledPoint, got {kind(got)}"
        if not near(got.label, want.label):
            return "the label is wrong: it is the line's first value, the year"
        g, w = as_array(got.features), as_array(want.features)
        if g is None or g.shape != w.shape:
            return f"expected {w.size} features, got {kind(got.features)}"
        if not np.allclose(g, w, rtol=1e-12, atol=0):
            return "the features are wrong: they are the line's other values, in order"
    return check


def _pp_hint(got, want):
    if isinstance(got, Point) and isinstance(want, Point):
        g = as_array(got.features)
        w = as_array(want.features)
        if g is not None and w is not None and g.size == w.size and near(got.label, w[-1]):
            return "The label is the *first* value of the line (the year); the features follow it."
        if g is not None and w is not None and g.size == w.size + 1:
            return "The year is among the features: features are the values after the first."
    return ("Split the line at the commas, convert to floats; return LabeledPoint(values[0], "
            "values[1:]).")


_rng_pp = np.random.default_rng(71)
_PP_LINES = [_line(y, _rng_pp.uniform(0, 1, size=d)) for y, d in ((1999, 12), (1956, 3), (2010, 1))]

parsePoint = Question("parsePoint", timeout=30, tests=[
    Test("public check: one line with 3 features", 0, [
        Call("parsePoint('2001.0,0.884,0.610,0.600')")],
        check=[_same_point()], hint=_pp_hint),
    Test("hidden: the year first, then d = 12, 3 and 1 features", 1, [
        Call("parsePoint(line)", inputs={"line": line}, show=f"parsePoint({line[:40]!r}...)")
        for line in _PP_LINES],
        check=[_same_point()], hint=_pp_hint),
])


# --- prepareSongs (the reference parsePoint stands in) ----------------------------------------
def _song_lines(n: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    years = rng.integers(1958, 2011, size=n)
    return [_line(y, x) for y, x in zip(years, rng.uniform(0, 1, size=(n, 12)))]


_PS_PUBLIC = _song_lines(40, 81)
_PS_LINES = _song_lines(240, 82)
_PS_MIN_YEAR = min(float(line.split(",")[0]) for line in _PS_LINES)
_RAW = "raw = sc.parallelize(lines, 3)"
_LABELS = "sorted(lp.label for part in prepareSongs(raw, {seed}) for lp in part.collect())"
# Which rows went where: each part's first features, sorted (independent of the labels' shift).
_PARTS = ("[sorted(float(lp.features[0]) for lp in part.collect()) "
          "for part in prepareSongs(raw, {seed})]")
# 1 when the training set is cached in memory, else 0: an int, since the strict numeric checks
# (spec.numeric) refuse bools.
_CACHED = ("(lambda parts: int(bool(parts[0].is_cached "
           "and parts[0].getStorageLevel().useMemory)))(prepareSongs(raw, {seed}))")
_PARTS_CHECK = [length(3)] + [item(i, same_shape(), close(rtol=0, atol=0)) for i in range(3)]

# The messages the hints and the notebook's own check cell share.
NOT_SHIFTED = ("The labels are the years themselves: subtract the earliest year of the whole data "
               "set from every label, so that the earliest song has label 0.")
NOT_SEEDED = ("The rows went to other parts than randomSplit([0.8, 0.1, 0.1], seed) puts them: "
              "split with the weights 0.8, 0.1, 0.1 and the seed argument, once, after the shift.")
NOT_CACHED = ("The training set is not cached: call .cache() on trainData before returning it "
              "(it is used by every later step; without cache() Spark re-reads and re-parses it "
              "each time).")


def _shift_hint(got, want):
    w = as_array(want)
    if w is not None and near(got, w + _PS_MIN_YEAR):
        return NOT_SHIFTED
    return ("Every label is year − (the earliest year in rawData): the earliest song gets 0, and "
            "every row appears once across the three parts.")


prepareSongs = Question("prepareSongs", spark=True, standins=["parsePoint"], timeout=120, tests=[
    Test("public check: 40 lines, seed 1", 0, [
        Call(_PARTS.format(seed=1), inputs={"lines": _PS_PUBLIC}, setup=_RAW,
             show="the first features of each part of prepareSongs(40 lines in 3 partitions, 1)",
             check=_PARTS_CHECK),
        Call(_LABELS.format(seed=1), inputs={"lines": _PS_PUBLIC}, setup=_RAW,
             show="the sorted labels of prepareSongs(40 lines in 3 partitions, 1)",
             check=[same_shape(), close()])],
        hint="Return (trainData, valData, testData): the parsed points, labels shifted by the "
             "earliest year, split by randomSplit([0.8, 0.1, 0.1], seed)."),
    Test("hidden: labels shifted by the earliest year", 1, [
        Call(_LABELS.format(seed=7), inputs={"lines": _PS_LINES}, setup=_RAW,
             show="the sorted labels of prepareSongs(240 lines in 3 partitions, 7)")],
        check=[same_shape(), close()], hint=_shift_hint),
    Test("hidden: an 80/10/10 split with the given seed", 1, [
        Call(_PARTS.format(seed=seed), inputs={"lines": _PS_LINES}, setup=_RAW,
             show=f"which rows are in each part of prepareSongs(240 lines in 3 partitions, {seed})")
        for seed in (7, 8)],
        check=_PARTS_CHECK, hint=NOT_SEEDED),
    Test("hidden: the training set is cached", 1, [
        Call(_CACHED.format(seed=7), inputs={"lines": _PS_LINES}, setup=_RAW,
             show="prepareSongs(240 lines, 7)[0].is_cached and its storage level uses memory")],
        check=[close()], hint=NOT_CACHED),
])


# --- computeOuterProduct ---------------------------------------------------------------------
def _outer_hint(got, want):
    g, w = as_array(got), as_array(want)
    if g is not None and w is not None and g.shape == () and w.ndim == 2:
        return "You returned one number: that is the inner product (np.dot); the outer product " \
               "np.outer(x, x) is a d×d matrix."
    if g is not None and w is not None and g.ndim == 1 and w.ndim == 2:
        return "You returned a vector: x * x squares element by element; np.outer(x, x) gives " \
               "the d×d matrix of all products x_i·x_j."
    if g is not None and w is not None and g.shape == w.shape:
        ratio = np.divide(g, w, out=np.full(w.shape, np.nan), where=w != 0)
        finite = ratio[np.isfinite(ratio)]
        if finite.size and np.allclose(finite, finite[0]) and not np.isclose(finite[0], 1.0):
            return f"Your matrix is {finite[0]:g} times the expected one: the label must play no part."
    return "computeOuterProduct(lp) must return np.outer(x, x) for x = lp.features.toArray()."


_rng = np.random.default_rng(7)
_random_features = [_rng.normal(size=d) for d in (1, 4, 9)]
_x5 = np.array([0.25, -2.0, 0.0, 4.0, 1.5])

computeOuterProduct = Question(
    "computeOuterProduct",
    timeout=10,  # one numpy call takes microseconds; a loop that never returns costs 10 s
    tests=[
        Test("public check: 3 features", 0, [
            Call("computeOuterProduct(LabeledPoint(5.0, [1.0, 2.0, 3.0]))")],
            check=[is_ndarray(), same_shape(), close()], hint=_outer_hint),
        Test("hidden: random features, d = 1, 4 and 9", 1, [
            Call("computeOuterProduct(point)", inputs={"point": lp(-3.5, x)},
                 show=f"computeOuterProduct(LabeledPoint(-3.5, {np.round(x, 4).tolist()}))")
            for x in _random_features],
            check=[same_shape(), close()], hint=_outer_hint),
        Test("hidden: a float numpy array", 1, [
            Call("computeOuterProduct(point)", inputs={"point": lp(2.0, _x5)},
                 show=f"computeOuterProduct(LabeledPoint(2.0, {_x5.tolist()}))")],
            check=[float_array(), close()],
            hint="Return a numpy array of floats (np.outer gives one), not a list or a number."),
    ],
)


# --- linregClosedForm (the reference computeOuterProduct stands in for the submission's) ------
_rng_x, _rng_y = np.random.default_rng(11), np.random.default_rng(12)
_X4000 = _rng_x.normal(size=(4000, 4)) * np.array([1.0, 0.1, 3.0, 0.5])
_y4000 = _X4000 @ np.array([2.0, -1.0, 0.5, 4.0]) + _rng_y.normal(size=4000)
_X4000[:1000] += 5.0  # partitions differ, so every partition has to count
_X8 = np.random.default_rng(5).uniform(0, 0.05, size=(8, 3))
_y8 = np.random.default_rng(6).normal(size=8)

_SYNTHETIC = ("pts, w = helpers.synthetic_points(sc, 30000, 3, noise=0.01, seed=9, "
              "num_partitions=4)\npts = pts.cache()\npts.count()")

# The hidden test's message, which the public check of the same rule gives too.
_BYTES_HINT = ("Summing on the executors sends a few kB to the driver. Do not collect() the data "
               "or the per-row products: reduce them.")
_BYTES_CHECK = [same_shape(), close(atol=1e-3), meter_below(64 * 1024)]

linregClosedForm = Question(
    "linregClosedForm",
    spark=True,
    standins=["computeOuterProduct"],
    timeout=180,
    tests=[
        Test("public check: 200 noise-free points", 0, [
            Call("linregClosedForm(pts)",
                 setup="pts, w = helpers.synthetic_points(sc, 200, 3, noise=0.0, seed=3, "
                       "num_partitions=2)",
                 show="linregClosedForm(200 noise-free synthetic points, d = 3, 2 partitions)")],
            check=[is_ndarray(), same_shape(), close()],
            hint="Return the solution as a flat numpy vector of shape (d,)."),
        Test("public check: 10,000 points, bytes sent to the driver", 0, [
            Call("linregClosedForm(pts)",
                 setup="pts, w = helpers.synthetic_points(sc, 10000, 3, noise=0.01, seed=8, "
                       "num_partitions=4)\npts = pts.cache()\npts.count()", meter=True,
                 show="linregClosedForm(10,000 synthetic points, d = 3, 4 partitions), metered")],
            check=_BYTES_CHECK, hint=_BYTES_HINT),
        Test("hidden: 4,000 points in 4 different partitions", 2, [
            Call("linregClosedForm(pts)", inputs={"pts": points_rdd(_X4000, _y4000, 4)},
                 show="linregClosedForm(4,000 LabeledPoints, d = 4, in 4 partitions)")],
            check=[same_shape(), close(rtol=1e-6, atol=1e-9)],
            hint="Sum the outer products and y·x over all partitions (map + reduce), then "
                 "np.linalg.solve(XtX, Xty): a flat vector of shape (d,), no extra (ridge) term."),
        Test("hidden: 8 small points (no ridge term)", 1, [
            Call("linregClosedForm(pts)", inputs={"pts": points_rdd(_X8, _y8, 3)},
                 show="linregClosedForm(8 LabeledPoints with features in [0, 0.05], 3 partitions)")],
            check=[same_shape(), close(rtol=1e-6)],
            hint="A regularisation (ridge) term changes the answer; plain least squares has none."),
        Test("hidden: 30,000 points, bytes sent to the driver", 1, [
            Call("linregClosedForm(pts)", setup=_SYNTHETIC, meter=True,
                 show="linregClosedForm(30,000 synthetic points, d = 3, 4 partitions), metered")],
            check=_BYTES_CHECK,
            hint=_BYTES_HINT),
    ],
)


# --- linregClosedFormPartitions (with its computePartitionProducts, in one answer cell) -------
_rng41 = np.random.default_rng(41)
_cpp_X = [_rng41.normal(size=(m, d)) + 1.0 for d, m in ((1, 7), (4, 30), (7, 120))]
_cpp_cases = [(X, X @ _rng41.normal(size=X.shape[1]) + _rng41.normal(size=len(X))) for X in _cpp_X]
_rng42 = np.random.default_rng(42)
_cpp_parts = [[lp(float(v), x) for x, v in zip(_rng42.normal(size=(m, 3)), _rng42.normal(size=m))]
              for m in (30, 0, 50)]


def _cpp_items(n: int):
    """The result is a list of ``n`` items: the pairs the partition function gave."""
    def check(got, want, ctx):
        if not isinstance(got, list) or len(got) != n:
            return f"expected a list of {n} pair{'s' * (n != 1)}, got {kind(got)}"
    return check


_PAIR = [_cpp_items(1), item(0, length(2), item(0, same_shape(), close(rtol=1e-9, atol=1e-9)),
                          item(1, same_shape(), close(rtol=1e-9, atol=1e-9)))]
_CPP_DEFAULT = ("Return [(X.T @ X, X.T @ y)]: one pair for the whole partition, with X the "
                "partition's features stacked as rows (m × d) and y its labels.")


_ONE_PER_ROW = ("One pair per partition, not one per row: stack the partition's rows into one "
                "matrix X and return [(X.T @ X, X.T @ y)].")


def _cpp_hint(got, want):
    """Diagnoses of the pairs a partition function gave (``got``: a list), or of the weights
    (the public check's last call)."""
    if not isinstance(got, list):
        return _cfp_weights_hint(got, want)
    if isinstance(got, list) and len(got) == 2 and as_array(got[0]) is not None \
            and np.ndim(as_array(got[0])) == 2:
        return ("mapPartitions flattens what the function returns: return [(XtX, Xty)], a list "
                "holding the pair, not the pair itself.")
    if isinstance(got, list) and len(got) > 1:
        return _ONE_PER_ROW
    if isinstance(got, list) and got and isinstance(want, list) and not want:
        return ("An empty partition returns []: it has no rows to stack and no d to make zeros "
                "of.")
    if isinstance(got, list) and not got:
        return "Nothing came back for a partition with points: return [(X.T @ X, X.T @ y)]."
    first = got[0] if isinstance(got, list) and got else None
    xtx = as_array(first[0]) if isinstance(first, (list, tuple)) and first else None
    want_xtx = as_array(want[0][0]) if isinstance(want, list) and want else None
    if xtx is not None and want_xtx is not None and xtx.ndim == 2 \
            and xtx.shape != want_xtx.shape and xtx.shape[0] == xtx.shape[1]:
        return (f"Your first matrix is {xtx.shape[0]}×{xtx.shape[1]}, one row and column per "
                f"point: that is X @ X.T. XᵀX is X.T @ X, d × d ({want_xtx.shape[0]} × "
                f"{want_xtx.shape[1]} here).")
    return _CPP_DEFAULT


_ONE_JOB = ("Every action (reduce, count, first, collect...) is a Spark job, and one is "
            "enough: add the pairs with one reduce, item by item, "
            "lambda a, b: (a[0] + b[0], a[1] + b[1]), not one reduce per sum.")
_SMALL_BYTES = counted("result_bytes", below=64 * 1024)


def _one_pass(n: int, d: int, seed: int, parts: int) -> Call:
    setup = (f"pts, w = helpers.synthetic_points(sc, {n}, {d}, noise=0.01, seed={seed}, "
             f"num_partitions={parts})\npts = pts.cache()\npts.count()")
    return metered("linregClosedFormPartitions(pts)", setup=setup,
                   show=f"linregClosedFormPartitions({n:,} synthetic points, d = {d}, "
                        f"{parts} partitions), metered")


def _average_of_solves(X, y, partitions):
    """Notebook 04's divide-and-conquer: each partition's solution, averaged (for a hint)."""
    return np.mean([np.linalg.solve(Xp.T @ Xp, Xp.T @ yp) for Xp, yp in
                    zip(np.array_split(X, partitions), np.array_split(y, partitions))], axis=0)


_WEIGHTS_DEFAULT = ("Add the partitions' pairs (XtX with XtX, Xty with Xty), then "
                    "np.linalg.solve(XtX, Xty): a flat vector of shape (d,), no ridge term.")


def _cfp_weights_hint(got, want):
    return likely(got, [
        (_average_of_solves(_X4000, _y4000, 4),
         "each partition was solved and the solutions averaged (notebook 04's divide-and-"
         "conquer): add the partitions' pairs first, then solve once"),
        (np.linalg.solve(_X4000.T @ _X4000 + np.eye(4), _X4000.T @ _y4000),
         "a ridge term (XᵀX + I): plain least squares has none"),
    ], want, _WEIGHTS_DEFAULT)


def _cfp_metered_hint(got, want):
    """The value first (a wrong one is the first thing to mend), then the jobs, then the bytes."""
    pair = isinstance(got, tuple) and len(got) == 2 and isinstance(got[1], dict)
    value, right = as_array(got[0]) if pair else None, as_array(want[0])
    if value is None or value.shape != right.shape or not np.allclose(value, right, atol=1e-3):
        return _WEIGHTS_DEFAULT
    if isinstance(got[1].get("jobs"), int) and got[1]["jobs"] > 1:
        return _ONE_JOB
    return _BYTES_HINT


def _empty_hint(got, want):
    if isinstance(got, list) and len(got) > 3:
        return _ONE_PER_ROW
    return ("An empty partition has no rows to stack and no d to make zeros of: return [] "
            "for it, and [(XtX, Xty)] otherwise: 3 partitions, one empty, give 2 pairs.")


linregClosedFormPartitions = Question(
    "linregClosedFormPartitions",
    spark=True,
    timeout=180,
    tests=[
        Test("public check: 3 points, an empty partition, 200 noise-free points", 0, [
            Call("list(computePartitionProducts(iter(points)))",
                 inputs={"points": [lp(1.0, [1.0, 0.0]), lp(4.0, [0.0, 2.0]),
                                    lp(3.0, [1.0, 1.0])]},
                 show="list(computePartitionProducts(iter([LabeledPoint(1, [1, 0]), "
                      "LabeledPoint(4, [0, 2]), LabeledPoint(3, [1, 1])])))", check=_PAIR),
            Call("list(computePartitionProducts(iter([])))", check=[_cpp_items(0)]),
            Call("linregClosedFormPartitions(pts)",
                 setup="pts, w = helpers.synthetic_points(sc, 200, 3, noise=0.0, seed=3, "
                       "num_partitions=2)",
                 show="linregClosedFormPartitions(200 noise-free synthetic points, d = 3, "
                      "2 partitions)",
                 check=[is_ndarray(), same_shape(), close()])],
            hint=_cpp_hint),
        Test("public check: 10,000 points, one Spark job", 0, [_one_pass(10_000, 3, 8, 4)],
             check=[value_of(same_shape(), close(atol=1e-3)), counted("jobs", at_most=1),
                    _SMALL_BYTES],
             hint=_cfp_metered_hint),
        Test("hidden: one pair per partition, d = 1, 4 and 7", 1, [
            Call("list(computePartitionProducts(iter(points)))",
                 inputs={"points": points_list(X, y)},
                 show=f"list(computePartitionProducts(iter({len(y)} LabeledPoints with "
                      f"d = {X.shape[1]})))")
            for X, y in _cpp_cases],
            check=_PAIR, hint=_cpp_hint),
        Test("hidden: an empty partition gives nothing", 1, [
            Call("list(computePartitionProducts(iter([])))", check=[_cpp_items(0)]),
            Call("pts.mapPartitions(computePartitionProducts).collect()",
                 inputs={"parts": _cpp_parts}, setup=PARTITIONED, check=[_cpp_items(2)],
                 show="partitions of 30, 0 and 50 points: "
                      "pts.mapPartitions(computePartitionProducts).collect()")],
            hint=_empty_hint),
        Test("hidden: the weights, 4,000 points and partitions of 30, 0 and 50", 2, [
            Call("linregClosedFormPartitions(pts)", inputs={"pts": points_rdd(_X4000, _y4000, 4)},
                 show="linregClosedFormPartitions(4,000 LabeledPoints, d = 4, in 4 partitions)"),
            Call("linregClosedFormPartitions(pts)", inputs={"parts": _cpp_parts},
                 setup=PARTITIONED,
                 show="linregClosedFormPartitions(partitions of 30, 0 and 50 LabeledPoints, "
                      "d = 3)")],
            check=[same_shape(), close(rtol=1e-6, atol=1e-9)], hint=_cfp_weights_hint),
        Test("hidden: 30,000 points, one Spark job and bytes sent to the driver", 1,
             [_one_pass(30_000, 3, 9, 4)],
             check=[value_of(same_shape(), close(atol=1e-3)), counted("jobs", at_most=1),
                    _SMALL_BYTES],
             hint=_cfp_metered_hint),
    ],
)

QUESTIONS = [parsePoint, prepareSongs, computeOuterProduct, linregClosedForm,
             linregClosedFormPartitions]
