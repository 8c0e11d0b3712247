"""Probes for 03_communication: the master's hidden tests, as calls to make and results to compare.

Mirrors ``autograder/source/03_communication.ipynb`` (same inputs, seeds, tolerances and points:
predictCommunication [0, 1, 1, 1], ridgeClosedForm [0, 1, 1], gridSearchBroadcast [0, 2, 1, 1],
twoWayInteractions [0, 1, 1], gridSearch2D [0, 0, 2, 1]).
Expected values are what the reference submission returns on the same calls. The master's
metered tests of gridSearchBroadcast and gridSearch2D (jobs, broadcast and closure bytes) are
:func:`metered` calls checked with :func:`counted`; gridSearchBroadcast's hidden tests swap the
reference ``ridgeClosedForm`` in, which ``standins`` does here.
"""

import numpy as np

from autograder.grader.spec import likely, near
from autograder.grader.spec import (Call, Question, Test, as_array, close, counted, is_ndarray,
                                    item, length, metered, same_shape)

ASSIGNMENT = "03_communication"


# --- predictCommunication ----------------------------------------------------------------------
def _pc_expected(n, d, p, method, it=1):
    return 8 * {"closed_form": p * (d * d + d), "gradient_descent": it * p * d,
                "collect": n * (d + 1)}[method]


def _pc_hint(cases, method, default):
    """Diagnoses for the calls of one test; the reference's value says which call failed."""
    def hint(got, want):
        for n, d, p, it in cases:
            right = _pc_expected(n, d, p, method, it)
            if not near(want, right):
                continue
            variants = [(right / 8, "these are floats, not bytes: 8 bytes per float")]
            if method == "closed_form":
                variants += [(8 * p * d * d, "only XᵀX is counted: each partition sends Xᵀy (d floats) too"),
                             (8 * (d * d + d), "one partition is counted: every partition sends its own sums"),
                             (8 * n * (d * d + d), "n is in the formula: each partition sends its sums once, whatever n"),
                             (8 * n * p * (d * d + d), "n is in the formula: each partition sends its sums once, whatever n")]
            elif method == "gradient_descent":
                variants += [(8 * p * d, "numIters is ignored: every iteration sends d floats per partition"),
                             (8 * it * d, "the partitions are not counted: each sends d floats per iteration"),
                             (8 * it * p * d * d, "d² floats: a gradient is a d-vector"),
                             (8 * n * d * it, "n is in the formula: a partition sends one summed gradient")]
            else:
                variants += [(8 * n * d, "the label is missing: every row sends d features and 1 label"),
                             (8 * p * n * (d + 1), "the partition count is in the formula: every row is sent once"),
                             (8 * p * (d + 1), "collect() brings every row, not one per partition")]
            return likely(got, variants, right, default)
        return default
    return hint


_PC_CLOSED = [(10**6, 3, 8, 1), (500, 40, 2, 1), (7, 1, 1, 1)]
_PC_GD = [(10**6, 1000, 8, 50), (200, 7, 3, 1), (50, 12, 5, 4)]
_PC_COLLECT = [(1000, 12, 4, 1), (50_000, 3, 16, 1), (9, 99, 1, 1)]
# The master compares with np.isclose on whatever comes back (an int, a float, a numpy number).
_PC_CHECK = [close(shape=False)]

