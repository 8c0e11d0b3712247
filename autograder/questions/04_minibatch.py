"""Probes for 04_minibatch: the master's hidden tests, as calls to make and results to compare.

Mirrors ``autograder/source/04_minibatch.ipynb`` (same inputs, seeds, tolerances and points:
localLinearRegression [0, 1, 1, 1, 1], combineLocalRegressionResults [0, 1, 1, 1],
localUpdatesGradientDescent [0, 2, 1, 1]). Expected values are what the reference submission
returns on the same calls. Where the master lays points out in partitions of chosen sizes
(``sc.parallelize(range(K), K).flatMap(lambda i: parts[i])``), the calls do the same in their
set-up; its metered test (jobs and bytes to the driver) is a :func:`metered` call. The hidden
tests of localUpdatesGradientDescent swap the reference combineLocalRegressionResults in, which
``standins`` does here. The hints' diagnoses are computed with numpy.
"""

import numpy as np

from autograder.grader.spec import likely, near
from autograder.grader.spec import (PARTITIONED, Call, Question, Test, as_array, close, counted,
                                    is_ndarray, item, kind, length, lp, metered, points_list,
                                    points_rdd, rdd, same_shape, value_of)

ASSIGNMENT = "04_minibatch"

_EXACT = close(rtol=0, atol=0)  # the master compares counts with ==


def _items(n: int):
    """The result is a list of ``n`` items: what the function gave for a partition, through
    ``list(...)`` or ``collect()``."""
    def check(got, want, ctx):
        if not isinstance(got, list) or len(got) != n:
            return f"expected a list of {n} item{'s' * (n != 1)}, got {kind(got)}"
    return check


def _first(got, *path):
    """``got[i][j]...`` of a decoded result, or None when it has no such item."""
    for i in path:
        if not isinstance(got, (list, tuple)) or len(got) <= i:
            return None
        got = got[i]
    return got


# --- localLinearRegression ---------------------------------------------------------------------
_rng21 = np.random.default_rng(21)
_llr_a = []
for _d, _m in ((1, 9), (4, 60), (7, 200)):
    _X = _rng21.normal(size=(_m, _d)) + 2.0
    _y = _X @ _rng21.normal(size=_d) + _rng21.normal(size=_m)
    _llr_a.append((_X, _y))
_rng22 = np.random.default_rng(22)
_llr_b = []
for _m in (5, 37, 250):
    _X = _rng22.normal(size=(_m, 2))
    _llr_b.append((_X, _rng22.normal(size=_m)))
_rng23 = np.random.default_rng(23)
_llr_parts = [[lp(float(v), x) for x, v in zip(_rng23.normal(size=(_m, 3)), _rng23.normal(size=_m))]
              for _m in (30, 0, 50)]
_X8 = np.random.default_rng(24).uniform(0, 0.05, size=(8, 3))
_y8 = np.random.default_rng(25).normal(size=8)


def _llr_hint(problems, default):
    def hint(got, want):
        if isinstance(got, list) and len(got) == 2 and as_array(got[0]) is not None \
                and np.ndim(as_array(got[0])) == 1:
            return ("mapPartitions flattens what the function returns: return [(w, m)], a list "
                    "holding the pair, not the pair (w, m) itself.")
        if isinstance(got, list) and not got:
            return "Nothing came back for a partition with points: return [(w, m)]."
        count, right_count = _first(got, 0, 1), _first(want, 0, 1)
        if count is not None and near(count, 1) and not near(right_count, 1):
            return "The count is 1: report m, the number of points in the partition."
        w = _first(got, 0, 0)
        for X, y in problems:
            right = np.linalg.lstsq(X, y, rcond=None)[0]
            if not near(_first(want, 0, 0), right):
                continue
            A, b = X.T @ X, X.T @ y
            return likely(w, [
                (np.linalg.solve(A + np.eye(X.shape[1]), b),
                 "a ridge term (XᵀX + I): plain least squares has none"),
                (np.linalg.lstsq(np.column_stack([np.ones(len(y)), X]), y, rcond=None)[0][1:],
                 "an intercept column was added: the features are used as they are"),
            ], right, default)
        return default
    return hint


