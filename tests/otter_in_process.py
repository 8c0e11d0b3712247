"""Grade many submissions of one assignment with otter's own tests, in one Python process.

``otter run`` grades one notebook per fresh Jupyter kernel, Spark session and data load: about
40 s each here, most of it start-up. For the corpus (dozens of variants of one notebook) this
does what otter's grading kernel does — ``Notebook.init_grading_mode``, every code cell that is
not tagged ``otter_ignore`` (errors recorded, execution goes on), ``grader.check`` in the
notebook running the full test files, then every test not yet checked, scored by otter's
``Checker`` and ``GradingResults`` — once per submission, each in a namespace of its own, with
one Spark session for all. Submissions that begin with the same cells (the corpus cases share
the reference's set-up and most of its answers) resume from the state those cells reached
instead of running them again (see :func:`grade`): on notebook 02 that gave the same scores,
test cases and feedback as running every cell, except the meter's bytes, which vary by a few
hundred between runs anyway. ``tests/test_otter_grading.py`` also grades one corpus notebook the
way Gradescope does (otter's own ``run_autograder``, in an environment made from the zip alone)
and checks that both agree.

Usage: ``python tests/otter_in_process.py AUTOGRADER_ZIP OUT_JSON NOTEBOOK...``; OUT_JSON gets
``{notebook: {"tests": [{"name", "score", "possible", "output", "cases"}], "errors": [...]}}``,
``cases`` saying which of the question's test cases passed, in order (the declared tests).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import sys
import tempfile
import traceback
import types
import zipfile
from glob import glob

import nbformat


def _resumed(snapshot: dict) -> dict:
    """A new namespace from ``snapshot``, in which the functions the cells defined look their
    globals up (the exact state a fresh kernel has after the same cells)."""
    namespace = dict(snapshot)
    for name, f in snapshot.items():
        if isinstance(f, types.FunctionType) and f.__globals__.get("__name__") == "__main__":
            g = types.FunctionType(f.__code__, namespace, f.__name__, f.__defaults__, f.__closure__)
            g.__kwdefaults__, g.__qualname__, g.__doc__ = f.__kwdefaults__, f.__qualname__, f.__doc__
            g.__dict__.update(f.__dict__)
            namespace[name] = g
    return namespace


def grade(notebook: str, tests_dir: str, memo: dict) -> dict:
    """One submission, as otter's grading kernel grades it (see the module's docstring).

    ``memo`` is shared by the submissions of one run. Its keys are hashes of the code executed
    so far in a submission (every cell's source, in order, from the first): submissions that
    start with the same cells reach the same state, because every cell is deterministic (seeded
    data, no clock). So it keeps, per prefix, the namespace reached (a shallow copy) and the
    errors met, and per (prefix, test file) the result of a check a cell ran there: a corpus case
    that differs from the reference only in its last question resumes where the reference reached
    that question. The final checks (every test file not yet checked, against the whole
    notebook) still run for every submission. Keyed by code, it can only reuse a state that this
    exact code produced.
    """
    from otter import Notebook
    from otter.execute import Checker
    from otter.test_files import GradingResults

    Notebook.init_grading_mode(tests_dir)  # also clears the previous submission's results
    nb = nbformat.read(notebook, as_version=4)
    cells = [(i, c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code"
             and "otter_ignore" not in c.metadata.get("tags", [])]
    prefix = hashlib.sha256(tests_dir.encode())
    keys = []
    for _, source in cells:
        prefix.update(source.encode() + b"\0")
        keys.append(prefix.hexdigest())
    # the longest prefix already reached by an earlier submission
    start = max((k + 1 for k, key in enumerate(keys) if key in memo), default=0)
    if start:
        namespace, errors, checked = memo[keys[start - 1]]
        namespace, errors = _resumed(namespace), list(errors)
        Checker.get_results().extend(checked)
    else:
        namespace, errors = {"__name__": "__main__"}, []
    original_check = Checker.check.__func__

    def check(cls, path, config, test_name=None, global_env=None):
        done = memo.get((current, path))
        if done is None:
            done = memo[(current, path)] = original_check(cls, path, config, test_name,
                                                          global_env)
        elif cls._track_results:
            cls._test_files.append(done)
        return done

    Checker.check = classmethod(check)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            for (i, source), current in list(zip(cells, keys))[start:]:
                try:
                    exec(compile(source, f"<cell {i}>", "exec"), namespace)
                except BaseException:  # noqa: BLE001 - a submission's error is part of its grade
                    errors.append(traceback.format_exc(limit=3))
                memo[current] = (dict(namespace), list(errors), list(Checker.get_results()))
            current = keys[-1] if keys else ""
            for path in sorted(glob(os.path.join(tests_dir, "*.py"))):
                Checker.check_if_not_already_checked(path, global_env=namespace)
    finally:
        Checker.check = classmethod(original_check)
    results = GradingResults(Checker.get_results())
    return {"tests": [{"name": name, "score": tf.score, "possible": tf.possible,
                       "output": tf.summary(),
                       "cases": [bool(r.passed) for r in tf.test_case_results]}
                      for name, tf in results.results.items()],
            "errors": errors}


def main(zip_path: str, out: str, notebooks: list[str]) -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(zip_path) as z:
            z.extractall(tmp)
        memo: dict = {}
        graded = {nb: grade(nb, os.path.join(tmp, "tests"), memo) for nb in notebooks}
    with open(out, "w") as f:
        json.dump(graded, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
