"""Unit tests of the grader's wire format and checks (``autograder/grader/spec.py``).

Both directions of the wire, with the real code on each end and no sandbox in between:

- grader -> sandbox: :func:`spec.encode` (and ``lp``/``dv``/``rdd``/``points_rdd``), sent as
  ``Sandbox.send`` sends it (``json.dumps``), read as the harness reads it (its own bound JSON
  scanner) and rebuilt by ``harness.build``;
- sandbox -> grader: ``harness.plain`` and ``harness._enc`` (the strict student-side encoder),
  parsed with ``json.loads`` and decoded by :func:`spec.decode` into trusted objects.

``harness.py`` imports without side effects (its start-up is under ``__main__``); pyspark's
``DenseVector``/``LabeledPoint`` and Spark itself are replaced by small stand-ins, so nothing
here starts a JVM. Then ``kind``, ``render``, ``as_array``, ``near``, ``likely`` and every
check factory, each with the exact message it gives.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from autograder.grader import harness, spec  # noqa: E402
from autograder.grader.spec import Foreign, Invalid, Point, SubArray, Vector  # noqa: E402

pytestmark = pytest.mark.quick

NONE_MSG = "returned None: is the function finished (does it `return` its result)?"


# --- stand-ins for pyspark's classes and for Spark -----------------------------------------------
class FakeDenseVector:
    """What the harness reads of a DenseVector: its ``array`` attribute."""

    def __init__(self, values):
        self.array = np.asarray(values, dtype=float)


class FakeLabeledPoint:
    def __init__(self, label, features):
        self.label = float(label)
        self.features = FakeDenseVector(features)


class FakeContext:
    def parallelize(self, items, partitions):
        return ("rdd", items, partitions)


class FakeSession:
    sparkContext = FakeContext()


@pytest.fixture
def pyspark_standins(monkeypatch):
    monkeypatch.setattr(harness, "_DenseVector", FakeDenseVector)
    monkeypatch.setattr(harness, "_LabeledPoint", FakeLabeledPoint)
    monkeypatch.setattr(harness, "start_spark", lambda: FakeSession())


# --- helpers -------------------------------------------------------------------------------------
def same(a, b) -> bool:
    """Deep equality that also compares types and dtypes (and NaN equal to NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return (a.dtype == b.dtype and a.shape == b.shape
                and bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f")))
    if isinstance(a, np.generic):
        return a.dtype == b.dtype and (a == b or (a != a and b != b))
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return a == b


def short_id(value) -> str:
    """A test id: the value's repr on one line, cut short."""
    text = " ".join(repr(value).split())
    return text if len(text) <= 40 else text[:37] + "..."


def to_sandbox(value):
    """grader -> sandbox: encode, send as Sandbox.send does, parse and build as the harness does."""
    line = json.dumps({"inputs": {"x": spec.encode(value)}}, allow_nan=True)
    message, _ = harness._scan(line, 0)
    return harness.build(message["inputs"]["x"])


def wire_text(value) -> str:
    out = []
    harness._enc(harness.plain(value), out)
    return "".join(out)


def from_sandbox(value):
    """sandbox -> grader: plain, the harness's own JSON writer, json.loads, decode."""
    return spec.decode(json.loads(wire_text(value)))


# --- encode: inputs as plain data ----------------------------------------------------------------
@pytest.mark.parametrize("value", [None, True, False, 0, -7, 2.5, "text", ""])
def test_encode_leaves_json_scalars_as_they_are(value):
    assert same(spec.encode(value), value)


def test_encode_array_keeps_dtype_string_shape_and_flat_values():
    a = np.array([[1, 2, 3], [4, 5, 6]], dtype=np.int32)
    assert spec.encode(a) == {"__nd__": ["<i4", [2, 3], [1, 2, 3, 4, 5, 6]]}


def test_encode_float_array_writes_nan_as_a_string_but_keeps_infinities():
    enc = spec.encode(np.array([1.0, np.nan, np.inf, -np.inf]))
    dtype, shape, flat = enc["__nd__"]
    assert (dtype, shape) == ("<f8", [4])
    assert flat[:2] == [1.0, "nan"]
    assert flat[2] == math.inf and flat[3] == -math.inf


def test_encode_containers_and_numpy_scalars():
    assert spec.encode((1, [2.0, (3,)])) == {"__tuple__": [1, [2.0, {"__tuple__": [3]}]]}
    assert spec.encode({"a": 1, (1, 2): "b"}) == {
        "__dict__": [["a", 1], [{"__tuple__": [1, 2]}, "b"]]}
    assert spec.encode({}) == {"__dict__": []}
    assert spec.encode(np.float32(0.5)) == {"__np__": ["float32", 0.5]}
    assert spec.encode(np.int64(3)) == {"__np__": ["int64", 3]}


def test_encode_passes_already_encoded_values_through():
    point = spec.lp(1, [2, 3])
    assert spec.encode(point) is point
    assert spec.encode([point]) == [point]


def test_encode_one_entry_dict_with_a_key_that_is_not_a_string():
    assert spec.encode({1: 2.0}) == {"__dict__": [[1, 2.0]]}


@pytest.mark.parametrize("value", [object(), {1, 2}, 1 + 2j, b"bytes"])
def test_encode_refuses_what_is_not_plain_data(value):
    with pytest.raises(TypeError, match="cannot send .* to the sandbox as plain data"):
        spec.encode(value)


def test_lp_dv_rdd_points_rdd_records():
    assert spec.lp(3, [1, 2]) == {"__lp__": [3.0, {"__nd__": ["<f8", [2], [1.0, 2.0]]}]}
    assert spec.dv([1, 2]) == {"__dv__": {"__nd__": ["<f8", [2], [1.0, 2.0]]}}
    assert spec.rdd(((1, 2.0), (3, 4.0)), 2) == {
        "__rdd__": [[{"__tuple__": [1, 2.0]}, {"__tuple__": [3, 4.0]}], 2]}
    assert spec.points_rdd([[1, 2], [3, 4]], [5, 6], "3") == {"__points__": [
        {"__nd__": ["<f8", [2, 2], [1.0, 2.0, 3.0, 4.0]]},
        {"__nd__": ["<f8", [2], [5.0, 6.0]]}, 3]}


ROUND_TRIP_INPUTS = [
    3, -2.5, True, None, "naïve ✓", [1, 2.0, "x"], (1, (2, 3)), {"a": (1, 2), 3: [4.5]},
    np.array([1.5, -2.0, 1e300]), np.array([[1, 2], [3, 4]], dtype=np.int64),
    np.array([True, False]), np.array(4.0), np.zeros(0), np.zeros((0, 3)),
    np.array([1.0, np.nan, np.inf, -np.inf]), np.arange(6, dtype=np.float32).reshape(2, 3),
    np.array([2**40, -1], dtype=np.int64), np.array([7], dtype=np.uint8),
    np.float64(0.1), np.int32(-3), np.bool_(True),
    [np.array([1.0]), (np.int64(2), {"k": np.zeros((1, 1))})],
]


@pytest.mark.parametrize("value", ROUND_TRIP_INPUTS, ids=short_id)
def test_inputs_round_trip_to_the_harness(value):
    assert same(to_sandbox(value), value)


def test_lp_and_dv_are_built_inside_the_sandbox(pyspark_standins):
    point = to_sandbox(spec.lp(-3.5, [1, 2]))
    assert isinstance(point, FakeLabeledPoint) and point.label == -3.5
    assert same(point.features.array, np.array([1.0, 2.0]))
    vector = to_sandbox(spec.dv([0.5, 1.5]))
    assert isinstance(vector, FakeDenseVector)
    assert same(vector.array, np.array([0.5, 1.5]))


def test_rdd_and_points_rdd_are_parallelized_inside_the_sandbox(pyspark_standins):
    kind, items, partitions = to_sandbox(spec.rdd([(1, 2.0), (3, 4.0)], 3))
    assert (kind, partitions) == ("rdd", 3) and same(items, [(1, 2.0), (3, 4.0)])
    kind, points, partitions = to_sandbox(spec.points_rdd([[1, 2], [3, 4]], [5, 6], 2))
    assert (kind, partitions, len(points)) == ("rdd", 2, 2)
    assert [p.label for p in points] == [5.0, 6.0]
    assert same(points[1].features.array, np.array([3.0, 4.0]))


def test_call_message_encodes_its_inputs():
    call = spec.Call("f(x)", inputs={"x": np.array([1.0]), "t": (1, 2)}, setup="y = 1",
                     meter=True)
    assert call.message() == {
        "expr": "f(x)", "inputs": {"x": {"__nd__": ["<f8", [1], [1.0]]},
                                   "t": {"__tuple__": [1, 2]}},
        "setup": "y = 1", "meter": True, "spark": False}


def test_question_calls_once_each_and_points_add_up():
    shared, other = spec.Call("f(1)"), spec.Call("f(2)")
    q = spec.Question("f", [spec.Test("a", 1, [shared]), spec.Test("b", 2.5, [shared, other]),
                            spec.Test("public", 0, [spec.Call("f(1)")])])
    calls = q.calls()
    # the shared call object once; an equal but distinct Call object is its own call
    assert len(calls) == 3
    assert calls[0] is shared and calls[1] is other and calls[2] is not shared
    assert q.points == 3.5


# --- plain and decode: results as plain data -----------------------------------------------------
ROUND_TRIP_RESULTS = [
    None, True, False, 0, 7, -2**63, 2**63 - 1, 2**63, -2**63 - 1,
    0.0, -0.0, 1.5, 1e-300, 1e300, "", "naïve ✓ \"quoted\"\n",
    np.array([1.5, -2.0]), np.array([[1, 2], [3, 4]]), np.array([True, False]),
    np.array(3.25), np.zeros(0), np.zeros((0, 3)), np.zeros((2, 0), dtype=np.int32),
    np.array([[1.0, np.nan], [np.inf, -np.inf]]), np.array([255], dtype=np.uint8),
    np.array([2**64 - 1], dtype=np.uint64), np.array([0.5, 0.25], dtype=np.float32),
    np.float64(2.5), np.float32(0.1), np.int32(-7), np.uint16(9), np.bool_(False),
    np.float64(np.nan), np.float16(0.5),
    [1, 2.0, "x", None], (1, (2.0, [3])), [], (),
    {"a": 1, "b": [np.zeros(2)]}, {(1, 2): "pair", 3: 4.0, None: True},
]


@pytest.mark.parametrize("value", ROUND_TRIP_RESULTS, ids=short_id)
def test_results_round_trip_from_the_harness(value):
    assert same(from_sandbox(value), value)


@pytest.mark.parametrize("value, expected", [
    (float("nan"), float("nan")), (float("inf"), math.inf), (float("-inf"), -math.inf)])
def test_non_finite_floats_travel_as_strings(value, expected):
    text = wire_text(value)
    assert json.loads(text)["v"] in ("nan", "inf", "-inf")  # strict JSON: no NaN/Infinity
    assert same(spec.decode(json.loads(text)), expected)


def test_ints_stay_ints_and_floats_stay_floats():
    assert type(from_sandbox(1)) is int and type(from_sandbox(1.0)) is float
    assert from_sandbox(np.array([1, 2])).dtype == np.int64
    assert from_sandbox(np.array([1.0, 2.0])).dtype == np.float64
    assert type(from_sandbox(np.int64(1))) is np.int64


def test_ints_outside_int64_travel_as_decimal_strings():
    # Exact in any JSON reader (no reader turns a string into a rounded double).
    assert wire_text(2**63 - 1) == '{"t":"int","v":9223372036854775807}'
    assert wire_text(2**63) == '{"t":"int","v":"9223372036854775808"}'
    assert wire_text(-2**63 - 1) == '{"t":"int","v":"-9223372036854775809"}'


def test_the_harness_writes_ascii_json_only():
    text = wire_text({"é": ["✓", 1.5]})
    assert text.isascii()
    assert from_sandbox({"é": ["✓", 1.5]}) == {"é": ["✓", 1.5]}


def test_long_strings_are_cut_at_2000_characters():
    assert from_sandbox("x" * 5000) == "x" * 2000
    assert spec.decode({"t": "str", "v": "y" * 3000}) == "y" * 2000


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # np.matrix
def test_a_matrix_comes_back_as_a_marked_subclass():
    got = from_sandbox(np.matrix([[1.0, 2.0]]))
    assert isinstance(got, SubArray) and got.type_name == "numpy.matrix"
    assert same(got.array, np.array([[1.0, 2.0]]))


def test_dense_vector_and_labeled_point_come_back_as_trusted_objects(pyspark_standins):
    vec = from_sandbox(FakeDenseVector([1.0, 2.0]))
    assert isinstance(vec, Vector) and same(vec.array, np.array([1.0, 2.0]))
    point = from_sandbox(FakeLabeledPoint(3, [4.0]))
    assert isinstance(point, Point) and point.label == 3.0
    assert isinstance(point.features, Vector) and same(point.features.array, np.array([4.0]))


def test_a_dense_vector_without_an_array_has_none():
    vec = spec.decode({"t": "DenseVector", "v": {"t": "list", "v": []}})
    assert isinstance(vec, Vector) and vec.array is None


@pytest.mark.parametrize("value, type_name", [
    (np.array([1 + 2j]), "numpy.ndarray[complex128]"),
    (np.array(["a", "bc"]), "numpy.ndarray[str64]"),
    (np.array([None], dtype=object), "numpy.ndarray[object]"),
    (np.complex128(1j), "numpy.ndarray[complex128]"),
])
def test_arrays_of_unsupported_dtypes_are_foreign(value, type_name):
    got = from_sandbox(value)
    assert isinstance(got, Foreign)
    assert (got.type_name, got.text) == (type_name, "unsupported dtype")


class Mystery:
    def __repr__(self):
        return "Mystery(42)"


class BadRepr:
    def __repr__(self):
        raise ValueError("no")


class MyFloat(np.float64):
    """A student's subclass of a numpy scalar type: not trusted as a number."""


def test_objects_of_unknown_types_are_foreign_with_type_and_repr():
    got = from_sandbox(Mystery())
    assert isinstance(got, Foreign)
    assert got.type_name == f"{__name__}.Mystery" and got.text == "Mystery(42)"
    assert repr(got) == f"<{__name__}.Mystery object: Mystery(42)>"
    assert from_sandbox(BadRepr()).text == "<repr raised ValueError>"
    assert from_sandbox(Mystery).type_name == "builtins.type"


def test_a_subclass_of_a_numpy_scalar_is_not_a_number():
    got = from_sandbox(MyFloat(1.5))
    assert isinstance(got, Foreign) and got.type_name == f"{__name__}.MyFloat"
    assert spec.number()(got, 1.5, {}) == f"expected one number, got a {__name__}.MyFloat"


def test_values_nested_deeper_than_the_harness_allows_are_foreign():
    value = 1.0
    for _ in range(9):  # harness._MAX_DEPTH is 8: the innermost list is at depth 8
        value = [value]
    got = from_sandbox(value)
    for _ in range(8):
        assert isinstance(got, list) and len(got) == 1
        got = got[0]
    assert isinstance(got, Foreign) and got.text == "nested too deeply"
    shallow = [[[[[[[[1.0]]]]]]]]  # 8 lists: the float inside is still sent
    assert from_sandbox(shallow) == shallow


def test_values_over_the_element_budget_are_too_big(monkeypatch):
    monkeypatch.setattr(harness, "_MAX_ELEMENTS", 10)
    arr = from_sandbox(np.zeros(11))
    assert isinstance(arr, Foreign) and arr.type_name == "numpy.ndarray(11,)"
    assert arr.text == "too large to compare"
    items = from_sandbox(list(range(20)))
    assert items[:9] == list(range(9))  # the list itself counts as one element
    assert all(isinstance(x, Foreign) and x.type_name == "large value" for x in items[9:])
    assert same(from_sandbox(np.zeros(9)), np.zeros(9))


def test_decode_hand_made_records():
    assert spec.decode({"t": "int", "v": "123456789012345678901234567890"}) == \
        123456789012345678901234567890
    assert same(spec.decode({"t": "float", "v": 2}), 2.0)
    assert spec.decode({"t": "bool", "v": "true"}) is False  # only JSON true is True
    assert same(spec.decode({"t": "ndarray", "dtype": "float64", "shape": [2, 1],
                             "v": [1, "nan"]}), np.array([[1.0], [np.nan]]))
    assert same(spec.decode({"t": "npscalar", "dtype": "int16", "shape": [], "v": 5}),
                np.int16(5))
    assert spec.decode({"t": "too_big"}).type_name == "large value"
    big = spec.decode({"t": "ndarray", "dtype": "float64", "shape": [3000, 1000],
                       "v": None, "too_big": True})
    assert isinstance(big, Foreign) and big.type_name == "numpy.ndarray(3000, 1000)"
    other = spec.decode({"t": "other", "type": "x" * 500, "repr": "y" * 500})
    assert (len(other.type_name), len(other.text)) == (200, 300)


def test_decode_dict_keys_that_cannot_be_keys_become_their_repr():
    got = spec.decode({"t": "dict", "v": [[{"t": "list", "v": [{"t": "int", "v": 1}]},
                                           {"t": "int", "v": 2}]]})
    assert got == {"[1]": 2}


@pytest.mark.parametrize("record", [
    None, [], "text", {}, {"t": "mystery"}, {"t": "int"}, {"t": "int", "v": "12x"},
    {"t": "float", "v": "1.5"}, {"t": "float", "v": None},
    {"t": "ndarray", "dtype": "float64", "shape": [3], "v": [1.0, 2.0]},
    {"t": "ndarray", "dtype": "float64", "shape": [1], "v": [{"a": 1}]},
    {"t": "ndarray", "dtype": "int64", "shape": ["x"], "v": [1]},
    {"t": "list", "v": 5}, {"t": "dict", "v": [[{"t": "none"}]]},
    {"t": "LabeledPoint", "label": {"t": "float", "v": 1.0}},
])
def test_malformed_records_decode_as_invalid(record):
    assert isinstance(spec.decode(record), Invalid)


def test_an_unknown_dtype_is_foreign_not_built():
    got = spec.decode({"t": "ndarray", "dtype": "object", "shape": [1], "v": [1]})
    assert isinstance(got, Foreign) and got.type_name == "numpy.ndarray[object]"


def test_decode_depth_limit_applies_per_level():
    rec = {"t": "float", "v": 1.0}
    for _ in range(10):
        rec = {"t": "list", "v": [rec]}
    assert spec.decode(rec) == [[[[[[[[[[1.0]]]]]]]]]]  # the float is at depth 10: accepted
    deeper = {"t": "list", "v": [rec]}
    got = spec.decode(deeper)
    for _ in range(11):
        got = got[0]
    assert isinstance(got, Invalid) and got.why == "malformed"  # depth 11: refused, alone


def test_reprs_of_decoded_objects():
    assert repr(Invalid("why")) == "<invalid result: why>"
    assert repr(Vector(np.array([1.0]))) == "DenseVector(array([1.], dtype=float64, shape=(1,)))"
    assert repr(Point(2.0, Vector(None))) == "LabeledPoint(2.0, DenseVector(None))"
    assert repr(SubArray(np.eye(1), "numpy.matrix")) == \
        "numpy.matrix(array([[1.]], dtype=float64, shape=(1, 1)))"


# --- kind, render, as_array, near, likely --------------------------------------------------------
@pytest.mark.parametrize("value, text", [
    (np.zeros((2, 3)), "a numpy array of float64 with shape (2, 3)"),
    (np.int32(1), "a numpy int32 scalar"),
    (True, "a bool"), (np.bool_(True), "a numpy bool scalar"),
    (3, "a Python int"), (3.0, "a Python float"), (None, "None"),
    ([1, 2], "a list of length 2"), ((), "a tuple of length 0"),
    (Vector(None), "a DenseVector"), (SubArray(np.eye(2), "numpy.matrix"),
                                      "a numpy.matrix (a numpy array subclass)"),
    (Foreign("pkg.Thing", "t"), "a pkg.Thing"), ("s", "str"), ({}, "dict"),
])
def test_kind(value, text):
    assert spec.kind(value) == text


def test_render_arrays_on_one_line_with_dtype_and_shape():
    assert spec.render(np.array([1.0, 2.5])) == "array([1. , 2.5], dtype=float64, shape=(2,))"
    assert spec.render(np.array([[1, 2], [3, 4]])) == \
        "array([[1, 2], [3, 4]], dtype=int64, shape=(2, 2))"
    assert spec.render(np.arange(100.0)) == \
        "array([ 0., 1., 2., ..., 97., 98., 99.], dtype=float64, shape=(100,))"
    assert spec.render(np.array([1 / 3])) == "array([0.333333], dtype=float64, shape=(1,))"
    assert spec.render((1, "a\nb")) == "(1, 'a\\nb')"


def test_render_cuts_at_the_limit():
    assert spec.render("x" * 10, limit=12) == "'xxxxxxxxxx'"  # 12 characters: kept whole
    assert spec.render("x" * 11, limit=12) == "'xxxxxxxxxxx" + " …"
    assert len(spec.render(list(range(1000)))) == 600 + 2


@pytest.mark.parametrize("value, expected", [
    (np.array([1, 2]), np.array([1.0, 2.0])),
    (Vector(np.array([3.0])), np.array([3.0])),
    (2, np.array(2.0)), (np.float32(0.5), np.array(0.5)),
    ([[1, 2], (3, 4.5)], np.array([[1.0, 2.0], [3.0, 4.5]])),
    ([np.array([1.0]), np.array([2.0])], np.array([[1.0], [2.0]])),
    ([], np.zeros(0)),
])
def test_as_array_of_number_like_values(value, expected):
    assert same(spec.as_array(value), expected)


@pytest.mark.parametrize("value", [
    None, "1.0", [1, "2"], [[1, 2], [3]], [1, None], Vector(None), Foreign("x", "y"),
    np.array(["a"]), np.array([1 + 1j]), {"a": 1}, Invalid("x"),
    # not numbers, however they convert: bools and numpy subclasses (see test_grader_strict_checks)
    True, np.bool_(False), np.array([True, False]), [1.0, True],
    SubArray(np.array([[1, 2]]), "numpy.matrix"),
])
def test_as_array_is_none_without_a_rectangular_numeric_form(value):
    assert spec.as_array(value) is None


def test_near():
    assert spec.near(np.array([1.0, 2.0]), [1.0, 2.0])
    assert spec.near([1, 2], np.array([1.0, 2.0]))
    assert spec.near(np.array([1.0]), [1.0 + 5e-7])           # within rtol 1e-6
    assert not spec.near(np.array([1.0]), [1.0 + 5e-6])
    assert spec.near(np.array([1.0]), [1.0 + 5e-6], rtol=1e-5)
    assert spec.near(0.0, 5e-10) and not spec.near(0.0, 5e-9)  # atol 1e-9
    assert not spec.near(np.array([1.0, 2.0]), [[1.0, 2.0]])  # same numbers, other shape
    assert not spec.near(np.array([1.0]), [1.0, 1.0])          # no broadcasting
    assert not spec.near("1.0", 1.0) and not spec.near(None, 1.0)
    assert not spec.near(np.array([np.nan]), [np.nan])


def test_likely_names_the_first_matching_mistake():
    right = np.array([1.0, 2.0])
    variants = [(None, "skipped"), (np.array([2.0, 4.0]), "doubled"),
                (np.array([2.0, 4.0]), "second"), (np.array([1.0, 2.0]), "is right")]
    assert spec.likely([2.0, 4.0], variants, right, "dflt") == "Likely doubled."
    # a variant equal to the right answer names nothing
    assert spec.likely([1.0, 2.0], variants, right, "dflt") == "dflt"
    assert spec.likely([9.0, 9.0], variants, right, "dflt") == "dflt"
    assert spec.likely("text", variants, right, "dflt") == "dflt"


# --- checks --------------------------------------------------------------------------------------
def test_is_ndarray():
    check = spec.is_ndarray()
    assert check(np.zeros(2), None, {}) is None
    assert check(np.array(1), None, {}) is None
    assert check(None, np.zeros(2), {}) == NONE_MSG
    assert check([1.0, 2.0], None, {}) == "expected a numpy array, got a list of length 2"
    assert check(SubArray(np.eye(2), "numpy.matrix"), None, {}) == \
        "expected a numpy array, got a numpy.matrix (a numpy array subclass)"
    assert check(np.float64(1), None, {}) == "expected a numpy array, got a numpy float64 scalar"


def test_float_array():
    check = spec.float_array()
    assert check(np.zeros(2), None, {}) is None
    assert check(np.zeros(2, dtype=np.float32), None, {}) is None
    assert check(np.zeros(2, dtype=np.int64), None, {}) == \
        "expected a float numpy array, got a numpy array of int64 with shape (2,)"
    assert check([0.0], None, {}) == "expected a float numpy array, got a list of length 1"
    assert check(np.float64(0), None, {}) == \
        "expected a float numpy array, got a numpy float64 scalar"
    assert check(None, None, {}) == NONE_MSG


def test_same_shape():
    check = spec.same_shape()
    want = np.zeros((2, 3))
    assert check(np.ones((2, 3), dtype=int), want, {}) is None
    assert check([[1, 2, 3], [4, 5, 6]], want, {}) is None
    assert check(np.zeros((3, 2)), want, {}) == "expected shape (2, 3), got shape (3, 2)"
    assert check(np.zeros(6), want, {}) == "expected shape (2, 3), got shape (6,)"
    assert check("no", want, {}) == "expected numbers of shape (2, 3), got str"
    assert check(None, want, {}) == NONE_MSG


def test_close():
    want = np.array([1.0, 2.0])
    assert spec.close()(np.array([1.0, 2.0 + 1e-6]), want, {}) is None
    assert spec.close()(np.array([1.0, 2.001]), want, {}) == \
        "the values differ from the expected ones"
    assert spec.close(rtol=1e-2)(np.array([1.0, 2.001]), want, {}) is None
    assert spec.close()(np.array([1e-9, 0.0]), np.zeros(2), {}) is None   # atol 1e-8
    assert spec.close()(np.array([1e-7, 0.0]), np.zeros(2), {}) is not None
    assert spec.close(atol=1e-6)(np.array([1e-7, 0.0]), np.zeros(2), {}) is None
    assert spec.close()([1, 2], want, {}) is None  # numbers, whatever their container
    assert spec.close()(np.array([[1.0, 2.0]]), want, {}) == \
        "expected shape (2,), got shape (1, 2)"
    assert spec.close()(np.array([np.nan, 2.0]), want, {}) == \
        "the result contains NaN or infinity"
    assert spec.close()("1, 2", want, {}) == "expected numbers, got str"
    assert spec.close()(None, want, {}) == NONE_MSG
    assert spec.close()(want, "text", {}) == "the reference result is not numeric (probe error)"


def test_close_without_the_shape_check_only_lets_one_number_stand_for_one_number():
    check = spec.close(shape=False)
    assert check(np.array([3.0]), 3.0, {}) is None
    assert check([[3]], np.array([3.0]), {}) is None
    assert check(np.float32(3.0), np.array(3.0), {}) is None
    # nothing broadcasts any more: (1, d) for (d,), one number for a vector, (0, 1) for (d,)
    assert check(np.array([[1.0, 2.0]]), np.array([1.0, 2.0]), {}) == \
        "expected shape (2,), got shape (1, 2)"
    assert check(1.0, np.array([1.0, 1.0]), {}) == "expected shape (2,), got shape ()"
    assert check(np.zeros(3), np.zeros(2), {}) == "expected shape (2,), got shape (3,)"


@pytest.mark.parametrize("value", [1, 2.5, np.float64(1), np.int32(2), np.float16(3)])
def test_number_accepts_real_numbers(value):
    assert spec.number()(value, 1.0, {}) is None


@pytest.mark.parametrize("value, message", [
    (np.array(1.0), "expected one number, got a numpy array of float64 with shape ()"),
    # a bool is not a number here, Python's or numpy's
    (True, "expected one number, got a bool"),
    (np.bool_(True), "expected one number, got a numpy bool scalar"),
    ("1", "expected one number, got str"),
    ([1.0], "expected one number, got a list of length 1"),
    (None, NONE_MSG),
])
def test_number_refuses_what_is_not_one_number(value, message):
    assert spec.number()(value, 1.0, {}) == message


def test_pair_of_numbers():
    check = spec.pair_of_numbers()
    assert check((1, 2.0), None, {}) is None
    assert check([np.float64(1), 2], None, {}) is None
    assert check((1, 2, 3), None, {}) == "expected a pair (two values), got a tuple of length 3"
    assert check(np.array([1.0, 2.0]), None, {}) == \
        "expected a pair (two values), got a numpy array of float64 with shape (2,)"
    assert check((1, "a"), None, {}) == "expected two numbers, got (a Python int, str)"
    assert check(None, None, {}) == NONE_MSG


def test_array_or_vector():
    check = spec.array_or_vector()
    assert check(np.zeros(2), None, {}) is None
    assert check(Vector(np.zeros(2)), None, {}) is None
    assert check([0.0, 0.0], None, {}) == \
        "expected a numpy array or a DenseVector, got a list of length 2"
    assert check(None, None, {}) == NONE_MSG


def test_meter_below():
    check = spec.meter_below(1000)
    assert check(None, None, {"meter": {"result_bytes": 999}}) is None
    assert check(None, None, {"meter": {"result_bytes": 1000}}) == \
        "sent 1,000 bytes to the driver (the limit is 1,000)"
    assert check(None, None, {"meter": {"result_bytes": 12345}}) == \
        "sent 12,345 bytes to the driver (the limit is 1,000)"
    unmeasured = "the communication could not be measured"
    assert check(None, None, {}) == unmeasured
    assert check(None, None, {"meter": None}) == unmeasured
    assert check(None, None, {"meter": {"result_bytes": "12"}}) == unmeasured


def test_metered_call_runs_its_expression_under_the_meter():
    call = spec.metered("f(x)", inputs={"x": 2}, setup="y = 1", show=None)
    assert call.spark and call.show == "f(x), metered" and call.inputs == {"x": 2}
    assert call.expr == "_probe_metered(lambda: f(x))"
    assert call.setup.startswith("y = 1\ndef _probe_metered(run):")

    class Meter:  # what helpers.meter(sc) gives: every count as an attribute
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            for k in spec.METER_COUNTS:
                setattr(self, k, len(k))
            self.closure_bytes = None  # PySpark could not be instrumented

    class Helpers:
        @staticmethod
        def meter(sc):
            return Meter()

    scope = {"helpers": Helpers, "sc": object(), "f": lambda v: v * 10, "x": 2}
    exec(compile(call.setup, "<probe set-up>", "exec"), scope)
    value, counts = eval(call.expr, scope)
    assert value == 20 and scope["y"] == 1
    assert list(counts) == list(spec.METER_COUNTS)
    assert counts["jobs"] == 4 and counts["result_bytes"] == 12 and counts["closure_bytes"] is None
    assert all(type(v) is int for k, v in counts.items() if k != "closure_bytes")


def test_counted():
    got = (1.0, {"jobs": 3, "broadcasts": 0, "tasks": 12, "closure_bytes": None,
                 "shuffle_write_bytes": 5000})
    assert spec.counted("jobs", at_least=3, at_most=3)(got, None, {}) is None
    assert spec.counted("jobs", at_least=4)(got, None, {}) == \
        "3 Spark jobs ran; expected at least 4"
    assert spec.counted("jobs", at_most=2)(got, None, {}) == "3 Spark jobs ran; expected at most 2"
    assert spec.counted("tasks", below=13)(got, None, {}) is None
    assert spec.counted("tasks", below=12)(got, None, {}) == "12 tasks ran; the limit is 12"
    assert spec.counted("broadcasts", at_least=1)(got, None, {}) == \
        "0 broadcasts were made; expected at least 1"
    assert spec.counted("shuffle_write_bytes", below=10)(got, None, {}) == \
        "shuffle write bytes was 5,000; the limit is 10"
    assert spec.counted("closure_bytes", below=10)(got, None, {}) == \
        "closure bytes could not be measured"
    assert spec.counted("stages", below=10)(got, None, {}) == "stages could not be measured"
    assert spec.counted("jobs", below=10)(1.0, None, {}) == "jobs could not be measured"
    assert spec.counted("jobs", below=10)((1.0, {"jobs": True}), None, {}) == \
        "jobs could not be measured"


def test_value_of():
    check = spec.value_of(spec.number(), spec.close())
    want = (2.0, {"jobs": 1})
    assert check((2.0, {"jobs": 5}), want, {}) is None
    assert check((3.0, {"jobs": 1}), want, {}) == "the values differ from the expected ones"
    assert check(("x", {}), want, {}) == "expected one number, got str"
    assert check(2.0, want, {}) == "expected a metered result, got a Python float"
    assert check((2.0, {}), 2.0, {}) == "expected a metered result, got a tuple of length 2"


def test_length():
    check = spec.length(3)
    assert check((1, 2, 3), None, {}) is None
    assert check([1, 2, 3], None, {}) is None
    assert check((1, 2), None, {}) == "expected 3 values (a tuple), got a tuple of length 2"
    assert check(np.zeros(3), None, {}) == \
        "expected 3 values (a tuple), got a numpy array of float64 with shape (3,)"
    assert check(None, None, {}) == NONE_MSG


def test_item():
    check = spec.item(1, spec.number(), spec.close())
    want = ("w", 2.0)
    assert check(("anything", 2.0), want, {}) is None
    assert check(("w", 2.5), want, {}) == "item 1: the values differ from the expected ones"
    assert check(("w", "2"), want, {}) == "item 1: expected one number, got str"
    assert check(("w",), want, {}) == "expected a tuple with an item 1, got a tuple of length 1"
    assert check(2.0, want, {}) == "expected a tuple with an item 1, got a Python float"


def test_run_checks():
    want = np.array([1.0])
    assert spec.run_checks(None, np.array([1.0]), want, {}) is None  # default: close()
    assert spec.run_checks(None, np.array([2.0]), want, {}) == \
        "the values differ from the expected ones"
    assert spec.run_checks(spec.is_ndarray(), [1.0], want, {}) == \
        "expected a numpy array, got a list of length 1"
    # the first failure in order, and later checks not consulted
    seen = []

    def spy(got, want, ctx):
        seen.append(got)

    assert spec.run_checks([spec.same_shape(), spy], np.zeros(2), want, {}) == \
        "expected shape (1,), got shape (2,)"
    assert seen == []
    assert spec.run_checks([spy, spec.close()], np.array([1.0]), want, {}) is None
    assert len(seen) == 1
