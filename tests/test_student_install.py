"""``pip install .`` alone gives a student what the notebooks need, and nothing of the test tooling.

A fresh virtual environment (:func:`fresh_env.student_env`: built from a clone of this work tree
with nothing but ``pip install .``, cached per ``pyproject.toml``) imports, from a folder outside
the repository with only ``DISTML_DATA_DIR`` set, every module any notebook, master or student,
imports, and runs the set-up cells of the first notebook (its kernel, Spark, data and otter at
work; ``tests/test_student_setup.py`` runs every notebook's set-up with ``.venv``). ``helpers``
must come from the environment, not from a checkout. The pip section of ``environment.yml``
(what conda installs) holds the same pins (``tests/test_environment_files.py``);
``fresh_env.conda_pip_env`` builds it, by hand, for a change that touches only that file.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from fresh_env import (ROOT, clean_env, conda_pip_env, notebook_imports, record,
                       student_env)

# One worker, in order: each environment is set up (a clone, the project reinstalled) once.
pytestmark = [pytest.mark.grading, pytest.mark.xdist_group(name="student-install")]

TOPICS = [m.stem for m in sorted((ROOT / "autograder" / "source").glob("[0-9][0-9]_*.ipynb"))]
# What `make test` and `make bench` add (requirements-dev.txt): never in a student's environment.
# (Not playwright: otter-grader requires nbconvert[webpdf], which brings the Python package, though
# no browser.)
DEV_ONLY = ["pytest", "xdist", "nbval", "pyarrow", "jupyter_server_proxy"]

# Run inside the fresh environment: the set-up cells of each notebook given, in a kernel of that
# environment's Python, from the notebook's own folder (otter's init cell reads the file).
_RUN_SETUP = r"""
import json, sys
import nbformat
from nbclient import NotebookClient
out = {}
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    first = next(i for i, c in enumerate(nb.cells) if "otter_answer_cell" in c.metadata.get("tags", []))
    nb.cells = nb.cells[:first]
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(__import__("pathlib").Path(path).parent)}}).execute()
    out[path] = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
print(json.dumps(out))
"""


PIP, CONDA = "pip install .", "environment.yml pip section"


@pytest.fixture(scope="module", params=[PIP])
def env(request, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("student-install")
    start = time.perf_counter()
    make = student_env if request.param == PIP else conda_pip_env
    python, clone, built = make(workdir)
    record(f"{request.param}: env ready", built=built, seconds=round(time.perf_counter() - start, 1))
    outside = workdir / "course"  # where a student keeps the notebooks: not the clone
    (outside / "notebooks").mkdir(parents=True)
    for topic in TOPICS:
        (outside / "notebooks" / f"{topic}.ipynb").write_bytes(
            (ROOT / "notebooks" / f"{topic}.ipynb").read_bytes())
    data = os.environ.get("DISTML_DATA_DIR") or str(ROOT / "data" / "cache")
    environ = clean_env(python, workdir / "home", DISTML_DATA_DIR=data, PYTHONHASHSEED="0",
                        DISTML_SPARK_UI="0", JAVA_HOME=os.environ.get("JAVA_HOME", ""))
    return python, outside, environ, clone


def _run(python, args, cwd, environ, timeout=900):
    return subprocess.run([str(python), *args], cwd=cwd, env=environ, capture_output=True,
                          text=True, timeout=timeout, check=False)


def test_only_the_students_packages_are_installed(env):
    python, outside, environ, _ = env
    probe = ("import importlib.util, json, sys; "
             "print(json.dumps([m for m in sys.argv[1:] if importlib.util.find_spec(m)]))")
    run = _run(python, ["-c", probe, *DEV_ONLY], outside, environ)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [], "test or benchmark tooling in a student's environment"


def test_every_module_the_notebooks_import_is_installed(env):
    python, outside, environ, clone = env
    modules = notebook_imports()
    assert {"helpers", "otter", "pyspark", "numpy", "matplotlib.pyplot"} <= set(modules), modules
    probe = ("import importlib, json, sys\n"
             "bad = {}\n"
             "for m in sys.argv[1:]:\n"
             "    try: importlib.import_module(m)\n"
             "    except Exception as e: bad[m] = repr(e)\n"
             "import helpers, autograder.grader.incell\n"
             "print(json.dumps({'bad': bad, 'helpers': helpers.__file__}))")
    run = _run(python, ["-c", probe, *modules], outside, environ)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.splitlines()[-1])
    assert result["bad"] == {}, f"not importable after `pip install .`: {result['bad']}"
    # From the environment (pip install .) or the clone it was installed from (conda's -e .),
    # never from this checkout.
    assert any(Path(result["helpers"]).is_relative_to(p) for p in (python.parent.parent, clone)), \
        f"helpers imported from {result['helpers']}, not from the environment"


# One notebook's set-up shows the environment's kernel, Spark, data and otter at work (the
# imports of all of them are checked above; every set-up runs with .venv in the notebooks tier).
@pytest.mark.parametrize(("env", "topic"), [(PIP, TOPICS[0])], indirect=["env"])
def test_student_notebook_setup_runs(env, topic):
    python, outside, environ, _ = env
    path = outside / "notebooks" / f"{topic}.ipynb"
    start = time.perf_counter()
    run = _run(python, ["-c", _RUN_SETUP, str(path)], outside, environ)
    record(f"{python.parent.parent.name}: {topic} set-up cells",
           seconds=round(time.perf_counter() - start, 1))
    assert run.returncode == 0, f"set-up cells failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    text = json.loads(run.stdout.splitlines()[-1])[str(path)]
    assert "Environment OK" in text and re.search(r"Spark \d+\.\d+\.\d+ on local", text), \
        f"{topic}: the set-up did not report the environment and Spark:\n{text}"
    assert "WARN" not in text and "[Stage" not in text, f"{topic}: log noise:\n{text}"
