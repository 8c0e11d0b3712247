"""The program that runs inside the sandbox: student code in, strictly typed plain data out.

Trusted code, but it shares its process with untrusted code, so it decides nothing: it runs the
trusted set-up cells, then the submission's answer cells, then — one question at a time, as the
grader sends them — the probe calls, and reports what each call returned as plain JSON data
(exact types only: ``float``, ``int``, numpy arrays read through C accessors, lists...). The
expected results and the comparison stay outside, in the grader.

Standalone on purpose (standard library, numpy, pyspark, ``helpers``): the sandbox binds this one
file and nothing else of ``autograder/``.

Protocol (one JSON document per line):

- grader -> harness on ``CTRL_FD``: ``hello`` (nonce, set-up sources, answer cells), then
  ``question`` messages, then ``bye``;
- harness -> grader on ``EVENT_FD``: ``cell-start``/``cell-end``, ``ready``,
  ``spark-start``/``spark-end``, ``call-start``/``call-run``/``call-end``, ``question-end``
  (the grader sends each ``call`` of a question only when the previous one ended); every record
  carries the nonce (a forged record without it is ignored, and one with it can only report
  the submission's own values, which the grader compares with results the sandbox never sees).

Usage: ``python -s harness.py CTRL_FD EVENT_FD [UID]`` (UID: drop root privileges to it first).
"""

import os
import sys

# --- primitives captured before any student code exists ------------------------------------
_type, _len, _range, _repr, _str = type, len, range, repr, str
_list, _tuple, _dict, _int, _float, _bool, _enumerate = list, tuple, dict, int, float, bool, enumerate
_INF, _NINF = float("inf"), float("-inf")
_memoryview, _bytes = memoryview, bytes
_issubclass, _getattr, _hasattr = issubclass, getattr, hasattr
_BaseException, _Exception = BaseException, Exception
_os_write, _os_read, _getpid, _exit = os.write, os.read, os.getpid, os._exit
_float_repr, _int_repr = float.__repr__, int.__repr__
_qualname = type.__dict__["__qualname__"].__get__
_modname = type.__dict__["__module__"].__get__
_MAIN_PID = _getpid()
_obj_getattr = object.__getattribute__


def _drop_privileges(uid: int) -> None:
    if os.getuid() == 0 and uid:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        if os.getuid() != uid or os.geteuid() != uid:
            _exit(71)


if __name__ == "__main__":
    CTRL_FD, EVENT_FD = int(sys.argv[1]), int(sys.argv[2])
    if _len(sys.argv) > 3:
        _drop_privileges(int(sys.argv[3]))
    os.set_inheritable(CTRL_FD, False)
    os.set_inheritable(EVENT_FD, False)
    _null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(_null, 0)
    os.close(_null)

import ast  # noqa: E402
import builtins  # noqa: E402
import json.decoder  # noqa: E402
import json.encoder  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402

import numpy as np  # noqa: E402

_esc = json.encoder.c_encode_basestring_ascii or json.encoder.py_encode_basestring_ascii
_scan = json.decoder.JSONDecoder().scan_once  # a C scanner bound now: later patches miss it
_ndarray, _generic = np.ndarray, np.generic
_nd_view, _nd_ravel, _nd_tolist = np.ndarray.view, np.ndarray.ravel, np.ndarray.tolist
_nd_astype = np.ndarray.astype
_isfinite, _float64, _np_array = np.isfinite, np.float64, np.array
_perf = time.perf_counter
_MAX_ELEMENTS = 100_000  # numbers in one result (the largest right answer has 81): the
#                          grader reads at most 8 MiB per record (runner.MAX_LINE)
_MAX_ITEMS = 100_000
_MAX_DEPTH = 8
_MAX_STR = 2_000

_NONCE = ""