predictCommunication = Question("predictCommunication", timeout=30, tests=[
    Test("public check: closed form, d = 10, 4 partitions", 0,
         [Call("predictCommunication(1000, 10, 4, 'closed_form')")], check=_PC_CHECK,
         hint=_pc_hint([(1000, 10, 4, 1)], "closed_form",
                       "4 partitions × (d² + d) floats × 8 bytes.")),
    Test("hidden: closed form", 1,
         [Call(f"predictCommunication({n}, {d}, {p}, 'closed_form')") for n, d, p, _ in _PC_CLOSED],
         check=_PC_CHECK,
         hint=_pc_hint(_PC_CLOSED, "closed_form",
                       "Each partition sends d² + d floats (XᵀX and Xᵀy) once, 8 bytes each; "
                       "n plays no part.")),
    Test("hidden: gradient descent, and numIters defaults to 1", 1,
         [Call(f"predictCommunication({n}, {d}, {p}, 'gradient_descent', {it})")
          for n, d, p, it in _PC_GD]
         + [Call("predictCommunication(100000, 20, 4, 'gradient_descent')")],
         check=_PC_CHECK,
         hint=_pc_hint(_PC_GD + [(10**5, 20, 4, 1)], "gradient_descent",
                       "Each partition sends d floats per iteration, 8 bytes each: "
                       "8 · numIters · numPartitions · d (numIters defaults to 1).")),
    Test("hidden: collect", 1,
         [Call(f"predictCommunication({n}, {d}, {p}, 'collect')") for n, d, p, _ in _PC_COLLECT],
         check=_PC_CHECK,
         hint=_pc_hint(_PC_COLLECT, "collect",
                       "Every row sends d features and 1 label, 8 bytes each; the partition "
                       "count plays no part.")),
])


# --- ridgeClosedForm ---------------------------------------------------------------------------
_rng31 = np.random.default_rng(31)
_X60 = _rng31.normal(size=(60, 5)) * np.array([1.0, 3.0, 0.2, 1.0, 5.0])
_y60 = _X60 @ np.array([1.0, -2.0, 0.5, 0.0, 3.0]) + _rng31.normal(size=60)
_rng32 = np.random.default_rng(32)
_X3, _y3 = _rng32.normal(size=(3, 6)), _rng32.normal(size=3)


def _solve(A, b):
    try:
        return np.linalg.solve(A, b)
    except np.linalg.LinAlgError:
        return None


def _ridge_hint(problems):
    def hint(got, want):
        for X, y, lam in problems:
            A, b, eye = X.T @ X, X.T @ y, np.eye(X.shape[1])
            right = _solve(A + lam * eye, b)
            if right is None or not near(want, right):
                continue
            return likely(got, [
                (_solve(A + lam, b), "λ is added to every entry of XᵀX (XᵀX + λ): add λ·I, to the diagonal only"),
                (_solve(A, b), "the penalty is missing: solve (XᵀX + λ·I) w = Xᵀy"),
                (_solve(A + lam * len(y) * eye, b), "λ is scaled by n: add λ·I, unscaled"),
                (_solve(A + 2 * lam * eye, b), "2λ on the diagonal: add λ·I"),
                (_solve(A + lam * lam * eye, b), "λ² on the diagonal: add λ·I"),
                (_solve(X @ X.T + lam * np.eye(len(y)), y), "XXᵀ instead of XᵀX"),
            ], right, "Solve (XᵀX + regParam·I) w = Xᵀy with np.linalg.solve: a vector of shape (d,).")
        return "Solve (XᵀX + regParam·I) w = Xᵀy with np.linalg.solve: a vector of shape (d,)."
    return hint


_RIDGE = [same_shape(), close(rtol=1e-6, atol=1e-9)]

ridgeClosedForm = Question("ridgeClosedForm", timeout=30, tests=[
    Test("public check: X = diag(1, 2), regParam = 1", 0,
         [Call("ridgeClosedForm(np.array([[1.0, 0.0], [0.0, 2.0]]), np.array([1.0, 2.0]), 1.0)")],
         check=[is_ndarray(), same_shape(), close()],
         hint=_ridge_hint([(np.diag([1.0, 2.0]), np.array([1.0, 2.0]), 1.0)])),
    Test("hidden: 60 points, d = 5, regParam = 0, 2.5 and 400", 1,
         [Call("ridgeClosedForm(X, y, regParam)", inputs={"X": _X60, "y": _y60, "regParam": lam},
               show=f"ridgeClosedForm(X of shape (60, 5), y, {lam})") for lam in (0.0, 2.5, 400.0)],
         check=_RIDGE, hint=_ridge_hint([(_X60, _y60, lam) for lam in (0.0, 2.5, 400.0)])),
    Test("hidden: 3 rows, 6 features (XᵀX singular), regParam = 10", 1,
         [Call("ridgeClosedForm(X, y, 10.0)", inputs={"X": _X3, "y": _y3},
               show="ridgeClosedForm(X of shape (3, 6), y, 10.0)")],
         check=_RIDGE,
         hint=lambda got, want: _ridge_hint([(_X3, _y3, 10.0)])(got, want)
         + " XᵀX alone is singular here; XᵀX + 10·I is not."),
])


