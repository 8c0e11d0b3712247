"""Grade many submissions of one assignment with otter's own tests, in one Python process.

``otter run`` grades one notebook per fresh Jupyter kernel, Spark session and data load: about
40 s each here, most of it start-up. For the corpus (dozens of variants of one notebook) this
does what otter's grading kernel does — ``Notebook.init_grading_mode``, every code cell that is
not tagged ``otter_ignore`` (errors recorded, execution goes on), ``grader.check`` in the
notebook running the full test files, then every test not yet checked, scored by otter's
``Checker`` and ``GradingResults`` — once per submission, each in a fresh namespace, with one
Spark session for all. ``tests/test_otter_grading.py`` still runs ``otter run`` itself on the
reference, the blank notebook and one corpus file per topic, and checks that both agree.

Usage: ``python tests/otter_in_process.py AUTOGRADER_ZIP OUT_JSON NOTEBOOK...``; OUT_JSON gets
``{notebook: {"tests": [{"name", "score", "possible", "output", "cases"}], "errors": [...]}}``,
``cases`` saying which of the question's test cases passed, in order (the declared tests).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
import traceback
import zipfile
from glob import glob

import nbformat


def grade(notebook: str, tests_dir: str) -> dict:
    from otter import Notebook
    from otter.execute import Checker
    from otter.test_files import GradingResults

    Notebook.init_grading_mode(tests_dir)  # also clears the previous submission's results
    nb = nbformat.read(notebook, as_version=4)
    namespace = {"__name__": "__main__"}
    errors = []
    with contextlib.redirect_stdout(io.StringIO()):
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or "otter_ignore" in cell.metadata.get("tags", []):
                continue
            try:
                exec(compile(cell.source, f"<cell {i}>", "exec"), namespace)
            except BaseException:  # noqa: BLE001 - a submission's error is part of its grade
                errors.append(traceback.format_exc(limit=3))
        for path in sorted(glob(os.path.join(tests_dir, "*.py"))):
            Checker.check_if_not_already_checked(path, global_env=namespace)
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
        graded = {nb: grade(nb, os.path.join(tmp, "tests")) for nb in notebooks}
    with open(out, "w") as f:
        json.dump(graded, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