# --- strict JSON writing, with primitives the student cannot reach ------------------------
def _enc(o, out):
    t = _type(o)
    if o is None:
        out.append("null")
    elif o is True:
        out.append("true")
    elif o is False:
        out.append("false")
    elif t is _int:
        out.append(_int_repr(o))
    elif t is _float:
        out.append(_float_repr(o) if o == o and o != _INF and o != _NINF else '"nan"')
    elif t is _str:
        out.append(_esc(o))
    elif t is _list or t is _tuple:
        out.append("[")
        for i, item in _enumerate(o):
            if i:
                out.append(",")
            _enc(item, out)
        out.append("]")
    elif t is _dict:
        out.append("{")
        for i, (k, v) in _enumerate(_dict.items(o)):
            if i:
                out.append(",")
            out.append(_esc(_str(k)))
            out.append(":")
            _enc(v, out)
        out.append("}")
    else:
        out.append(_esc("<unencodable>"))


def emit(ev: str, **fields) -> None:
    """Write one event record to the grader (never raises into student-facing code)."""
    if _getpid() != _MAIN_PID:  # a forked child of student code: it has nothing to report
        _exit(0)
    fields["ev"] = ev
    fields["nonce"] = _NONCE
    out = ["\n"]  # ends any partial line a student wrote to this pipe, so ours parses
    _enc(fields, out)
    out.append("\n")
    data = "".join(out).encode("ascii")
    view = _memoryview(data)
    while view:
        n = _os_write(EVENT_FD, view)
        view = view[n:]


_buffer = bytearray()


def receive() -> dict:
    """The next control message from the grader (blocks)."""
    while b"\n" not in _buffer:
        chunk = _os_read(CTRL_FD, 1 << 20)
        if not chunk:
            _exit(0)  # the grader went away
        _buffer.extend(chunk)
    i = _buffer.index(b"\n")
    line = _bytes(_buffer[:i]).decode("utf-8")
    del _buffer[:i + 1]
    value, end = _scan(line, 0)
    return value


# --- plain data out ----------------------------------------------------------------------
def _fl(x):
    return x if (x == x and x != _INF and x != _NINF) else _float_repr(x)


def _safe_repr(x) -> str:
    try:
        r = _repr(x)
        return r[:300] if _type(r) is _str else "<repr did not return a string>"
    except _BaseException as err:  # noqa: BLE001 - student objects may raise anything
        return f"<repr raised {_qualname(_type(err))}>"


_budget = [0]  # elements left for the value being converted


def _array(x):
    base = _nd_view(x, _ndarray)
    dtype = base.dtype
    kind = dtype.kind
    rec = {"t": "ndarray", "dtype": dtype.name, "shape": [int(s) for s in base.shape]}
    if _type(x) is not _ndarray:
        rec["subclass"] = _modname(_type(x)) + "." + _qualname(_type(x))
    if kind not in "biuf":
        rec["v"] = None
        rec["unsupported"] = True
        return rec
    if base.size > _budget[0]:
        rec["v"] = None
        rec["too_big"] = True
        return rec
    _budget[0] -= base.size
    flat = _nd_ravel(base)
    if kind == "f":
        flat = _nd_astype(flat, _float64)
        values = _nd_tolist(flat)
        if not _isfinite(flat).all():
            values = [_fl(v) for v in values]
    elif kind in "iu":
        values = _nd_tolist(flat)
    else:
        values = _nd_tolist(flat)
    rec["v"] = values
    return rec


