"""What a probe file (``autograder/questions/NN_topic.py``) is made of, and the checks it uses.

A probe file mirrors an assignment's hidden tests as data: for each question the calls to make
(an expression evaluated inside the sandbox, with inputs given as plain data), the points of
each test, how to compare what came back with what the reference submission returned on the
same call, and the hint shown when it does not match. See ``autograder/questions/README.md``.

Everything here runs in the trusted grader process. Results arrive from the sandbox as tagged
plain data (see :mod:`autograder.grader.harness`) and are decoded by :func:`decode` into trusted
objects: numpy arrays, Python numbers, lists, tuples, and the small classes below for anything
else; nothing of the student's is ever unpickled or called here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

__all__ = ["Question", "Test", "Call", "lp", "dv", "rdd", "points_rdd", "encode", "decode",
           "render", "as_array", "numeric", "is_ndarray", "float_array", "same_shape", "close",
           "number", "pair_of_numbers", "array_or_vector", "meter_below", "item",
           "length", "metered", "METER_COUNTS", "counted", "value_of", "Foreign", "Vector",
           "Point", "SubArray", "near", "likely"]


# --- the probe specification -----------------------------------------------------------------
@dataclass
class Call:
    """One call made inside the sandbox.

    Attributes:
        expr: a Python expression evaluated in the submission's namespace plus ``np``,
            ``helpers``, ``LabeledPoint``, ``DenseVector`` (and ``sc``/``spark`` when the
            question uses Spark) and ``inputs``; its value is what gets compared.
        inputs: name -> value, as plain data (numbers, lists, numpy arrays, :func:`lp`,
            :func:`dv`, :func:`rdd`); built inside the sandbox before the call.
        setup: optional statements run before ``expr`` in the same scope (trusted probe code,
            e.g. making synthetic data with ``helpers``).
        meter: measure with ``helpers.meter`` what the call sends to the driver.
        show: how the call is described in the feedback (default: ``expr``).
        check: overrides the test's check for this call.
        spark: the call needs Spark even if its inputs do not say so.
    """

    expr: str
    inputs: dict = field(default_factory=dict)
    setup: str | None = None
    meter: bool = False
    show: str | None = None
    check: Any = None
    spark: bool = False

    @property
    def measured(self) -> bool:
        """The call's result depends on the communication meter (``meter`` or :func:`metered`)."""
        return bool(self.meter) or self.expr.startswith("_probe_metered(")

    def message(self) -> dict:
        return {"expr": self.expr, "inputs": {k: encode(v) for k, v in self.inputs.items()},
                "setup": self.setup, "meter": self.meter, "spark": self.spark}


@dataclass
class Test:
    """A group of calls scored together: ``points`` if every call passes ``check``.

    A test whose name starts with ``public check`` is *public*: worth 0 points, it is the check
    students run in their notebook (``grader.check``), with the expected values shown. Every other
    test is *hidden*: only in the otter autograder and the sandboxed grader, and its feedback never
    shows the expected values. The name is the test's identity in the otter cells, the corpus
    (``FAILS``) and the feedback, so it is unique within its question.
    """

    name: str
    points: float
    calls: Sequence[Call]
    check: Any = None
    hint: str | Callable[[Any, Any], str] = ""

    @property
    def public(self) -> bool:
        return self.name.startswith("public check")

    def __post_init__(self):
        if self.public and self.points:
            raise ValueError(f"public test {self.name!r} must be worth 0 points")


