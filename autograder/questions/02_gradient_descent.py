"""Probes for 02_gradient_descent: the master's hidden tests, as calls to make and results to compare.

Mirrors ``autograder/source/02_gradient_descent.ipynb`` (same inputs, seeds, tolerances and
points: squaredError [0, 1, 1], calcRMSE [0, 2, 1], gradientSummand [0, 1, 1, 1],
getLabeledPrediction [0, 1, 1], linregGradientDescent [0, 0, 2, 1, 1, 1]). Expected values are
what the reference submission returns on the same calls; the diagnoses of the master's messages
("likely: the step does not shrink") are the hints, computed here with numpy.
"""

import numpy as np

from autograder.grader.spec import near
from autograder.grader.spec import (Call, Question, Test, array_or_vector, as_array, close,
                                    dv, is_ndarray, item, length, lp, meter_below, number,
                                    pair_of_numbers, points_rdd, rdd, same_shape)

ASSIGNMENT = "02_gradient_descent"


# --- squaredError ------------------------------------------------------------------------------
def _se_hint(label, prediction):
    def hint(got, want):
        d = label - prediction
        for value, why in [(d, "the difference is not squared"), (-d, "the difference is not squared"),
                           (abs(d), "that is the absolute error, not the squared error"),
                           (2 * d * d, "a factor 2 too many"),
                           (d * d / 2, "a factor 1/2 too many: the squared error has none")]:
            if near(got, value) and not np.isclose(value, d * d):
                # the call's inputs are not named: a hidden test's inputs stay hidden
                return f"squaredError(label, prediction) should be (label − prediction)²: {why}."
        return "squaredError(label, prediction) returns (label − prediction)², one number."
    return hint


_PAIRS_A = [(3.0, 1.0), (1.0, 3.0), (-2.5, 4.0), (7.0, 7.0), (0.5, 0.25)]
_PAIRS_B = [(np.float64(1990.0), 1985.5), (2, 5), (0.0, -0.1), (np.float64(-3.0), np.float64(-3.5))]

squaredError = Question("squaredError", timeout=30, tests=[
    Test("public check: (3, 1)", 0, [Call("squaredError(3.0, 1.0)")],
         check=[number(), close()], hint=_se_hint(3.0, 1.0)),
    Test("hidden: five pairs of floats", 1,
         [Call("squaredError(label, prediction)", inputs={"label": a, "prediction": b},
               show=f"squaredError({a!r}, {b!r})") for a, b in _PAIRS_A],
         check=[number(), close()], hint=_se_hint(-2.5, 4.0)),
    Test("hidden: numpy floats and ints", 1,
         [Call("squaredError(label, prediction)", inputs={"label": a, "prediction": b},
               show=f"squaredError({a!r}, {b!r})") for a, b in _PAIRS_B],
         check=[number(), close()],
         hint="squaredError must work for numpy floats and ints as well: (label − prediction)²."),
])


# --- calcRMSE (the reference squaredError stands in) ---------------------------------------------
_rng21 = np.random.default_rng(21)
_l37 = _rng21.uniform(0, 50, size=37)
_p37 = _l37 + _rng21.normal(0, 6, size=37)


def _rmse_hint(labels, preds):
    def hint(got, want):
        e = np.asarray(labels) - np.asarray(preds)
        for value, why in [(np.mean(e ** 2), "that is the mean squared error (MSE): take its square root"),
                           (np.sum(e ** 2), "that is the sum of squared errors: average, then take the square root"),
                           (np.sqrt(np.sum(e ** 2)), "the square root of the sum: average (mean) before the square root"),
                           (np.mean(np.abs(e)), "that is the mean absolute error")]:
            if near(got, value):
                return why[0].upper() + why[1:] + "."
        return "calcRMSE returns √(mean of the squared errors) over all pairs, one float."
    return hint


calcRMSE = Question("calcRMSE", spark=True, standins=["squaredError"], timeout=120, tests=[
    Test("public check: three pairs in 2 partitions", 0,
         [Call("calcRMSE(pairs)", inputs={"pairs": rdd([(3.0, 1.0), (1.0, 3.0), (2.0, 2.0)], 2)},
               show="calcRMSE(sc.parallelize([(3, 1), (1, 3), (2, 2)], 2))")],
         check=[number(), close()], hint=_rmse_hint([3.0, 1.0, 2.0], [1.0, 3.0, 2.0])),
    Test("hidden: 37 pairs in 3 partitions", 2,
         [Call("calcRMSE(pairs)", inputs={"pairs": rdd(list(zip(_l37.tolist(), _p37.tolist())), 3)},
               show="calcRMSE(37 (label, prediction) pairs in 3 partitions)")],
         check=[same_shape(), close()], hint=_rmse_hint(_l37, _p37)),
    Test("hidden: uneven and empty partitions", 1,
         [Call("calcRMSE(pairs)", inputs={"pairs": rdd(pairs, parts)},
               show=f"calcRMSE(sc.parallelize({pairs}, {parts}))")
          for pairs, parts in [([(2.0, 5.0), (1.0, 1.0), (4.0, 0.0)], 2), ([(10.0, 4.0)], 4)]],
         check=[number(), close()],
         hint="Average over all pairs, not per partition (some partitions are empty)."),
])