_LLR_W = [_items(1), item(0, item(0, same_shape(), close(rtol=1e-6, atol=1e-9)))]
_LLR_DEFAULT = ("Return [(w, m)]: the least-squares weights of the partition's points "
                "(np.linalg.lstsq, no ridge term, no intercept) and their number m.")

localLinearRegression = Question("localLinearRegression", spark=True, timeout=120, tests=[
    Test("public check: 3 points on w = [1, 2], and an empty partition", 0, [
        Call("list(localLinearRegression(iter(points)))",
             inputs={"points": [lp(1.0, [1.0, 0.0]), lp(4.0, [0.0, 2.0]), lp(3.0, [1.0, 1.0])]},
             show="list(localLinearRegression(iter([LabeledPoint(1, [1, 0]), "
                  "LabeledPoint(4, [0, 2]), LabeledPoint(3, [1, 1])])))",
             check=[_items(1), item(0, length(2), item(0, same_shape(), close()), item(1, _EXACT))]),
        Call("list(localLinearRegression(iter([])))", check=[_items(0)])],
        hint=_llr_hint([(np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]]), np.array([1.0, 4.0, 3.0]))],
                       _LLR_DEFAULT + " An empty partition gives [].")),
    Test("hidden: the weights, d = 1, 4 and 7", 1, [
        Call("list(localLinearRegression(iter(points)))", inputs={"points": points_list(X, y)},
             show=f"list(localLinearRegression(iter({len(y)} LabeledPoints with d = {X.shape[1]})))")
        for X, y in _llr_a],
        check=_LLR_W, hint=_llr_hint(_llr_a, _LLR_DEFAULT)),
    Test("hidden: the count m", 1, [
        Call("list(localLinearRegression(iter(points)))", inputs={"points": points_list(X, y)},
             show=f"list(localLinearRegression(iter({len(y)} LabeledPoints with d = 2)))")
        for X, y in _llr_b],
        check=[_items(1), item(0, item(1, _EXACT))],
        hint=_llr_hint([], "A partition of m points reports the count m: it weights this "
                           "partition in the average.")),
    Test("hidden: an empty partition gives nothing", 1, [
        Call("list(localLinearRegression(iter([])))", check=[_items(0)]),
        Call("pts.mapPartitions(localLinearRegression).collect()", inputs={"parts": _llr_parts},
             setup=PARTITIONED, check=[_items(2)],
             show="partitions of 30, 0 and 50 points: pts.mapPartitions(localLinearRegression)"
                  ".collect()")],
        hint="An empty partition must give nothing: return [] (or yield nothing) when the "
             "iterator is empty, and [(w, m)] otherwise: 3 partitions, one empty, give 2 pairs."),
    Test("hidden: 8 small points (no ridge term)", 1, [
        Call("list(localLinearRegression(iter(points)))", inputs={"points": points_list(_X8, _y8)},
             show="list(localLinearRegression(iter(8 LabeledPoints with features in [0, 0.05])))")],
        check=[_items(1), item(0, item(0, close(rtol=1e-6, shape=False)))],
        hint=_llr_hint([(_X8, _y8)], "A regularisation (ridge) term changes the answer; plain "
                                     "least squares has none.")),
])


# --- combineLocalRegressionResults -------------------------------------------------------------
_rng31 = np.random.default_rng(31)
_crr_a = []
for _n1, _n2 in ((1, 9), (250, 50), (7, 7)):
    _w1, _w2 = _rng31.normal(size=4), _rng31.normal(size=4)
    _crr_a.append(((_w1, _n1), (_w2, _n2)))
_rng32 = np.random.default_rng(32)
_crr_b = []
for _n1, _n2 in ((1, 9), (250, 50), (3, 3)):
    _a = (_rng32.normal(size=2), _n1)
    _crr_b.append((_a, (_rng32.normal(size=2), _n2)))