@dataclass
class Question:
    """One graded question (named like the otter question: for exercises, the function).

    Attributes:
        name: the otter question name; its answer cells are the ones before its check cell.
        tests: the tests, in order (public ones with 0 points are shown in the feedback).
        spark: start Spark before the first call.
        standins: names whose *reference* answer cell replaces the submission's during this
            question's calls (so one mistake is not counted twice), as the master's hidden tests
            do; the reference code is sent to the sandbox only when this question starts.
        timeout: seconds allowed per call.
    """

    name: str
    tests: Sequence[Test]
    spark: bool = False
    standins: Sequence[str] = ()
    timeout: float = 60.0

    @property
    def points(self) -> float:
        return sum(t.points for t in self.tests)

    def __post_init__(self):
        names = [t.name for t in self.tests]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: two tests share a name: {names}")

    def test(self, name: str) -> Test:
        return next(t for t in self.tests if t.name == name)

    def calls(self) -> list[Call]:
        """Every distinct call, in order (a call shared by several tests is made once)."""
        seen, out = set(), []
        for t in self.tests:
            for c in t.calls:
                if id(c) not in seen:
                    seen.add(id(c))
                    out.append(c)
        return out


# --- inputs as plain data ---------------------------------------------------------------------
def encode(value):
    """Plain, JSON-ready form of an input value (numpy arrays keep dtype and shape)."""
    if isinstance(value, np.ndarray):
        flat = value.ravel().tolist()
        if value.dtype.kind == "f":
            flat = ["nan" if (isinstance(v, float) and math.isnan(v)) else v for v in flat]
        return {"__nd__": [value.dtype.str, list(value.shape), flat]}
    if isinstance(value, np.generic):
        return {"__np__": [value.dtype.name, encode(value.item())]}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        key = next(iter(value), None)
        if len(value) == 1 and isinstance(key, str) and key.startswith("__"):
            return value  # already encoded (lp, dv, rdd)
        return {"__dict__": [[encode(k), encode(v)] for k, v in value.items()]}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot send {type(value).__name__} to the sandbox as plain data")


def lp(label, features) -> dict:
    """A ``LabeledPoint(label, features)`` built inside the sandbox."""
    return {"__lp__": [float(label), encode(np.asarray(features, dtype=float))]}


def dv(values) -> dict:
    """A ``DenseVector(values)`` built inside the sandbox."""
    return {"__dv__": encode(np.asarray(values, dtype=float))}


def rdd(items, partitions: int) -> dict:
    """``sc.parallelize(items, partitions)`` inside the sandbox (the question needs Spark)."""
    return {"__rdd__": [encode(list(items)), int(partitions)]}


def points_list(X, y) -> list:
    """One :func:`lp` per row: ``LabeledPoint(y[i], X[i])`` for a call's inputs."""
    return [lp(b, a) for a, b in zip(X, y)]


#: A call's set-up that lays ``parts`` out as partitions: the points of ``parts[i]`` form
#: partition i (some may be empty), as the masters' tests do.
PARTITIONED = "pts = sc.parallelize(range(len(parts)), len(parts)).flatMap(lambda i: parts[i])"


def points_rdd(X, y, partitions: int) -> dict:
    """``sc.parallelize([LabeledPoint(float(y[i]), X[i]) ...], partitions)`` inside the sandbox."""
    return {"__points__": [encode(np.asarray(X, dtype=float)), encode(np.asarray(y, dtype=float)),
                           int(partitions)]}


# --- results: plain data decoded into trusted objects -------------------------------------------
class Foreign:
    """A value of a type the grader does not accept as data (only its type name and repr)."""

    def __init__(self, type_name: str, text: str):
        self.type_name, self.text = type_name, text

    def __repr__(self):
        return f"<{self.type_name} object: {self.text}>"


class Vector:
    """A ``DenseVector`` that came back (its values as a float array, or None)."""

    def __init__(self, array):
        self.array = array

    def __repr__(self):
        return f"DenseVector({render(self.array)})"


class Point:
    """A ``LabeledPoint`` that came back."""

    def __init__(self, label, features):
        self.label, self.features = label, features

    def __repr__(self):
        return f"LabeledPoint({self.label!r}, {self.features!r})"


class SubArray:
    """A numpy array subclass instance (e.g. ``np.matrix``): its data, and the class name."""

    def __init__(self, array, type_name):
        self.array, self.type_name = array, type_name

    def __repr__(self):
        return f"{self.type_name}({render(self.array)})"


