"""Probes for 01_closed_form: the master's hidden tests, as calls to make and results to compare.

Mirrors ``autograder/source/01_closed_form.ipynb`` (same inputs, seeds, tolerances and points:
computeOuterProduct [0, 1, 1], linregClosedForm [0, 2, 1, 1]). Expected values are not written
here: they are what the reference submission returns on the same calls, computed in the sandbox
and kept outside it. Keep this file in step with the master's tests.
"""

import numpy as np

from autograder.grader.spec import (Call, Question, Test, as_array, close, float_array,
                                    is_ndarray, lp, meter_below, points_rdd, same_shape)

ASSIGNMENT = "01_closed_form"


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
    timeout=30,
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
            check=[same_shape(), close(atol=1e-3), meter_below(64 * 1024)],
            hint="Summing on the executors sends a few kB to the driver. Do not collect() the data "
                 "or the per-row products: reduce them."),
    ],
)

QUESTIONS = [computeOuterProduct, linregClosedForm]