def plain(x, depth=0):
    """``x`` as tagged plain data, looking only at exact types (no student method is called
    except ``repr`` of an object of unknown type, for the feedback)."""
    if depth == 0:
        _budget[0] = _MAX_ELEMENTS
    _budget[0] -= 1
    if _budget[0] < 0:
        return {"t": "too_big"}
    t = _type(x)
    if x is None:
        return {"t": "none"}
    if t is _bool:
        return {"t": "bool", "v": x}
    if t is _int:
        return {"t": "int", "v": x if -2**63 <= x < 2**63 else _int_repr(x)[:50]}
    if t is _float:
        return {"t": "float", "v": _fl(x)}
    if t is _str:
        _budget[0] -= _len(x[:_MAX_STR]) // 16  # long strings count against the budget too
        if _budget[0] < 0:
            return {"t": "too_big"}
        return {"t": "str", "v": x[:_MAX_STR]}
    if t is _ndarray or _issubclass(t, _ndarray):
        return _array(x)
    if _issubclass(t, _generic):
        if _modname(t) != "numpy":  # a student's subclass of a numpy scalar type
            return {"t": "other", "type": _modname(t) + "." + _qualname(t), "repr": _safe_repr(x)}
        rec = _array(_np_array(x))  # a 0-d array: its value read by C code
        rec["t"] = "npscalar"
        rec["v"] = rec["v"][0] if _type(rec["v"]) is _list and rec["v"] else rec["v"]
        return rec
    if depth >= _MAX_DEPTH:
        return {"t": "too_deep"}
    if t is _list or t is _tuple:
        items = [plain(v, depth + 1) for v in x[:_MAX_ITEMS]]
        return {"t": "list" if t is _list else "tuple", "v": items, "len": _len(x)}
    if t is _dict:
        items = []
        for k, v in _list(_dict.items(x))[:_MAX_ITEMS]:
            items.append([plain(k, depth + 1), plain(v, depth + 1)])
        return {"t": "dict", "v": items}
    if t is _DenseVector:
        return {"t": "DenseVector", "v": plain(_attr(x, "array"), depth + 1)}
    if t is _LabeledPoint:
        return {"t": "LabeledPoint", "label": plain(_attr(x, "label"), depth + 1),
                "features": plain(_attr(x, "features"), depth + 1)}
    return {"t": "other", "type": _modname(t) + "." + _qualname(t), "repr": _safe_repr(x)}


def _attr(x, name):
    try:
        return _obj_getattr(x, name)
    except _BaseException:  # noqa: BLE001
        return None


def _describe_error(err) -> dict:
    try:
        name = _qualname(_type(err))
    except _BaseException:  # noqa: BLE001
        name = "exception"
    try:
        message = _str(err)
        message = message[:1000] if _type(message) is _str else ""
    except _BaseException:  # noqa: BLE001
        message = "<str() of the exception failed>"
    try:
        tb = traceback.extract_tb(err.__traceback__)
        where = [f"{f.filename}:{f.lineno} in {f.name}" for f in tb
                 if f.filename.startswith("<answer") or f.filename.startswith("<")][-3:]
    except _BaseException:  # noqa: BLE001
        where = []
    return {"type": name, "message": message, "where": where}


# --- integrity of the in-process measurements --------------------------------------------
# The communication meter runs in the student's process (Spark's counters are read through
# py4j there). Before any student code runs, the harness records the identity of everything the
# measurement goes through: the meter's module, functions, classes and their code; pyspark's and
# py4j's classes on the way to the JVM; the builtins; this harness's own functions. After every
# call it compares; any difference goes back with the call (``integrity``) and the grader scores
# the metered tests 0 and sets the row to ``review``. (A student who rewrites the whole protocol
# in-process can still forge it: see the threat model in the README.)
_MISSING = object()
_dict_get = dict.get
_proxy_get = type(type.__dict__).get
_cls_dict = type.__dict__["__dict__"].__get__
_code_of = (lambda: None).__class__.__dict__["__code__"].__get__
_defaults_of = (lambda: None).__class__.__dict__["__defaults__"].__get__
_FunctionType = (lambda: None).__class__
_id = id
_WATCH = []
_DESCRIPTORS = (_FunctionType, property, classmethod, staticmethod)