# --- gridSearchBroadcast (the reference ridgeClosedForm stands in) -----------------------------
_GRID = [3.0, 300.0, 10.0, 0.0, 30.0, 1.0]
_DATA21 = ("X, y, _ = helpers.make_regression(300, 40, noise=4.0, seed=21)\n"
           "train, val = (X[:150], y[:150]), (X[150:], y[150:])")
_gsb = Call(f"gridSearchBroadcast(sc, train, val, {_GRID})", setup=_DATA21, spark=True,
            show=f"gridSearchBroadcast(sc, 150 training points, 150 validation points with "
                 f"d = 40, {_GRID})")

# 1,000 training and 400 validation points with d = 12: 145,600 bytes of arrays.
_DATA22 = ("X, y, _ = helpers.make_regression(1400, 12, noise=2.0, seed=22)\n"
           "train, val = (X[:1000], y[:1000]), (X[1000:], y[1000:])")
_DATA_BYTES = 8 * (1000 * 12 + 1000 + 400 * 12 + 400)
_GRID22 = [0.1, 1.0, 10.0, 100.0, 1000.0, 3.0]


def _val_errors(check):
    """``check`` on the validation errors, flattened as the master does (np.asarray(...).ravel())."""
    def run(got, want, ctx):
        g = as_array(got)
        return check(g.ravel() if g is not None else got, as_array(want).ravel(), ctx)
    return run


def _errors_hint(got, want):
    g = as_array(got[1]) if isinstance(got, (tuple, list)) and len(got) == 2 else None
    w = as_array(want[1]) if isinstance(want, (tuple, list)) and len(want) == 2 else None
    default = ("For each regParam: the root of the mean squared error of its model on the "
               "validation data, in the order of regParams.")
    if w is None or w.size != len(_GRID):
        return default
    w = w.ravel()
    if g is None or g.size != w.size:
        return "Return (bestRegParam, valErrors) with one validation RMSE per regParam."
    g, lam = g.ravel(), np.array(_GRID)
    order = np.argsort(lam)
    if near(g, w ** 2):
        return "These are mean squared errors: take their square root (RMSE)."
    if near(g, np.sort(w)) or near(g, w[order]):
        return "The errors are reordered: keep them in the order of regParams."
    if np.all(np.diff(g[order]) >= 0) and g[order][-1] > g[order][0] and np.all(g < w):
        return ("The errors grow with λ and lie below the validation errors: these look like "
                "training errors. Score each model on valData.")
    return default


def _best_hint(got, want):
    best = got[0] if isinstance(got, (tuple, list)) and got else got
    if near(best, _GRID.index(10.0)):
        return "bestRegParam is the position of the best value: return the value of λ, regParams[i]."
    if near(best, 300.0):
        return "Take the λ whose validation RMSE is the smallest (argmin), not the largest."
    if near(best, 0.0):
        return "λ = 0 wins on training error: choose by validation error."
    return ("Return the value of λ (not its position) with the smallest validation RMSE, "
            "chosen by validation error (not training error).")


