"""One declared test, run in a notebook's own kernel: what the generated otter test cells call.

Every question is declared once, in ``autograder/questions/NN_topic.py`` (see
:mod:`autograder.grader.spec`). From that one declaration come both graders:

- the sandboxed grader (``make grade``) makes the calls inside a sandbox and judges the plain
  results outside it;
- otter (a student's ``grader.check``, ``otter run``, Gradescope) runs the cells ``make assign``
  writes into the master, one per test::

      from autograder.grader.incell import check
      check("01_closed_form", "linregClosedForm", "hidden: 8 small points (no ridge term)")

  and :func:`check` makes the same calls here, in the kernel, converts the results with the
  sandbox harness's own :func:`~autograder.grader.harness.plain`, and judges them with the same
  code (:func:`autograder.grader.scoring.judge_question`): the same checks, tolerances and hints.

The expected values come from one oracle, the reference submission: ``make assign`` runs it on
every call once (``python -m autograder.grader.incell oracle NN_topic``) and keeps the results in
``autograder/questions/expected/NN_topic.public.json`` (the public checks' values, which students
see anyway) and ``NN_topic.hidden.json`` (the hidden tests', shipped only in the otter autograder
zip, with the reference code of the stand-ins).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import importlib.util
import json
import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS_DIR = ROOT / "autograder" / "questions"
EXPECTED_DIR = QUESTIONS_DIR / "expected"
_MISSING = object()
_cache: dict = {}
_made: dict = {}  # the calls made for the last test checked (see check)


# --- the declarations and the oracle's files ----------------------------------------------
def declarations(topic: str, root: Path = ROOT):
    """The module ``autograder/questions/<topic>.py`` (its ``QUESTIONS``), loaded once."""
    path = root / "autograder" / "questions" / f"{topic}.py"
    key = ("questions", str(path))
    if key not in _cache:
        if not path.is_file():
            raise FileNotFoundError(f"no question declarations for {topic}: {path} is missing")
        if str(root) not in sys.path:
            sys.path.insert(0, str(root))
        spec = importlib.util.spec_from_file_location(f"_distml_questions_{topic}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _cache[key] = module
    return _cache[key]


def question(topic: str, name: str):
    return next(q for q in declarations(topic).QUESTIONS if q.name == name)


def expected_path(topic: str, part: str, built: Path = ROOT) -> Path:
    return built / "autograder" / "questions" / "expected" / f"{topic}.{part}.json"


def expected(topic: str, part: str) -> dict:
    """``{"key", "questions": {q: {call index: record}}, "standins": {name: source}}``."""
    path = expected_path(topic, part)
    if ("expected", str(path)) not in _cache:
        if not path.is_file():
            raise FileNotFoundError(
                f"{path.relative_to(ROOT)} is missing: the {part} tests' expected values are "
                f"made by `make assign` (and shipped in the otter autograder zip)")
        _cache[("expected", str(path))] = json.loads(path.read_text())
    return _cache[("expected", str(path))]


# --- making one call in this kernel ---------------------------------------------------------
def _harness():
    """The sandbox harness's value conversion, set up for this process (Spark as it is)."""
    from pyspark.mllib.linalg import DenseVector
    from pyspark.mllib.regression import LabeledPoint

    from autograder.grader import harness

    harness._DenseVector, harness._LabeledPoint = DenseVector, LabeledPoint
    return harness


def _needs_spark(q, call) -> bool:
    text = json.dumps(call.message()["inputs"])
    return bool(q.spark or call.spark or call.meter or "__rdd__" in text or "__points__" in text)