_rng33 = np.random.default_rng(33)
_COUNTS = [3, 10, 1, 40, 7, 22]
_crr_pairs = [(_rng33.normal(size=3), _c) for _c in _COUNTS]


def _crr_hint(cases, default):
    def hint(got, want):
        w = _first(got, 0)
        for (w1, n1), (w2, n2) in cases:
            right = (n1 * w1 + n2 * w2) / (n1 + n2)
            if not near(_first(want, 0), right):
                continue
            return likely(w, [
                ((w1 + w2) / 2, "the plain mean (w1 + w2) / 2: weight each w by its count"),
                (w1 + w2, "the weights are summed: take their count-weighted average"),
                (n1 * w1 + n2 * w2, "n1·w1 + n2·w2 is not divided by n1 + n2"),
                ((n2 * w1 + n1 * w2) / (n1 + n2), "the counts are swapped: n1 goes with w1"),
            ], right, default)
        n = _first(got, 1)
        if n is not None and _first(want, 1) is not None and not near(n, _first(want, 1)):
            return "The count is the total n1 + n2."
        return default
    return hint


_CRR_DEFAULT = "Return ((n1·w1 + n2·w2) / (n1 + n2), n1 + n2)."


def _crr_call(a, b):
    (w1, n1), (w2, n2) = a, b
    return Call("combineLocalRegressionResults(a, b)", inputs={"a": a, "b": b},
                show=f"combineLocalRegressionResults(({np.round(w1, 3).tolist()}, {n1}), "
                     f"({np.round(w2, 3).tolist()}, {n2}))")


combineLocalRegressionResults = Question("combineLocalRegressionResults", spark=True, timeout=120, tests=[
    Test("public check: counts 1 and 3", 0, [
        Call("combineLocalRegressionResults((np.array([1.0, 0.0]), 1), (np.array([5.0, 4.0]), 3))")],
        check=[length(2), item(1, _EXACT), item(0, close())],
        hint=_crr_hint([((np.array([1.0, 0.0]), 1), (np.array([5.0, 4.0]), 3))], _CRR_DEFAULT)),
    Test("hidden: the count-weighted average", 1, [_crr_call(a, b) for a, b in _crr_a],
         check=[item(0, close(shape=False))],
         hint=_crr_hint(_crr_a, "The count-weighted average (n1·w1 + n2·w2) / (n1 + n2): not the "
                                "plain mean (w1 + w2) / 2, not the sum.")),
    Test("hidden: the total count", 1, [_crr_call(a, b) for a, b in _crr_b],
         check=[item(1, _EXACT)], hint="The counts add up: n = n1 + n2."),
    Test("hidden: reduce over 6 results in 3 partitions", 1, [
        Call("pairs.reduce(combineLocalRegressionResults)", inputs={"pairs": rdd(_crr_pairs, 3)},
             show=f"sc.parallelize(6 pairs (w, m) with counts {_COUNTS}, 3)"
                  ".reduce(combineLocalRegressionResults)")],
        check=[length(2), item(1, _EXACT), item(0, close(shape=False))],
        hint="reduce must give the total of the counts and the count-weighted average of the "
             "weights, whatever the order of the pairs: combine (w, n) pairs, carrying the count."),
])


# --- localUpdatesGradientDescent (the reference combineLocalRegressionResults stands in) -------
def _lu(blocks, rounds, steps, alpha, per_n=False, equal=False, sign=1.0, restart=True):
    """The rounds of local steps in numpy, and the variants a mistake produces (for the hints)."""
    n = sum(len(y) for _, y in blocks)
    w = np.zeros(blocks[0][0].shape[1])
    for _ in range(rounds):
        vs, ms = [], []
        for X, y in blocks:
            v = w.copy() if restart else np.zeros_like(w)
            for _ in range(steps):
                v = v - sign * alpha / (n if per_n else len(y)) * X.T @ (X @ v - y)
            vs.append(v)
            ms.append(len(y))
        w = np.mean(vs, axis=0) if equal else sum(m * v for m, v in zip(ms, vs)) / n
    return w