class Invalid:
    """Plain data that did not decode (a harness bug, or a forged record)."""

    def __init__(self, why):
        self.why = why

    def __repr__(self):
        return f"<invalid result: {self.why}>"


_DTYPES = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
           "float16", "float32", "float64", "longdouble", "float128"}


def _num(v):
    if isinstance(v, str) and v in ("nan", "inf", "-inf"):
        return float(v)
    if type(v) in (int, float, bool):
        return v
    raise ValueError(f"not a number: {str(v)[:40]}")


def decode(rec, depth=0):
    """Trusted Python value of one tagged plain-data record (see the harness's ``plain``)."""
    try:
        return _decode(rec, depth)
    except (ValueError, TypeError, KeyError, OverflowError) as err:
        return Invalid(str(err)[:200])


def _decode(rec, depth):
    if depth > 10 or not isinstance(rec, dict):
        raise ValueError("malformed")
    t = rec.get("t")
    if t == "none":
        return None
    if t == "bool":
        return bool(rec["v"] is True)
    if t == "int":
        v = rec["v"]
        return int(v) if type(v) in (int, str) else int(_num(v))
    if t == "float":
        return float(_num(rec["v"]))
    if t == "str":
        return str(rec["v"])[:2000]
    if t in ("ndarray", "npscalar"):
        dtype = rec.get("dtype")
        if dtype not in _DTYPES:
            return Foreign(f"numpy.ndarray[{str(dtype)[:20]}]", "unsupported dtype")
        shape = tuple(int(s) for s in rec["shape"])
        if rec.get("too_big") or rec.get("v") is None:
            return Foreign(f"numpy.ndarray{shape}", "too large to compare")
        raw = rec["v"] if isinstance(rec["v"], list) else [rec["v"]]
        values = [_num(v) for v in raw]
        if len(values) != math.prod(shape):
            raise ValueError("size does not match shape")
        arr = np.array(values, dtype=np.dtype(dtype)).reshape(shape)
        if t == "npscalar":
            return arr.reshape(()).dtype.type(arr.reshape(())[()])
        if rec.get("subclass"):
            return SubArray(arr, str(rec["subclass"])[:100])
        return arr
    if t in ("list", "tuple"):
        items = [decode(v, depth + 1) for v in rec["v"]]
        return items if t == "list" else tuple(items)
    if t == "dict":
        return {_key(decode(k, depth + 1)): decode(v, depth + 1) for k, v in rec["v"]}
    if t == "DenseVector":
        arr = decode(rec["v"], depth + 1)
        return Vector(arr if isinstance(arr, np.ndarray) else None)
    if t == "LabeledPoint":
        return Point(decode(rec["label"], depth + 1), decode(rec["features"], depth + 1))
    if t == "other":
        return Foreign(str(rec.get("type"))[:200], str(rec.get("repr"))[:300])
    if t == "too_deep":
        return Foreign("nested value", "nested too deeply")
    if t == "too_big":
        return Foreign("large value", "too large to compare")
    raise ValueError(f"unknown tag {str(t)[:20]}")


def _key(k):
    return k if isinstance(k, (str, int, float, bool, type(None), tuple)) else repr(k)


def kind(value) -> str:
    """Short type description of a decoded value, for messages."""
    if isinstance(value, np.ndarray):
        return f"a numpy array of {value.dtype} with shape {value.shape}"
    if isinstance(value, np.generic):
        return f"a numpy {value.dtype} scalar"
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, (int, float)):
        return f"a Python {type(value).__name__}"
    if value is None:
        return "None"
    if isinstance(value, list):
        return f"a list of length {len(value)}"
    if isinstance(value, tuple):
        return f"a tuple of length {len(value)}"
    if isinstance(value, Vector):
        return "a DenseVector"
    if isinstance(value, SubArray):
        return f"a {value.type_name} (a numpy array subclass)"
    if isinstance(value, Foreign):
        return f"a {value.type_name}"
    return type(value).__name__