def _broadcast_rules(data_bytes: int, values: int):
    """The checks and the hint of a metered grid search (gridSearchBroadcast, gridSearch2D) on
    ``data_bytes`` bytes of arrays and ``values`` values of regParam: one definition for the public
    checks and the hidden tests, so all give the same messages."""
    checks = [counted("jobs", at_least=1, at_most=2), counted("broadcast_bytes", at_least=data_bytes),
              counted("closure_bytes", below=data_bytes // 2)]

    def hint(got, want):
        counts = got[1] if isinstance(got, tuple) and len(got) == 2 and isinstance(got[1], dict) else {}
        jobs, bb, cb = (counts.get(k) for k in ("jobs", "broadcast_bytes", "closure_bytes"))
        if isinstance(jobs, int) and jobs < 1:
            return ("No Spark job ran: train the models on the executors, one task per regParam, "
                    "not in a loop on the driver.")
        if isinstance(jobs, int) and jobs > 2:
            return (f"{jobs} Spark jobs ran for {values} values of regParam: train them all in one "
                    "job (sc.parallelize(regParams, len(regParams)).map(...)), not one job per value.")
        if isinstance(bb, int) and bb < data_bytes:
            return ("Broadcast (trainData, valData) with sc.broadcast, once: the data must travel "
                    "in a broadcast, not inside the function's closure.")
        if isinstance(cb, int) and cb >= data_bytes / 2:
            return ("The arrays travel inside the function sent to every task: use the broadcast's "
                    ".value inside the function, not the arrays themselves.")
        return "Broadcast the data once and train every model in one Spark job."
    return checks, hint


_GSB_RULES = _broadcast_rules(_DATA_BYTES, len(_GRID22))
# The public check of the same rules: 500 training and 200 validation points with d = 12.
_DATA23 = ("X, y, _ = helpers.make_regression(700, 12, noise=2.0, seed=23)\n"
           "train, val = (X[:500], y[:500]), (X[500:], y[500:])")
_GRID23 = [0.0, 10.0, 1000.0]
_GSB_PUBLIC_RULES = _broadcast_rules(8 * (500 * 12 + 500 + 200 * 12 + 200), len(_GRID23))


gridSearchBroadcast = Question(
    "gridSearchBroadcast", spark=True, standins=["ridgeClosedForm"], timeout=180,
    tests=[
        Test("public check: 3 values of regParam", 0, [
            Call("gridSearchBroadcast(sc, (X[:200], y[:200]), (X[200:], y[200:]), [0.0, 1.0, 100.0])",
                 setup="X, y, _ = helpers.make_regression(300, 4, noise=1.0, seed=40)", spark=True,
                 show="gridSearchBroadcast(sc, 200 training points, 100 validation points with "
                      "d = 4, [0.0, 1.0, 100.0])")],
            check=[length(2), item(1, same_shape())],
            hint="Return the pair (bestRegParam, valErrors): one validation error per regParam."),
        Test("public check: one broadcast of the data, one Spark job", 0, [
            metered(f"gridSearchBroadcast(sc, train, val, {_GRID23})", setup=_DATA23,
                    show=f"gridSearchBroadcast(sc, 500 training and 200 validation points with "
                         f"d = 12, {_GRID23}), metered")],
            check=_GSB_PUBLIC_RULES[0], hint=_GSB_PUBLIC_RULES[1]),
        Test("hidden: validation RMSEs for 6 values of regParam", 2, [_gsb],
             check=[length(2), item(1, _val_errors(same_shape()), _val_errors(close(rtol=1e-6)))],
             hint=_errors_hint),
        Test("hidden: the best regParam", 1, [_gsb],
             check=[length(2), item(0, close(shape=False))], hint=_best_hint),
        Test("hidden: one broadcast of the data, one Spark job", 1, [
            metered(f"gridSearchBroadcast(sc, train, val, {_GRID22})", setup=_DATA22,
                    show=f"gridSearchBroadcast(sc, 1,000 training and 400 validation points with "
                         f"d = 12, {_GRID22}), metered")],
            check=_GSB_RULES[0], hint=_GSB_RULES[1]),
    ],
)


# --- twoWayInteractions --------------------------------------------------------------------
def _twi_hint(got, want):
    g, w = as_array(got), as_array(want)
    default = ("Return the d original columns, then x_i·x_j for every pair i < j, in the order "
               "of itertools.combinations(range(d), 2): d + d(d − 1)/2 columns.")
    if g is not None and w is not None and g.shape == w.shape and near(g, w):
        return "The values are right: return a numpy array (np.column_stack gives one)."
    if w is not None and w.ndim == 2 and w.shape[0] == 0 and (g is None or g.ndim != 2):
        return ("With no rows, return shape (0, d + d(d − 1)/2): np.column_stack of the columns "
                "keeps the width even when there are no rows.")
    if g is None or w is None or g.ndim != 2 or w.ndim != 2 or g.shape[0] != w.shape[0]:
        return default
    width = w.shape[1]  # d + d(d-1)/2 = d(d+1)/2: solve for d
    d = int(round((np.sqrt(8 * width + 1) - 1) / 2))
    # Widths of the likely mistakes (the hidden calls' d = 1, 2, 5, 12 keep them apart, except
    # at d = 1, where the squares' message is the one given).
    widths = {d * (d - 1) // 2: "Only the products are here: keep the d original features "
                                "first, then the products.",
              d + d * d: "Every product appears twice (x_i·x_j and x_j·x_i) and the squares are "
                         "in, as itertools.product(range(d), repeat=2) makes them (the original "
                         "lab's definition): here take each pair of different features once, "
                         "i < j.",
              d + d * (d - 1): "Every product appears twice (x_i·x_j and x_j·x_i): take each "
                               "pair once, i < j.",
              d + d * (d + 1) // 2: "The squares x_i·x_i are in: two-way interactions are "
                                    "products of two different features, i < j."}
    if g.shape[1] != w.shape[1] and g.shape[1] in widths:
        return widths[g.shape[1]]
    if g.shape == w.shape and near(np.sort(g, axis=1), np.sort(w, axis=1)):
        return "The columns are all here but in another order: itertools.combinations' order."
    return default


def _rows(seed: int, n: int, d: int) -> str:
    return f"X = np.random.default_rng({seed}).standard_normal(({n}, {d}))"


twoWayInteractions = Question("twoWayInteractions", timeout=30, tests=[
    # d = 4: the first d at which another order of the pairs (j-major, np.tril_indices) differs
    Test("public check: one row, d = 4", 0,
         [Call("twoWayInteractions(np.array([[1.0, 2.0, 3.0, 4.0]]))")],
         check=[is_ndarray(), same_shape(), close()],
         hint="[[1, 2, 3, 4]] gives [[1, 2, 3, 4, 1·2, 1·3, 1·4, 2·3, 2·4, 3·4]] = "
              "[[1, 2, 3, 4, 2, 3, 4, 6, 8, 12]]."),
    Test("hidden: random rows, d = 2, 5 and 12", 1,
         [Call("twoWayInteractions(X)", setup=_rows(31 + d, n, d), show=f"twoWayInteractions"
               f"({n} random rows, d = {d})") for n, d in [(4, 2), (7, 5), (20, 12)]],
         check=[is_ndarray(), same_shape(), close()], hint=_twi_hint),
    Test("hidden: d = 1 has no pairs, and no rows at all", 1,
         [Call("twoWayInteractions(X)", setup=_rows(41, 5, 1),
               show="twoWayInteractions(5 rows, d = 1)"),
          Call("twoWayInteractions(np.zeros((0, 4)))")],
         check=[is_ndarray(), same_shape(), close()], hint=_twi_hint),
])


# --- gridSearch2D (the reference gridSearchBroadcast is not used: nothing stands in) --------
# Not square (4 × 5), so a transposed result fails on its shape; 1 and 2 steps side by side, so
# an error recorded one step early shows (the hint below).
_G2_REG = [0.0, 0.1, 1.0, 10.0]
_G2_ITERS = [1, 2, 5, 20, 40]
_DATA24 = ("X, y, _ = helpers.make_regression(400, 6, noise=2.0, seed=24)\n"
           "y = y + 50.0  # an intercept to learn\n"
           "train, val = (X[:300], y[:300]), (X[300:], y[300:])\n"
           "alpha = helpers.safe_step(train[0], 10.0)")
_g2 = Call(f"gridSearch2D(sc, train, val, {_G2_REG}, {_G2_ITERS}, alpha)", setup=_DATA24,
           spark=True, show=f"gridSearch2D(sc, 300 training and 100 validation points with d = 6 "
                            f"and an intercept of 50, {_G2_REG}, {_G2_ITERS}, alpha)")
# The metered calls: 1,200 training and 300 validation points with d = 10 (132,000 bytes of
# arrays), and for the public check 500 and 200 with d = 12 (72,800 bytes).
_DATA25 = ("X, y, _ = helpers.make_regression(1500, 10, noise=2.0, seed=25)\n"
           "train, val = (X[:1200], y[:1200]), (X[1200:], y[1200:])")
_G2_REG25 = [0.0, 0.3, 3.0, 30.0]
_G2_RULES = _broadcast_rules(8 * (1500 * 10 + 1500), len(_G2_REG25))
_DATA26 = ("X, y, _ = helpers.make_regression(700, 12, noise=2.0, seed=26)\n"
           "train, val = (X[:500], y[:500]), (X[500:], y[500:])")
_G2_REG26 = [0.0, 1.0, 10.0]
_G2_PUBLIC_RULES = _broadcast_rules(8 * (700 * 12 + 700), len(_G2_REG26))


def _g2_hint(got, want):
    g, w = as_array(got), as_array(want)
    default = ("Each task: the intercept column in front of X, w = 0, then numIters steps of "
               "w ← w − alpha·(X₁ᵀ(X₁w − y)/n + regParam·(0, w₁, …, w_d)), the validation RMSE "
               "recorded after the step counts in `iterations`.")
    if g is not None and w is not None and g.shape == w.shape and near(g, w):
        return "The values are right: return a numpy array (np.array of the collected rows)."
    if g is None or w is None or g.shape != w.shape:
        return ("Return a numpy array of shape (len(regParams), len(iterations)): one row per "
                "regParam, one column per step count." if w is not None else default)
    if near(g[0], w[0]) and not near(g[1:], w[1:]):
        return ("Right without regularisation, wrong with it: the penalty regParam·w applies to "
                "w₁ … w_d only, never to the intercept w₀.")
    if near(g, w ** 2):
        return "These are mean squared errors: take their square root (RMSE)."
    if g.shape[1] > 1 and near(g[:, 1], w[:, 0]):  # step counts 1, 2: one step early shows
        return ("Each error is one step early: take step t first, then record the validation RMSE "
                "for t in iterations.")
    return default


gridSearch2D = Question("gridSearch2D", spark=True, timeout=180, tests=[
    Test("public check: 3 values of regParam, 2 step counts", 0, [
        Call("gridSearch2D(sc, (X[:200], y[:200]), (X[200:], y[200:]), [0.0, 1.0, 10.0], [1, 2], 0.1)",
             setup="X, y, _ = helpers.make_regression(300, 4, noise=1.0, seed=42)\n"
                   "y = y + 20.0  # an intercept to learn", spark=True,
             show="gridSearch2D(sc, 200 training points, 100 validation points with d = 4 and "
                  "an intercept of 20, [0.0, 1.0, 10.0], [1, 2], 0.1)")],
        check=[is_ndarray(), same_shape(), close(rtol=1e-6)], hint=_g2_hint),
    Test("public check: one broadcast of the data, one Spark job", 0, [
        metered(f"gridSearch2D(sc, train, val, {_G2_REG26}, [1, 5], 0.1)", setup=_DATA26,
                show=f"gridSearch2D(sc, 500 training and 200 validation points with d = 12, "
                     f"{_G2_REG26}, [1, 5], 0.1), metered")],
        check=_G2_PUBLIC_RULES[0], hint=_G2_PUBLIC_RULES[1]),
    Test("hidden: validation RMSEs over the grid, intercept not penalised", 2, [_g2],
         check=[is_ndarray(), same_shape(), close(rtol=1e-6)], hint=_g2_hint),
    Test("hidden: one broadcast of the data, one Spark job", 1, [
        metered(f"gridSearch2D(sc, train, val, {_G2_REG25}, [2, 4], 0.05)",
                setup=_DATA25, show=f"gridSearch2D(sc, 1,200 training and 300 validation points "
                                    f"with d = 10, {_G2_REG25}, [2, 4], 0.05), metered")],
        check=_G2_RULES[0], hint=_G2_RULES[1]),
])

QUESTIONS = [predictCommunication, ridgeClosedForm, gridSearchBroadcast, twoWayInteractions,
             gridSearch2D]