def _lu_hint(blocks, rounds, steps, alpha, default):
    def hint(got, want):
        right = _lu(blocks, rounds, steps, alpha)
        g = as_array(got)
        if g is not None and g.shape == right.shape and not np.all(np.isfinite(g)):
            return "The weights are not finite: is the step alpha / m, m the partition's points?"
        return likely(got, [
            (_lu(blocks, rounds * steps, 1, alpha),
             "every local step is a round of its own: numRounds rounds (Spark jobs), each of "
             "localSteps steps inside mapPartitions"),
            (_lu(blocks, rounds, steps, alpha, per_n=True),
             "the step uses n, all the points: each partition steps by alpha / m with its own m"),
            (_lu(blocks, rounds, steps, alpha, equal=True),
             "the partitions' weights are averaged plainly: weight them by their counts"),
            (_lu(blocks, steps, rounds, alpha), "numRounds and localSteps are swapped"),
            (_lu(blocks, rounds, steps, alpha, restart=False),
             "the partitions start from w = 0 every round: start from the current w"),
            (_lu(blocks, rounds - 1, steps, alpha), "one round short"),
            (_lu(blocks, rounds, steps - 1, alpha), "one local step short in every round"),
            (_lu(blocks, rounds, steps, alpha, sign=-1.0),
             "the weights move up the gradient: v ← v − alpha/m · Xᵀ(Xv − y)"),
            (np.zeros_like(right), "the weights never change: update w after every round"),
        ], right, default)
    return hint


_X4 = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 1.0]])
_y4 = np.array([1.0, 2.0, 3.0, 4.0])

_rng41 = np.random.default_rng(41)
_wt41 = _rng41.normal(size=3)
_lu_a = []
for _k, _m in enumerate((15, 40, 90)):
    _X = 0.7 * _rng41.normal(size=(_m, 3)) + 0.5 * _k
    _lu_a.append((_X, _X @ _wt41 + 0.3 * _k * _X[:, 1] ** 2 + 0.2 * _rng41.normal(size=_m)))

_rng42 = np.random.default_rng(42)
_X80 = _rng42.normal(size=(80, 4)) + np.array([0.0, 1.0, 0.0, 2.0])
_X80[:20] *= 3.0
_y80 = _X80 @ _rng42.normal(size=4) + _rng42.normal(size=80)
_lu_b = [(_X80[:20], _y80[:20]), (_X80[20:], _y80[20:])]

# 20,000 synthetic points in 5 partitions, the first one empty, cached before the meter starts.
_BIG = ("bl, _ = helpers.synthetic_blocks(sc, 20_000, 3, noise=0.5, seed=43, num_partitions=4)\n"
        "pts = sc.parallelize([], 1).union(helpers.to_points(bl)).cache()\n"
        "_ = pts.count()")


def _round_rules(points: str, rounds: int, steps: int, layout: str | None = None):
    """The checks and the hint of a metered localUpdatesGradientDescent: ``rounds`` rounds of
    ``steps`` local steps on ``points`` points laid out as ``layout``. One definition for the
    public check and the hidden test, so both give the same messages."""
    checks = [value_of(close(rtol=1e-8, shape=False)), counted("jobs", at_most=rounds + 3),
              counted("result_bytes", below=256 * 1024)]

    def hint(got, want):
        counts = got[1] if isinstance(got, tuple) and len(got) == 2 and isinstance(got[1], dict) else {}
        jobs, sent = counts.get("jobs"), counts.get("result_bytes")
        if isinstance(jobs, int) and jobs > rounds + 3:
            return (f"{jobs} Spark jobs ran for {rounds} rounds: one job per round (a "
                    "mapPartitions with all the local steps inside, then reduce), not one per "
                    "local step.")
        if isinstance(sent, int) and sent >= 256 * 1024:
            return (f"{sent:,} bytes were sent to the driver for {points} points; one (w, m) pair "
                    "per partition per round is a few kB. Do not collect() the data.")
        if layout is None:  # a hidden test's hint names the mistake, not the test's layout
            return ("Start every round from the current w, take localSteps steps of alpha / m in "
                    "each partition (an empty partition gives nothing), average by the counts.")
        return (f"{rounds} rounds of {steps} local steps on {layout}: start every round from the "
                "current w, take localSteps steps of alpha / m, average by the counts.")
    return checks, hint