def render(value, limit: int = 600) -> str:
    """A readable, bounded text of a decoded value for the feedback."""
    if isinstance(value, np.ndarray):
        with np.printoptions(precision=6, threshold=40, edgeitems=3, linewidth=100):
            text = np.array2string(value, separator=", ")
        text = f"array({text}, dtype={value.dtype}, shape={value.shape})"
    else:
        text = repr(value)
    text = " ".join(text.split())  # one line: arrays print over several
    return text if len(text) <= limit else text[:limit] + " …"


def as_array(value):
    """A float array of a number-like value (plain array, DenseVector, rectangular list of
    numbers, number), or None when it is not honestly numeric (see :func:`numeric`)."""
    return numeric(value)[0]


def near(got, value, rtol=1e-6) -> bool:
    """Whether ``got`` has ``value``'s shape and numbers (for hints that name a likely mistake)."""
    g, v = as_array(got), np.asarray(value, dtype=float)
    return g is not None and g.shape == v.shape and bool(np.allclose(g, v, rtol=rtol, atol=1e-9))


def likely(got, variants, right, default):
    """``Likely <why>.`` for the first ``(value, why)`` variant that ``got`` is near (and the
    right answer ``right`` is not), else ``default``."""
    with np.errstate(all="ignore"):
        why = next((m for v, m in variants if v is not None and near(got, v)
                    and not near(right, v)), "")
    return f"Likely {why}." if why else default


# --- checks: check(got, want, ctx) -> None when it passes, else a message ------------------------
def is_ndarray():
    """The result is a numpy array (not a list, a subclass or an object that only looks like one)."""
    def check(got, want, ctx):
        if got is None:
            return _none(got)
        if not isinstance(got, np.ndarray):
            return f"expected a numpy array, got {kind(got)}"
    return check


def float_array():
    """The result is a numpy array of floats."""
    def check(got, want, ctx):
        if got is None:
            return _none(got)
        if not isinstance(got, np.ndarray) or got.dtype.kind != "f":
            return f"expected a float numpy array, got {kind(got)}"
    return check


def _none(got) -> str:
    return "returned None: is the function finished (does it `return` its result)?"


def numeric(value):
    """``(array, None)`` for a value that is honestly numeric, else ``(None, why)``.

    Strict about type before any tolerance: a Python or numpy bool, a string, None, a numpy
    array subclass, a DenseVector without data, an object of another type, a ragged or mixed
    list are not numbers; ints, floats, numpy integer/float scalars and arrays, DenseVectors
    and rectangular lists/tuples of those are (as a float array of their own shape)."""
    if value is None:
        return None, _none(value)
    if isinstance(value, Vector):
        if not isinstance(value.array, np.ndarray):
            return None, "expected numbers, got a DenseVector without values"
        value = value.array
    if isinstance(value, (bool, np.bool_)):
        return None, f"expected numbers, got {kind(value)}"
    if isinstance(value, SubArray):
        return None, f"expected numbers in a plain numpy array, got {kind(value)}"
    if type(value) is np.ndarray:
        if value.dtype.kind not in "iuf":
            return None, f"expected numbers, got {kind(value)}"
        try:
            return value.astype(float), None
        except (ValueError, OverflowError):
            return None, f"expected numbers, got {kind(value)}"
    if isinstance(value, (int, float, np.integer, np.floating)):
        try:
            return np.asarray(float(value)), None
        except (ValueError, OverflowError):
            return None, "expected numbers, got a number too large to compare"
    if isinstance(value, (list, tuple)):
        parts = []
        for v in value:
            a, why = numeric(v)
            if why is not None:
                return None, f"expected numbers, got {kind(value)} holding {kind(v)}"
            parts.append(a)
        if parts and len({p.shape for p in parts}) != 1:
            return None, f"expected numbers, got {kind(value)} of items of different shapes"
        return (np.array(parts, dtype=float) if parts else np.zeros(0)), None
    return None, f"expected numbers, got {kind(value)}"