def _watch_module(mod, label, deep=True):
    """Watch ``mod``'s functions and classes (defined in it), their code and class members."""
    space = vars(mod)
    for name, obj in _list(space.items()):
        t = _type(obj)
        if t is _FunctionType or (t is type and _modname(obj) == mod.__name__) or \
                (deep and t.__name__ in ("module", "builtin_function_or_method")):
            _WATCH.append((0, space, name, obj, f"{label}.{name}"))
        if t is _FunctionType:
            _WATCH.append((2, obj, None, _code_of(obj), f"{label}.{name}.__code__"))
            _WATCH.append((3, obj, None, _defaults_of(obj), f"{label}.{name}.__defaults__"))
        elif t is type and _modname(obj) == mod.__name__:
            for key, member in _list(_cls_dict(obj).items()):
                # every member of the meter's own classes (a class attribute replaced by a
                # property is the classic patch); only the methods of pyspark's and py4j's,
                # whose data attributes change as Spark runs
                if not deep and _type(member) not in _DESCRIPTORS:
                    continue
                _WATCH.append((1, obj, key, member, f"{label}.{name}.{key}"))
                if _type(member) is _FunctionType:
                    _WATCH.append((2, member, None, _code_of(member),
                                   f"{label}.{name}.{key}.__code__"))
                elif _type(member) is property and _type(member.fget) is _FunctionType:
                    _WATCH.append((2, member.fget, None, _code_of(member.fget),
                                   f"{label}.{name}.{key}.fget.__code__"))


_METER = [None]  # helpers.meter.meter as it was before any student code


def watch_measurements(harness_globals):
    """Record what the meter depends on (called once, before any student code)."""
    import helpers
    import helpers.meter  # noqa: F401 - the package's attribute `meter` is the function
    import helpers.timing
    import py4j.clientserver
    import py4j.java_gateway
    import py4j.protocol
    import pyspark.status
    from pyspark.core import context as context_module
    from pyspark.core import rdd as rdd_module
    modules = sys.modules
    meter_module = modules["helpers.meter"]
    _METER[0] = meter_module.meter
    _WATCH.append((0, modules, "helpers.meter", meter_module, "sys.modules['helpers.meter']"))
    _WATCH.append((0, modules, "helpers", helpers, "sys.modules['helpers']"))
    for name in ("meter", "CommunicationMeter"):
        _WATCH.append((0, vars(helpers), name, vars(helpers)[name], f"helpers.{name}"))
    _watch_module(meter_module, "helpers.meter")
    _watch_module(helpers.timing, "helpers.timing", deep=False)
    for mod in (py4j.java_gateway, py4j.protocol, py4j.clientserver, pyspark.status,
                context_module, rdd_module):
        _watch_module(mod, mod.__name__, deep=False)
    for name, obj in _list(vars(builtins).items()):
        if callable(obj):
            _WATCH.append((0, vars(builtins), name, obj, f"builtins.{name}"))
    for name, obj in _list(harness_globals.items()):
        if _type(obj) is _FunctionType:
            _WATCH.append((0, harness_globals, name, obj, f"grader harness {name}"))
            _WATCH.append((2, obj, None, _code_of(obj), f"grader harness {name}.__code__"))
            _WATCH.append((3, obj, None, _defaults_of(obj), f"grader harness {name}.__defaults__"))


# What starting Spark itself replaces (pyspark installs its py4j error handler and adds
# RDD.toDF): accepted once, at the start, when the new object is pyspark's own function.
_SPARK_CHANGES = ("py4j.java_gateway.get_return_value", "py4j.protocol.get_return_value",
                  "pyspark.core.rdd.RDD.toDF")


def _accept_spark_start():
    import pyspark
    home = os.path.dirname(pyspark.__file__) + os.sep
    for k, (kind, where, key, original, label) in _enumerate(_list(_WATCH)):
        if label not in _SPARK_CHANGES or kind not in (0, 1):
            continue
        now = _dict_get(where, key, _MISSING) if kind == 0 else \
            _proxy_get(_cls_dict(where), key, _MISSING)
        if now is not original and _type(now) is _FunctionType \
                and _code_of(now).co_filename.startswith(home):
            _WATCH[k] = (kind, where, key, now, label)
            _WATCH.append((2, now, None, _code_of(now), f"{label}.__code__"))