_BIG_RULES = _round_rules("20,000", 6, 3)
# The public check of the same rules: 8,000 points in 4 partitions, cached before the meter starts.
_PUBLIC = ("bl, _ = helpers.synthetic_blocks(sc, 8_000, 3, noise=0.5, seed=44, num_partitions=4)\n"
           "pts = helpers.to_points(bl).cache()\n"
           "_ = pts.count()")
_PUBLIC_RULES = _round_rules("8,000", 3, 2, "4 partitions")


localUpdatesGradientDescent = Question(
    "localUpdatesGradientDescent", spark=True, standins=["combineLocalRegressionResults"],
    timeout=240,
    tests=[
        Test("public check: 4 points in 2 partitions, 1 and 3 rounds of one step", 0, [
            Call(f"localUpdatesGradientDescent(pts, {r}, 1, 0.1)",
                 inputs={"pts": points_rdd(_X4, _y4, 2)},
                 show=f"localUpdatesGradientDescent(4 points in 2 partitions, {r}, 1, 0.1)")
            for r in (1, 3)],
            check=[is_ndarray(), same_shape(), close()],
            hint="One round of one local step from w = 0 is one gradient step, alpha/n · Xᵀy; "
                 "return a numpy array of shape (d,)."),
        Test("public check: 8,000 points, Spark jobs and bytes sent to the driver", 0, [
            metered("localUpdatesGradientDescent(pts, 3, 2, 0.5)", setup=_PUBLIC,
                    show="localUpdatesGradientDescent(8,000 points with d = 3 in 4 partitions, "
                         "3, 2, 0.5), metered")],
            check=_PUBLIC_RULES[0], hint=_PUBLIC_RULES[1]),
        Test("hidden: 3 rounds of 4 local steps, partitions of 15, 40 and 90 points", 2, [
            Call("localUpdatesGradientDescent(pts, 3, 4, 0.1)",
                 inputs={"parts": [points_list(X, y) for X, y in _lu_a]}, setup=PARTITIONED,
                 show="localUpdatesGradientDescent(partitions of 15, 40 and 90 points with "
                      "d = 3, 3, 4, 0.1)")],
            check=[same_shape(), close(rtol=1e-8)],
            hint=_lu_hint(_lu_a, 3, 4, 0.1,
                          "Does each partition start every round from the current w, take "
                          "exactly localSteps steps of size alpha/m with its own m, and is the "
                          "average weighted by the counts?")),
        Test("hidden: one local step per round is full gradient descent", 1, [
            Call("localUpdatesGradientDescent(pts, 5, 1, 0.02)",
                 inputs={"parts": [points_list(X, y) for X, y in _lu_b]}, setup=PARTITIONED,
                 show="localUpdatesGradientDescent(partitions of 20 and 60 points with d = 4, "
                      "5, 1, 0.02)")],
            check=[close(rtol=1e-8, shape=False)],
            hint=_lu_hint(_lu_b, 5, 1, 0.02,
                          "With one local step per round, 5 rounds are 5 steps of full gradient "
                          "descent with step alpha/n.")),
        Test("hidden: 20,000 points, Spark jobs and bytes sent to the driver", 1, [
            metered("localUpdatesGradientDescent(pts, 6, 3, 0.5)", setup=_BIG,
                    show="localUpdatesGradientDescent(20,000 points with d = 3 in 5 partitions, "
                         "the first empty, 6, 3, 0.5), metered")],
            check=_BIG_RULES[0], hint=_BIG_RULES[1]),
    ],
)

QUESTIONS = [localLinearRegression, combineLocalRegressionResults, localUpdatesGradientDescent]