# --- gradientSummand ---------------------------------------------------------------------------
def _gs_hint(got, want):
    g, w = as_array(got), as_array(want)
    if g is not None and w is not None and g.shape == () and w.shape != ():
        return "One number instead of a vector: multiply (w·x − y) by the feature vector x."
    if g is not None and w is not None and g.shape == w.shape:
        if np.allclose(g, -w):
            return "The sign is wrong: (w·x − y)·x, not (y − w·x)·x."
        if np.allclose(g, 2 * w):
            return "A factor 2 too many (the lecture folds the 2 of the derivative into the step size)."
    return "gradientSummand(w, lp) returns (w·x − y)·x, a vector of length d."


_rng31 = np.random.default_rng(31)
_gs_a = []
for _d in (1, 3, 7):
    _w, _x, _y = _rng31.normal(size=_d), _rng31.uniform(0, 1, size=_d), float(_rng31.normal(5, 2))
    _gs_a.append((_w, _x, _y))
_rng32 = np.random.default_rng(32)
_gs_b = []
for _d in (2, 5):
    _w, _x, _y = _rng32.normal(size=_d), _rng32.uniform(0, 1, size=_d), float(_rng32.normal(5, 2))
    _gs_b.append((_w, _x, _y))
_rng41 = np.random.default_rng(41)
_X50, _y50, _w4 = _rng41.uniform(0, 1, size=(50, 4)), _rng41.normal(10, 3, size=50), _rng41.normal(size=4)


def _r(a):
    return np.round(np.asarray(a, dtype=float), 3).tolist()


gradientSummand = Question("gradientSummand", spark=True, timeout=120, tests=[
    Test("public check: w = [1, 1, 1]", 0,
         [Call("gradientSummand(np.array([1.0, 1.0, 1.0]), LabeledPoint(2.0, [3.0, 1.0, 4.0]))")],
         check=[same_shape(), close()], hint=_gs_hint),
    Test("hidden: random points, d = 1, 3 and 7", 1,
         [Call("gradientSummand(w, point)", inputs={"w": w, "point": lp(y, x)},
               show=f"gradientSummand({_r(w)}, LabeledPoint({y:.3f}, {_r(x)}))")
          for w, x, y in _gs_a],
         check=[same_shape(), close()], hint=_gs_hint),
    Test("hidden: DenseVector weights", 1,
         [Call("gradientSummand(w, point)", inputs={"w": dv(w), "point": lp(y, x)},
               show=f"gradientSummand(DenseVector({_r(w)}), LabeledPoint({y:.3f}, {_r(x)}))")
          for w, x, y in _gs_b],
         check=[same_shape(), close()],
         hint=".dot works for numpy arrays and DenseVectors alike: use weights.dot(x) or np.dot."),
    Test("hidden: summed over 50 points with RDD.sum()", 1, [
        Call("gradientSummand(w, point)", inputs={"w": _w4, "point": lp(_y50[0], _X50[0])},
             show="gradientSummand(w, one LabeledPoint) for d = 4", check=[array_or_vector()]),
        Call("pts.map(lambda lp: gradientSummand(w, lp)).sum()",
             inputs={"w": _w4, "pts": points_rdd(_X50, _y50, 3)},
             show="pts.map(lambda lp: gradientSummand(w, lp)).sum() over 50 points, 3 partitions")],
         check=[same_shape(), close()],
         hint="Return a numpy array (or DenseVector): a list does not add up element by element "
              "(list + list joins the lists)."),
])


# --- getLabeledPrediction ----------------------------------------------------------------------
def _glp_hint(got, want):
    if isinstance(got, (tuple, list)) and len(got) == 2 and near(got, list(want)[::-1]):
        return "That is (prediction, label): the label comes first."
    if isinstance(got, (tuple, list)) and len(got) == 2 and np.ndim(as_array(got[1]) if as_array(got[1]) is not None else 0) > 0:
        return "The prediction is one number, the dot product w·x, not an element-wise product."
    return "getLabeledPrediction(w, lp) returns the pair (label, w·x) of two floats."


_rng61 = np.random.default_rng(61)
_glp_a = []
for _d in (1, 4, 12):
    _w, _x, _y = _rng61.normal(size=_d), _rng61.uniform(0, 1, size=_d), float(_rng61.uniform(0, 90))
    _glp_a.append((_w, _x, _y))