def watch_context(sc):
    """The SparkContext's own attributes the meter reads (once Spark has started)."""
    _accept_spark_start()
    space = vars(sc)
    for name in ("_jsc", "_jvm", "_gateway", "statusTracker", "broadcast"):
        _WATCH.append((0, space, name, _dict_get(space, name, _MISSING), f"sc.{name}"))
    _WATCH.append((4, sc, None, _type(sc), "type(sc)"))
    for name in ("_jvm", "_gateway", "_active_spark_context"):
        _WATCH.append((1, _type(sc), name, _proxy_get(_cls_dict(_type(sc)), name, _MISSING),
                       f"SparkContext.{name}"))


def integrity():
    """``[what changed, ...]`` since :func:`watch_measurements` (at most 5), and the count."""
    changed = []
    for kind, where, key, original, label in _WATCH:
        if kind == 0:
            now = _dict_get(where, key, _MISSING)
        elif kind == 1:
            now = _proxy_get(_cls_dict(where), key, _MISSING)
        elif kind == 2:
            now = _code_of(where)
        elif kind == 3:
            now = _defaults_of(where)
        else:
            now = _type(where)
        if now is not original:
            changed.append(f"{label} was replaced" if now is not _MISSING
                           else f"{label} was deleted")
            if _len(changed) >= 5:
                break
    return {"changed": changed, "watched": _len(_WATCH)}


# --- Spark, started only when a question needs it ----------------------------------------
class _NeedSpark(Exception):
    """Raised while running set-up cells when a statement would start Spark."""


_spark = {"session": None, "allowed": False, "error": None, "seconds": 0.0}
_spark_lock = threading.Lock()


def _launch():
    """Start Spark once (callers hold ``_spark_lock``); a failure is remembered."""
    if _spark["session"] is not None or _spark["error"] is not None:
        return
    t0 = _perf()
    try:
        _spark["session"] = _real_get_spark("grader", ui=False)
    except _BaseException as err:  # noqa: BLE001
        _spark["error"] = _describe_error(err)
    _spark["seconds"] = _perf() - t0


def _warm(x):
    import numpy  # noqa: F401 - loaded once per Python worker, before any graded call
    return x


def _prestart():
    """Start Spark, and its Python workers, in the background while the set-up and answer
    cells run. The session is handed out only after the set-up (so what the set-up does never
    depends on timing), and a question waits for this to finish (so nothing of it is metered)."""
    with _spark_lock:
        _launch()
        if _spark["session"] is not None:
            try:
                sc = _spark["session"].sparkContext
                sc.parallelize(_list(_range(4)), 4).map(_warm).count()
            except _BaseException:  # noqa: BLE001 - only a warm-up
                pass


def start_spark():
    if not _spark["allowed"]:
        raise _NeedSpark("Spark is started later, by the grader")
    if _spark["session"] is None:
        if not _spark.get("reported"):  # the grader hears of the start (or its failure) once
            emit("spark-start")
            with _spark_lock:
                _launch()
            _spark["reported"] = True
            emit("spark-end", error=_spark["error"], seconds=_spark["seconds"])
        if _spark["error"] is not None:
            raise RuntimeError(f"Spark did not start: {_spark['error']['message']}")
    session = _spark["session"]
    if not _spark.get("installed"):
        _spark["installed"] = True
        watch_context(session.sparkContext)
        for space in (NS, BASE_NS):  # the lazy stand-ins become the real objects
            for k, v in _list(space.items()):
                if _type(v) is _LazySession:
                    space[k] = session
                elif _type(v) is _LazyContext:
                    space[k] = session.sparkContext
    return session