def evaluate(q, call, ns: dict) -> dict:
    """Make ``call`` on the functions in ``ns``: ``{"value", "meter"}`` as plain data, or
    ``{"error", "phase"}`` (the record the sandbox harness sends)."""
    import numpy as np
    from pyspark.mllib.linalg import DenseVector
    from pyspark.mllib.regression import LabeledPoint

    import helpers

    h = _harness()
    record = {"value": None, "error": None, "phase": "input", "meter": None}
    try:
        scope = dict(ns)
        scope.update({"np": np, "numpy": np, "helpers": helpers, "LabeledPoint": LabeledPoint,
                      "DenseVector": DenseVector})
        if _needs_spark(q, call):
            session = helpers.get_spark()
            # The harness builds RDD inputs with the session it holds: this one.
            h._spark.update(session=session, allowed=True, reported=True, installed=True)
            scope["spark"], scope["sc"] = session, session.sparkContext
        for name, value in call.message()["inputs"].items():
            scope[name] = h.build(value)
        if call.setup:
            exec(compile(call.setup, "<test set-up>", "exec"), scope)
        record["phase"] = "call"
        code = compile(call.expr, "<test call>", "eval")
        if call.meter:
            with helpers.meter(scope["sc"]) as m:
                value = eval(code, scope)
            record["meter"] = {"result_bytes": int(m.result_bytes), "jobs": int(m.jobs),
                               "tasks": int(m.tasks)}
        else:
            value = eval(code, scope)
        record["phase"] = "convert"
        record["value"] = h.plain(value)
        record["phase"] = None
    except BaseException as err:  # noqa: BLE001 - the submission's error is its result
        record["error"] = {"type": type(err).__name__, "message": str(err)[:1000]}
    return record


# --- the check a test cell runs -----------------------------------------------------------
def check(topic: str, question_name: str, test_name: str, env: dict | None = None) -> None:
    """Run one declared test on the functions of the calling notebook; raise AssertionError
    saying what was called, what came back, why it fails and a hint, if it fails.

    ``env`` is the notebook's namespace (default: the caller's globals, which is what otter's
    test cells and ``grader.check`` run in). Hidden tests replace the question's stand-ins (other
    questions it calls) by the reference's, as the sandboxed grader does, so one mistake is not
    counted twice.
    """
    from autograder.grader import spec
    from autograder.grader.scoring import judge_question

    env = sys._getframe(1).f_globals if env is None else env
    q = question(topic, question_name)
    test = q.test(test_name)
    part = "public" if test.public else "hidden"
    oracle = expected(topic, part)["questions"].get(q.name, {})
    own = env.get(q.name)
    ns = getattr(own, "__globals__", env)  # where the submission's functions look names up
    # A call two tests share (say the weights and the errors of one run) is made once, as the
    # sandboxed grader makes it: reused only while every name in the namespace is bound to the
    # same object as when it was made (the objects are kept alive, so an id is never reused).
    state = (topic, q.name, test.public, tuple((k, id(v)) for k, v in ns.items()))
    if _made.get("state") != state:
        _made.clear()
        _made.update(state=state, alive=list(ns.values()), records={})
    swapped = {}
    if not test.public and q.standins:
        scratch = dict(ns)
        for name, source in expected(topic, "hidden")["standins"].items():
            if name in q.standins:
                exec(compile(source, f"<reference {name}>", "exec"), scratch)
                swapped[name] = ns.get(name, _MISSING)
                ns[name] = scratch[name]
    index = {id(c): k for k, c in enumerate(q.calls())}
    made = _made["records"]
    try:
        records = [made[index[id(call)]] if index[id(call)] in made
                   else made.setdefault(index[id(call)], evaluate(q, call, ns))
                   for call in test.calls]
    finally:
        for name, old in swapped.items():
            if old is _MISSING:
                ns.pop(name, None)
            else:
                ns[name] = old
    one = spec.Question(q.name, [test], spark=q.spark, timeout=q.timeout)
    reference = [oracle.get(str(index[id(call)]), {}) for call in test.calls]
    verdict = judge_question(one, SimpleNamespace(state="done", calls=records), reference)
    tv = verdict.tests[0]
    if tv.passed:
        return
    lines = [f"{q.name}, {test.name}: failed"]
    for c in tv.calls:
        if c.ok:
            continue
        lines.append(f"  called: {c.shown}")
        if test.public:
            lines.append(f"  expected: {c.expected}")
        lines += [f"  got: {c.got}", f"  why: {c.why}"]
    if tv.hint:
        lines.append(f"  hint: {tv.hint}")
    raise AssertionError("\n".join(lines))