getLabeledPrediction = Question("getLabeledPrediction", timeout=30, tests=[
    Test("public check: label 5, weights [1, 2]", 0,
         [Call("getLabeledPrediction(np.array([1.0, 2.0]), LabeledPoint(5.0, [2.0, 0.5]))")],
         check=[pair_of_numbers(), close()], hint=_glp_hint),
    Test("hidden: random points, d = 1, 4 and 12", 1,
         [Call("getLabeledPrediction(w, point)", inputs={"w": w, "point": lp(y, x)},
               show=f"getLabeledPrediction({_r(w)}, LabeledPoint({y:.3f}, {_r(x)}))")
          for w, x, y in _glp_a],
         check=[pair_of_numbers(), close()], hint=_glp_hint),
    Test("hidden: DenseVector weights", 1,
         [Call("getLabeledPrediction(w, point)",
               inputs={"w": dv([0.5, -1.0, 2.0]), "point": lp(30.0, [1.0, 0.25, 0.75])},
               show="getLabeledPrediction(DenseVector([0.5, -1, 2]), LabeledPoint(30, [1, 0.25, 0.75]))")],
         check=[pair_of_numbers(), close()], hint=_glp_hint),
])


# --- linregGradientDescent (the reference versions of the other four stand in) -----------------
def _gd(X, y, k, alpha=1.0, power=0.5, per_n=True, sign=1.0, factor=1.0, after=False):
    """The lecture's update in numpy, and the variants a mistake produces (for the hints)."""
    w, e = np.zeros(X.shape[1]), np.zeros(k)
    for i in range(k):
        if not after:
            e[i] = np.sqrt(np.mean((X @ w - y) ** 2))
        step = sign * factor * alpha / ((len(y) if per_n else 1.0) * (i + 1.0) ** power)
        w = w - step * (X.T @ (X @ w - y))
        if after:
            e[i] = np.sqrt(np.mean((X @ w - y) ** 2))
    return w, e


def _weights_hint(X, y, k, a):
    def hint(got, want):
        got = got[0] if isinstance(got, (tuple, list)) and got else got
        with np.errstate(all="ignore"):
            variants = [
                (_gd(X, y, k, a, power=0.0)[0], "the step does not shrink: use alpha / (n·√(i+1))"),
                (_gd(X, y, k, a, power=1.0)[0], "the step shrinks as 1/(i+1); the lecture's shrinks as 1/√(i+1)"),
                (_gd(X, y, k, a, per_n=False)[0], "the step is not divided by n, the number of training points"),
                (_gd(X, y, k, a, sign=-1.0)[0], "the weights move up the gradient, not down: w -= alpha_i * gradient"),
                (_gd(X, y, k, a, factor=2.0)[0], "a factor 2 too many in the step or the gradient"),
                (_gd(X, y, k, a, factor=0.5)[0], "a factor 1/2 too few in the step or the gradient"),
                (_gd(X, y, k - 1, a)[0], "one iteration short: numIters updates, for i in range(numIters)"),
                (_gd(X, y, k + 1, a)[0], "one iteration too many"),
                (_gd(X, y, k, 1.0)[0], "the alpha argument is ignored (the step uses 1.0)"),
                (np.zeros(X.shape[1]), "the weights never change: update w inside the loop and return it"),
            ]
        right = _gd(X, y, k, a)[0]
        g = as_array(got)
        if g is not None and g.shape == right.shape and not np.all(np.isfinite(g)):
            return "The weights are not finite: a step divided by √i (zero at i = 0), or far too large?"
        why = next((m for v, m in variants if near(got, v) and not near(right, v)), "")
        return f"Likely {why}." if why else "w -= alpha / (n·√(i+1)) · Σ gradientSummand(w, lp), numIters times."
    return hint


def _errors_hint(X, y, k, a):
    def hint(got, want):
        got = got[1] if isinstance(got, (tuple, list)) and len(got) > 1 else got
        e = _gd(X, y, k, a)[1]
        with np.errstate(all="ignore"):
            variants = [
                (_gd(X, y, k, a, after=True)[1], "errorTrain[i] is recorded after the update: record the error of the current weights first, then update"),
                (e ** 2, "these are mean squared errors: errorTrain holds the RMSE, their square root"),
                (e ** 2 * len(y), "these are sums of squared errors: errorTrain holds the RMSE"),
                (np.append(e[:-1], 0.0), "the last entry is never filled in: one iteration short?"),
                (e[:-1], "one entry short: errorTrain has numIters entries"),
                (np.zeros(k), "errorTrain is never filled in"),
            ]
        why = next((m for v, m in variants if near(got, v) and not near(e, v)), "")
        return f"Likely {why}." if why else "errorTrain[i] is the training RMSE of the weights before update i."
    return hint