def same_shape():
    """The result is numeric (see :func:`numeric`) with the reference's shape."""
    def check(got, want, ctx):
        w = as_array(want)
        if got is None:
            return _none(got)
        g, why = numeric(got)
        if why is not None:
            return f"expected numbers of shape {np.shape(w)}, got {kind(got)}"
        if g.shape != w.shape:
            return f"expected shape {w.shape}, got shape {g.shape}"
    return check


def close(rtol: float = 1e-5, atol: float = 1e-8, shape: bool = True):
    """The result is numerically the reference's: ``np.allclose`` on trusted arrays of the
    same shape, after :func:`numeric` (no bool, string, subclass or lying object) and with no
    NaN or infinity the reference does not have at the same place. ``shape=False`` lets a
    one-element result stand for a one-element reference (``3.0``, ``[3.0]``, ``np.array(3.0)``)
    and nothing else: an empty or broadcast-shaped result never passes."""
    def check(got, want, ctx):
        w = as_array(want)
        if w is None:
            return "the reference result is not numeric (probe error)"
        if got is None:
            return _none(got)
        g, why = numeric(got)
        if why is not None:
            return why
        if g.shape != w.shape:
            if shape or not (g.size == 1 and w.size == 1):
                return f"expected shape {w.shape}, got shape {g.shape}"
            g = g.reshape(w.shape)
        bad = ~np.isfinite(g)
        if bad.any() and not np.array_equal(g[bad], w[bad], equal_nan=True):
            return "the result contains NaN or infinity"
        ok = bool(np.allclose(g, w, rtol=rtol, atol=atol, equal_nan=True))
        if not ok:
            return "the values differ from the expected ones"
    return check


def _is_number(x) -> bool:
    """An int, float or numpy integer/float scalar (a bool is not a number here)."""
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)


def number():
    """The result is one real number (int, float or numpy scalar; not an array or a string)."""
    def check(got, want, ctx):
        if got is None:
            return _none(got)
        if not _is_number(got):
            return f"expected one number, got {kind(got)}"
    return check


def pair_of_numbers():
    """The result is a tuple or list of two numbers."""
    def check(got, want, ctx):
        if got is None:
            return _none(got)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return f"expected a pair (two values), got {kind(got)}"
        if not all(_is_number(v) for v in got):
            return f"expected two numbers, got ({kind(got[0])}, {kind(got[1])})"
    return check


def array_or_vector():
    """The result is a numpy array or a DenseVector (something RDD.sum() adds element-wise)."""
    def check(got, want, ctx):
        if got is None:
            return _none(got)
        if not isinstance(got, (np.ndarray, Vector)):
            return f"expected a numpy array or a DenseVector, got {kind(got)}"
    return check


def meter_below(limit: int):
    """The call sent fewer than ``limit`` bytes of task results to the driver."""
    def check(got, want, ctx):
        meter = ctx.get("meter") or {}
        sent = meter.get("result_bytes")
        if type(sent) is not int or sent < 0:
            return "the communication could not be measured"
        if sent >= limit:
            return f"sent {sent:,} bytes to the driver (the limit is {limit:,})"
    return check


#: The counts a :func:`metered` call reports: every count ``helpers.meter`` keeps.
METER_COUNTS = ("result_bytes", "shuffle_write_bytes", "shuffle_read_bytes", "broadcast_bytes",
                "broadcasts", "closure_bytes", "jobs", "stages", "tasks")

_METERED_SETUP = (
    "def _probe_metered(run):\n"
    "    with helpers.meter(sc) as m:\n"
    "        value = run()\n"
    "    counts = {k: getattr(m, k) for k in %r}\n"
    "    return value, {k: (None if v is None else int(v)) for k, v in counts.items()}\n"
    % (METER_COUNTS,))