# --- the oracle: the reference submission on every call -----------------------------------
def oracle_key(topic: str, built: Path = ROOT) -> str:
    """Hash of what the expected values depend on: the declarations, the reference answers and
    the student notebook's set-up cells (``helpers`` changes show up when nbval runs the masters,
    whose test cells compare the master's own answers with these values)."""
    from autograder.grader import assignments

    nb = json.loads((built / "notebooks" / f"{topic}.ipynb").read_text())
    ref = json.loads((built / "autograder" / "samples" / topic / "reference.ipynb").read_text())
    answers = {}
    for cell in ref["cells"]:
        if "otter_answer_cell" in cell.get("metadata", {}).get("tags", []):
            answers[cell.get("id")] = assignments._source(cell)
    h = hashlib.sha256()
    for part in ((QUESTIONS_DIR / f"{topic}.py").read_bytes(),
                 json.dumps(answers, sort_keys=True).encode(),
                 json.dumps(assignments.setup_sources(nb)).encode()):
        h.update(part + b"\0")
    return h.hexdigest()


def _run_setup(sources: list[str], ns: dict) -> None:
    """The trusted set-up cells, statement by statement, without otter's own lines."""
    for source in sources:
        tree = ast.parse(source)
        for stmt in tree.body:
            text = ast.get_source_segment(source, stmt) or ""
            if "otter" in text:
                continue
            exec(compile(ast.Module([stmt], []), "<set-up>", "exec"), ns)


def compute_oracle(topic: str, built: Path = ROOT) -> None:
    """Run the reference on every declared call; write the public and hidden files.

    ``built`` is the root the notebooks were built under (``make assign --out`` builds
    elsewhere): the reference and the set-up cells are read there, and the files written there.
    """
    import contextlib
    import io

    from autograder.grader import assignments

    nb = json.loads((built / "notebooks" / f"{topic}.ipynb").read_text())
    ref_nb = json.loads((built / "autograder" / "samples" / topic / "reference.ipynb").read_text())
    answers = {q: src for cid, q in assignments.answer_layout(ref_nb) if q
               for src in [next(assignments._source(c) for c in ref_nb["cells"]
                                if c.get("id") == cid)]}
    ns = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()):
        _run_setup(assignments.setup_sources(nb), ns)
        for name, source in answers.items():
            exec(compile(source, f"<reference {name}>", "exec"), ns)
    parts = {"public": {}, "hidden": {}}
    problems = []
    for q in declarations(topic).QUESTIONS:
        calls = q.calls()
        for k, call in enumerate(calls):
            record = evaluate(q, call, ns)
            if record["error"]:
                problems.append(f"{q.name}: `{call.show or call.expr}` raised "
                                f"{record['error']['type']}: {record['error']['message']}")
            users = [t for t in q.tests if any(c is call for c in t.calls)]
            for part in {"public" if t.public else "hidden" for t in users}:
                parts[part].setdefault(q.name, {})[str(k)] = {"value": record["value"],
                                                              "meter": record["meter"]}
    if problems:
        sys.exit(f"the reference submission of {topic} fails its own declared calls:\n  "
                 + "\n  ".join(problems))
    key = oracle_key(topic, built)
    standins = {s for q in declarations(topic).QUESTIONS for s in q.standins}
    for part, questions in parts.items():
        data = {"key": key, "assignment": topic, "questions": questions}
        if part == "hidden":
            data["standins"] = {s: answers[s] for s in sorted(standins)}
        path = expected_path(topic, part, built)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


def oracle_is_current(topic: str, built: Path = ROOT) -> bool:
    try:
        return all(json.loads(expected_path(topic, part, built).read_text()).get("key")
                   == oracle_key(topic, built) for part in ("public", "hidden"))
    except (OSError, ValueError):
        return False


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.grader.incell")
    parser.add_argument("command", choices=["oracle"])
    parser.add_argument("topic")
    parser.add_argument("--built", type=Path, default=ROOT,
                        help="the root the notebooks were built under (tools/assign.py --out)")
    args = parser.parse_args(argv)
    compute_oracle(args.topic, args.built)
    return 0


if __name__ == "__main__":
    sys.exit(main())