_X4 = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, 0.0]])
_y4 = np.array([2.0, 4.0, 5.0, 1.0])
_rng51 = np.random.default_rng(51)
_X240 = _rng51.uniform(0, 1, size=(240, 4))
_y240 = _X240 @ np.array([3.0, -2.0, 5.0, 1.0]) + 10.0 + _rng51.normal(0, 1, 240)
_rng52 = np.random.default_rng(52)
_X150 = _rng52.uniform(0, 2, size=(150, 2))
_y150 = _X150 @ np.array([-4.0, 6.0]) + _rng52.normal(0, 0.5, 150)
_BIG = ("rng = np.random.default_rng(53)\n"
        "X = rng.normal(size=(12000, 20)) / np.sqrt(20)\n"
        "y = X @ rng.normal(size=20) + rng.normal(0, 0.1, 12000)\n"
        "pts = sc.parallelize([LabeledPoint(float(b), a) for a, b in zip(X, y)], 4).cache()\n"
        "pts.count()")

_SAME = [same_shape(), close(rtol=1e-6, atol=1e-9)]
# The public check and the hidden test of the bytes give the same message: one definition.
_BYTES_HINT = ("Summing on the executors sends a few kB per job. Do not collect() the data, here "
               "or in the functions it calls (calcRMSE, getLabeledPrediction): let map(...).sum() "
               "(or treeAggregate) add up the summands where the data lives, and use first() or "
               "take(1) for d. Weights and errorTrain are numpy arrays.")
_gd7 = Call("linregGradientDescent(pts, 7)", inputs={"pts": points_rdd(_X240, _y240, 3)},
            show="linregGradientDescent(240 points with d = 4 in 3 partitions, 7)")
_gd3 = Call("linregGradientDescent(pts, 3, 0.3)", inputs={"pts": points_rdd(_X150, _y150, 2)},
            show="linregGradientDescent(150 points with d = 2 in 2 partitions, 3, alpha=0.3)")

linregGradientDescent = Question(
    "linregGradientDescent", spark=True, timeout=240,
    standins=["squaredError", "calcRMSE", "gradientSummand", "getLabeledPrediction"],
    tests=[
        Test("public check: one step on 4 points", 0, [
            Call("linregGradientDescent(pts, 1)", inputs={"pts": points_rdd(_X4, _y4, 2)},
                 show="linregGradientDescent(4 points in 2 partitions, 1)")],
            check=[length(2), item(0, *_SAME), item(1, *_SAME)],
            hint="Return the pair (weights, errorTrain)."),
        # Half the hidden test's points at its d and half its limit: the same bytes per point,
        # so what passes here passes there (a calcRMSE that collects its pairs costs ~30 B each).
        Test("public check: 6,000 points, bytes sent to the driver", 0, [
            Call("linregGradientDescent(pts, 2)",
                 setup="pts, w = helpers.synthetic_points(sc, 6000, 20, noise=0.1, seed=9, "
                       "num_partitions=4)\npts = pts.cache()\npts.count()", meter=True,
                 show="linregGradientDescent(6,000 synthetic points, d = 20, 4 partitions, 2), "
                      "metered")],
            check=[length(2), meter_below(500_000)], hint=_BYTES_HINT),
        Test("hidden: the weights after 7 iterations", 2, [_gd7],
             check=[length(2), item(0, *_SAME)], hint=_weights_hint(_X240, _y240, 7, 1.0)),
        Test("hidden: errorTrain over 7 iterations", 1, [_gd7],
             check=[length(2), item(1, *_SAME)], hint=_errors_hint(_X240, _y240, 7, 1.0)),
        Test("hidden: alpha = 0.3, 3 iterations", 1, [_gd3],
             check=[length(2), item(0, *_SAME), item(1, *_SAME)],
             hint=lambda got, want: (_weights_hint(_X150, _y150, 3, 0.3)(got, want) + " "
                                     + _errors_hint(_X150, _y150, 3, 0.3)(got, want))),
        Test("hidden: 12,000 points, d = 20, bytes sent to the driver", 1, [
            Call("linregGradientDescent(pts, 2)", setup=_BIG, meter=True,
                 show="linregGradientDescent(12,000 points with d = 20 in 4 partitions, 2), metered")],
            check=[length(2), item(0, is_ndarray(), *_SAME), item(1, is_ndarray(), same_shape()),
                   meter_below(1_000_000)],
            hint=_BYTES_HINT),
    ],
)

QUESTIONS = [squaredError, calcRMSE, gradientSummand, getLabeledPrediction, linregGradientDescent]