def metered(expr: str, inputs: dict | None = None, setup: str | None = None,
            show: str | None = None, check=None) -> Call:
    """A call whose result is the pair ``(value, counts)``: the value of ``expr``, evaluated
    inside ``with helpers.meter(sc)``, and everything the meter counted meanwhile, as a dict of
    plain ints keyed by :data:`METER_COUNTS` (``closure_bytes`` is None when PySpark cannot be
    instrumented).

    ``Call(..., meter=True)`` reports the bytes sent to the driver (for :func:`meter_below`);
    use this one when a test also checks the jobs, broadcasts or closures, with :func:`counted`,
    and :func:`value_of` for the value. Like ``meter=True``, the counting is trusted probe code
    run next to the submission in the sandbox; the counts come back as plain data.
    """
    return Call(f"_probe_metered(lambda: {expr})", inputs=dict(inputs or {}),
                setup=(setup + "\n" if setup else "") + _METERED_SETUP,
                show=show or f"{expr}, metered", check=check, spark=True)


_COUNT_TEXT = {"result_bytes": "{:,} bytes were sent to the driver",
               "broadcast_bytes": "the broadcasts carried {:,} bytes",
               "broadcasts": "{:,} broadcasts were made",
               "closure_bytes": "the tasks received {:,} bytes in their functions (closures)",
               "jobs": "{:,} Spark jobs ran", "stages": "{:,} stages ran",
               "tasks": "{:,} tasks ran"}


def _counts(got):
    if isinstance(got, tuple) and len(got) == 2 and isinstance(got[1], dict):
        return got[1]
    return None


def counted(name: str, at_least: int | None = None, at_most: int | None = None,
            below: int | None = None):
    """The count ``name`` of a :func:`metered` call is in range: ``at_least <= count``,
    ``count <= at_most``, ``count < below`` (those given)."""
    def check(got, want, ctx):
        counts = _counts(got)
        value = counts.get(name) if counts is not None else None
        if type(value) is not int:
            return f"{name.replace('_', ' ')} could not be measured"
        text = _COUNT_TEXT.get(name, name.replace("_", " ") + " was {:,}").format(value)
        if at_least is not None and value < at_least:
            return f"{text}; expected at least {at_least:,}"
        if at_most is not None and value > at_most:
            return f"{text}; expected at most {at_most:,}"
        if below is not None and value >= below:
            return f"{text}; the limit is {below:,}"
    return check


def value_of(*checks):
    """Apply ``checks`` to the value of a :func:`metered` call (and to the reference's)."""
    def check(got, want, ctx):
        if _counts(got) is None or _counts(want) is None:
            return f"expected a metered result, got {kind(got)}"
        for c in checks:
            msg = c(got[0], want[0], ctx)
            if msg:
                return msg
    return check


def length(n: int):
    """The result is a list or tuple of ``n`` items."""
    def check(got, want, ctx):
        if got is None:
            return _none(got)
        if not isinstance(got, (list, tuple)) or len(got) != n:
            return f"expected {n} values (a tuple), got {kind(got)}"
    return check


def item(index: int, *checks):
    """Apply ``checks`` to item ``index`` of a tuple/list result and of the reference's."""
    def check(got, want, ctx):
        if not isinstance(got, (list, tuple)) or len(got) <= index:
            return f"expected a tuple with an item {index}, got {kind(got)}"
        for c in checks:
            msg = c(got[index], want[index], ctx)
            if msg:
                return f"item {index}: {msg}"
    return check


def run_checks(checks, got, want, ctx):
    """First failure message of ``checks`` (a callable or a list of them), or None."""
    if checks is None:
        checks = [close()]
    if callable(checks):
        checks = [checks]
    for c in checks:
        msg = c(got, want, ctx)
        if msg:
            return msg
    return None