class _LazyContext:
    def __getattr__(self, name):
        return _getattr(start_spark().sparkContext, name)

    def __repr__(self):
        return "<SparkContext (started when first used)>"


class _LazySession:
    sparkContext = _LazyContext()

    def __getattr__(self, name):
        return _getattr(start_spark(), name)

    def __repr__(self):
        return "<SparkSession (started when first used)>"


def _lazy_get_spark(*args, **kwargs):
    if _spark["allowed"] and _spark["session"] is not None:
        return _spark["session"]
    return _LazySession()


# --- running code ------------------------------------------------------------------------
def _transform_magics(source: str) -> str:
    lines = source.splitlines()
    if not any(line.lstrip().startswith(("%", "!")) for line in lines):
        return source
    try:
        from IPython.core.inputtransformer2 import TransformerManager
        return TransformerManager().transform_cell(source)
    except _Exception:  # noqa: BLE001
        return "\n".join(line for line in lines if not line.lstrip().startswith(("%", "!")))


class _FakeIPython:
    def __getattr__(self, name):
        return lambda *a, **k: None


def _no_check(*args, **kwargs):
    return None


def run_setup(sources, mode):
    """Run the trusted set-up cells statement by statement; Spark stays lazy unless ``full``."""
    import helpers
    import helpers.environment
    import helpers.session
    if mode == "full":
        _spark["allowed"] = True
    # The grader checked this environment once; each check would start a JVM (java -version).
    helpers.check_environment = helpers.environment.check_environment = _no_check
    helpers.session.problems = lambda *args, **kwargs: []
    helpers.get_spark = helpers.session.get_spark = _lazy_get_spark
    skipped = []
    try:
        for source in sources:
            try:
                tree = ast.parse(_transform_magics(source))
            except SyntaxError as err:
                skipped.append(f"set-up cell does not parse: {err}")
                continue
            for stmt in tree.body:
                text = ast.get_source_segment(source, stmt) or ""
                if "otter" in text:
                    continue
                try:
                    exec(compile(ast.Module([stmt], []), "<set-up>", "exec"), NS)
                except _NeedSpark:
                    skipped.append(text.splitlines()[0][:80] if text else "?")
                except _BaseException as err:  # noqa: BLE001
                    skipped.append(f"{(text.splitlines() or ['?'])[0][:80]}: "
                                   f"{_describe_error(err)['type']}")
    finally:
        helpers.get_spark = helpers.session.get_spark = _real_get_spark
        _spark["allowed"] = True
    return skipped


def run_answer_cell(cell):
    emit("cell-start", id=cell["id"])
    error = None
    try:
        code = compile(_transform_magics(cell["source"]), f"<answer cell {cell['id']}>", "exec")
        exec(code, NS)
    except _BaseException as err:  # noqa: BLE001 - SystemExit, KeyboardInterrupt included
        error = _describe_error(err)
    emit("cell-end", id=cell["id"], error=error)


# --- inputs -------------------------------------------------------------------------------
def build(value):
    """Decode the grader's tagged inputs into Python objects (arrays, LabeledPoints, RDDs)."""
    t = _type(value)
    if t is list:
        return [build(v) for v in value]
    if t is not dict:
        return value
    if "__nd__" in value:
        dtype, shape, flat = value["__nd__"]
        return np.array([float("nan") if v == "nan" else v for v in flat],
                        dtype=dtype).reshape(shape)
    if "__np__" in value:
        dtype, v = value["__np__"]
        return np.dtype(dtype).type(build(v))
    if "__tuple__" in value:
        return tuple(build(v) for v in value["__tuple__"])
    if "__lp__" in value:
        label, features = value["__lp__"]
        return _LabeledPoint(build(label), build(features))
    if "__dv__" in value:
        return _DenseVector(build(value["__dv__"]))
    if "__rdd__" in value:
        items, partitions = value["__rdd__"]
        return start_spark().sparkContext.parallelize(build(items), partitions)
    if "__points__" in value:
        X, y, partitions = (build(v) for v in value["__points__"])
        points = [_LabeledPoint(float(b), a) for a, b in zip(X, y)]
        return start_spark().sparkContext.parallelize(points, partitions)
    if "__dict__" in value:
        return {build(k): build(v) for k, v in value["__dict__"]}
    return {k: build(v) for k, v in value.items()}


def _strip_docstrings(tree):
    """The module ``tree`` without docstrings (a stand-in's docstring may explain the answer)."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                body[0] = ast.copy_location(ast.Pass(), body[0])
    return ast.fix_missing_locations(tree)


def _standins(q, sources):
    """The reference's functions for the stand-ins, compiled without their source, docstrings,
    comments or file name; the source text is dropped before any student code runs again."""
    scratch = dict(BASE_NS)
    names = _list(sources)
    while sources:
        name, source = sources.popitem()
        try:
            tree = _strip_docstrings(ast.parse(source))
            code = compile(tree, "<reference>", "exec", optimize=2)
            del tree, source
            exec(code, scratch)
            del code
        except _BaseException as err:  # noqa: BLE001
            emit("standin-error", q=q, name=name, error=_describe_error(err))
    return {name: scratch[name] for name in names if name in scratch}


def run_question(msg):
    """Install the stand-ins, then run the calls the grader sends one at a time (a call's
    set-up and inputs never reach the sandbox before that call, nor stay after it)."""
    q = msg["q"]
    if msg.get("spark"):
        try:
            start_spark()
        except _BaseException:  # noqa: BLE001 - reported in spark-end; calls will fail
            pass
    saved, missing = {}, object()
    standins = _standins(q, msg.pop("standins", None) or {})
    for name, fn in standins.items():
        saved[name] = NS.get(name, missing)
        NS[name] = fn
    del standins
    try:
        while True:
            call = receive()
            if call.get("nonce") != _NONCE:
                continue
            if call.get("op") != "call":
                break
            i = call.get("i")
            run_call(q, i, call)
            del call
    finally:
        for name, old in saved.items():
            if old is missing:
                NS.pop(name, None)
            else:
                NS[name] = old
    emit("question-end", q=q)


def _names(code) -> set:
    """Every global name ``code`` (and the functions and lambdas inside it) looks up."""
    found = set(code.co_names)
    for const in code.co_consts:
        if _type(const) is _type(code):
            found |= _names(const)
    return found


def _detached(value, sc):
    """An RDD the probe set-up made, rebuilt from its partitions' data (same partitions, same
    order, cached): its lineage no longer holds the function, seed or weights that generated
    it, only the data. Anything else is returned as it is."""
    if sc is None or not _isinstance_rdd(value):
        return value
    parts = value.glom().collect()
    # ``iter`` (a builtin, pickled by name): each of the len(parts) slices holds one part
    fresh = sc.parallelize(parts, _len(parts) or 1).flatMap(iter).cache()
    fresh.count()
    value.unpersist()
    return fresh


def _isinstance_rdd(value):
    try:
        from pyspark import RDD
    except ImportError:
        return False
    return _issubclass(_type(value), RDD)


def _trampoline(code, scope):
    """Evaluate ``code`` with ``scope`` as its globals; the caller's frames hold nothing of the
    test but these (set as the trampoline's globals by ``_call_in_clean_frame``)."""
    return eval(code, scope)


def run_call(q, i, call):
    """One call: inputs and set-up (trusted) first, then the expression in a namespace holding
    only the names it uses; the set-up's other names (generating weights, seeds...) are gone
    before any student code is called, and so is this call's message."""
    emit("call-start", q=q, i=i)
    record = {"q": q, "i": i, "value": None, "error": None, "phase": None, "meter": None}
    t0 = _perf()
    try:
        record["phase"] = "input"
        expr, setup, inputs = call.pop("expr"), call.pop("setup", None), call.pop("inputs", None)
        want_meter, want_spark = call.pop("meter", False), call.pop("spark", False)
        call.clear()
        scope = dict(NS)
        scope.update(TRUSTED)
        if _spark["session"] is not None and _spark.get("installed"):
            scope["spark"] = _spark["session"]
            scope["sc"] = _spark["session"].sparkContext
        if want_spark:
            session = start_spark()
            scope["spark"], scope["sc"] = session, session.sparkContext
        for name, value in (inputs or {}).items():
            scope[name] = build(value)
        del inputs
        before = set(scope)
        if setup:
            exec(compile(setup, "<probe set-up>", "exec"), scope)
        del setup
        code = compile(expr, "<probe call>", "eval")
        keep = _names(code)
        for name, value in _list(scope.items()):  # functions the set-up defined keep theirs
            if _type(value) is _type(_trampoline) and value.__globals__ is scope:
                keep |= _names(value.__code__)
        for name in _list(scope):  # first (their lineage may still read the other names)
            if name in keep and name not in before and name not in TRUSTED:
                scope[name] = _detached(scope[name], scope.get("sc"))
        for name in _list(scope):
            if name not in keep and name != "__builtins__":
                del scope[name]
        name = value = None
        emit("call-run", q=q, i=i)
        record["phase"] = "call"
        if want_meter:
            session = start_spark()
            with _METER[0](session.sparkContext) as m:
                value = _trampoline(code, scope)
            record["integrity"] = integrity()  # before anything else can run
            record["meter"] = {"result_bytes": _int(m.result_bytes), "jobs": _int(m.jobs),
                               "tasks": _int(m.tasks)}
        else:
            value = _trampoline(code, scope)
            record["integrity"] = integrity()
        scope = None
        record["phase"] = "convert"
        record["value"] = plain(value)
        record["phase"] = None
    except _BaseException as err:  # noqa: BLE001
        record["error"] = _describe_error(err)
        if record["phase"] == "input":  # the grader waits for the call to start running
            emit("call-run", q=q, i=i)
    record["seconds"] = _perf() - t0
    emit("call-end", **record)


def main():
    global _NONCE, NS, BASE_NS, TRUSTED, _real_get_spark, _DenseVector, _LabeledPoint
    hello = receive()
    _NONCE = hello["nonce"]
    os.environ.pop("DISTML_GRADER_NONCE", None)
    import helpers
    import helpers.session
    from pyspark.mllib.linalg import DenseVector
    from pyspark.mllib.regression import LabeledPoint
    _real_get_spark = helpers.session.get_spark
    _DenseVector, _LabeledPoint = DenseVector, LabeledPoint
    NS = {"__name__": "__main__", "__builtins__": builtins, "get_ipython": _FakeIPython}
    BASE_NS = NS
    if hello.get("prestart"):
        threading.Thread(target=_prestart, daemon=True).start()
    skipped = run_setup(hello.get("setup", []), hello.get("setup_mode", "lazy"))
    BASE_NS = dict(NS)
    TRUSTED = {"np": np, "numpy": np, "helpers": helpers, "LabeledPoint": LabeledPoint,
               "DenseVector": DenseVector}
    watch_measurements(globals())
    emit("setup-done", skipped=skipped[:50])
    for cell in hello.get("answers", []):
        run_answer_cell(cell)
    emit("ready")
    while True:
        msg = receive()
        if msg.get("nonce") != _NONCE:
            continue
        if msg.get("op") == "question":
            run_question(msg)
        elif msg.get("op") == "bye":
            break
    emit("bye")
    sys.stdout.flush()
    _exit(0)


NS = BASE_NS = TRUSTED = None
_real_get_spark = _DenseVector = _LabeledPoint = None

if __name__ == "__main__":
    try:
        main()
    except _BaseException as exc:  # noqa: BLE001
        try:
            emit("harness-error", error=_describe_error(exc))
        finally:
            _exit(70)
