"""Grade a submission the way Gradescope grades it with the zip from ``make gradescope``.

Gradescope unpacks the autograder zip into ``/autograder/source``, runs its ``setup.sh`` once to
build the image (apt packages, then a conda environment from ``environment.yml``), and for each
submission puts the student's files in ``/autograder/submission`` and runs ``run_autograder``:
the environment's ``python /autograder/source/run_otter.py``, i.e.
``otter.run.run_autograder.main("/autograder")``, which writes ``/autograder/results/results.json``.

Here, without Gradescope, conda or Docker:

- the zip is the one an instructor uploads: the committed zip plus the data file
  (``tools/gradescope.py``), built afresh for every submission;
- the environment is a virtual environment of the Python version the zip's ``environment.yml``
  names, with nothing in it but the pip requirements the zip declares (the pip section of its
  ``environment.yml`` and its ``requirements.txt`` if it has one). Java is this machine's: the
  ``apt-get`` step of ``setup.sh`` is not run. It is built once (about 3 minutes) under
  ``$DISTML_GRADESCOPE_ENVS`` (default ``~/.cache/distml/gradescope-env``, outside the checkout so
  that clones on one machine share it, as they share pip's cache) in a folder named by a hash of
  the Python version and the requirements, and reused while they stay the same;
- the zip is unpacked into a fresh folder laid out as ``/autograder`` (``source/``,
  ``submission/`` with the one notebook, ``results/``), and the zip's own ``run_otter.py``,
  pointed at that folder instead of ``/autograder``, runs with that environment's Python in a
  minimal environment (no ``PYTHONPATH``, a fresh ``HOME``, none of this project's settings), from
  inside the folder: neither the project's ``.venv`` nor its ``helpers/`` is in reach, so
  something missing from the zip makes grading fail here as it would on Gradescope.

:func:`gradescope_scores` returns ``({question: score}, results.json)``. Timings (environment
build, each grading) are appended to ``timings.jsonl`` there.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
ENVS = Path(os.environ.get("DISTML_GRADESCOPE_ENVS")
            or Path.home() / ".cache" / "distml" / "gradescope-env")
TIMINGS = ENVS / "timings.jsonl"
# What Gradescope's run_otter.py runs (otter's template, rendered with autograder_dir).
RUN_OTTER_CALL = 'run_autograder("/autograder")'
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
MARKER = ".made-by-tests-gradescope"  # only folders holding it are ever emptied


def _tool():
    """``tools/gradescope.py``, which builds the zip to upload (``make gradescope``)."""
    spec = importlib.util.spec_from_file_location("distml_tools_gradescope",
                                                  ROOT / "tools" / "gradescope.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _record(event: str, **values) -> None:
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    with open(TIMINGS, "a", encoding="utf-8") as f:
        f.write(json.dumps({"event": event, "at": time.strftime("%Y-%m-%dT%H:%M:%S"), **values})
                + "\n")


def upload_zip(topic: str, folder: Path) -> Path:
    """The zip an instructor uploads for ``topic`` (committed zip + data), built in ``folder``."""
    tool = _tool()
    return tool.complete_zip(tool.committed_zip(topic), tool.locate_data(),
                             folder / f"{topic}-autograder.zip")


def declared_environment(zip_path: Path) -> tuple[str, list[str]]:
    """``(python version, pip requirements)`` that an autograder zip declares.

    The Python version is the ``python=X.Y`` of its ``environment.yml``; the requirements are the
    pip section of that file and the lines of ``requirements.txt`` if the zip has one (otter 7
    puts the assignment's requirements in the pip section). Conda packages other than python and
    pip are not installed here (otter's own ``jupyter_server`` is not needed to grade).
    """
    with zipfile.ZipFile(zip_path) as z:
        env = yaml.safe_load(z.read("environment.yml"))
        text = z.read("requirements.txt").decode() if "requirements.txt" in z.namelist() else ""
    python, pip = None, []
    for dep in env.get("dependencies", []):
        if isinstance(dep, dict):
            pip += [str(r).strip() for r in dep.get("pip", [])]
        elif m := re.fullmatch(r"python\s*=+\s*(\d+\.\d+)(\.\*)?", str(dep).strip()):
            python = m.group(1)
    if python is None:
        raise ValueError(f"{zip_path.name}: environment.yml names no python=X.Y")
    pip += [line.strip() for line in text.splitlines()
            if line.strip() and not line.strip().startswith("#")]
    return python, list(dict.fromkeys(pip))  # in order, each once


def _interpreter(version: str) -> str:
    """The base interpreter (not a venv's, not a pyenv shim) of ``python<version>`` on PATH."""
    exe = shutil.which(f"python{version}")
    if exe is None:
        raise RuntimeError(f"the zip grades with Python {version}, and python{version} is not on "
                           f"PATH: install it (e.g. 'sudo apt install python{version}' or pyenv)")
    probe = "import json, sys; print(json.dumps([sys._base_executable, sys.version_info[:2]]))"
    run = subprocess.run([exe, "-c", probe], capture_output=True, text=True, check=True,
                         env=_pip_env(None))
    base, found = json.loads(run.stdout)
    if ".".join(map(str, found)) != version:
        raise RuntimeError(f"python{version} on PATH ({exe}) is Python {found}")
    return base


def _clean_env(home: Path | str, path: str, **extra: str) -> dict:
    """A minimal environment, as a fresh container has: PATH, HOME, a locale, and ``extra``."""
    return {"PATH": path, "HOME": str(home), "LANG": "C.UTF-8", **extra}


def _pip_env(venv: Path | None) -> dict:
    """This process's environment (pip's index and proxy settings) minus anything Python-ish."""
    drop = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "CONDA_PREFIX",
            "PYTHONUSERBASE", "PYTHONNOUSERSITE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    if venv is not None:
        env["PATH"] = f"{venv / 'bin'}:{SYSTEM_PATH}"
        env["PIP_NO_INPUT"] = "1"
    return env


def grading_python(zip_path: Path) -> Path:
    """The Python of a virtual environment holding only what ``zip_path`` declares (cached).

    Keyed by a hash of the Python version and the requirements, so the four zips (which declare
    the same) share one; a lock file keeps parallel test workers from building it twice, and a
    half-built environment (no ``.complete`` marker) is rebuilt.
    """
    start = time.perf_counter()
    version, requirements = declared_environment(zip_path)
    key = hashlib.sha256(json.dumps([version, requirements]).encode()).hexdigest()[:16]
    venv = ENVS / f"py{version}-{key}"
    python = venv / "bin" / "python"
    ENVS.mkdir(parents=True, exist_ok=True)
    with open(ENVS / f"py{version}-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (venv / ".complete").is_file():
            _record("env cached", env=venv.name, seconds=round(time.perf_counter() - start, 3))
            return python
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([_interpreter(version), "-m", "venv", str(venv)], check=True,
                       capture_output=True, env=_pip_env(venv))
        (venv / "requirements.txt").write_text("\n".join(requirements) + "\n")
        run = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r",
                              str(venv / "requirements.txt")],
                             capture_output=True, text=True, env=_pip_env(venv), timeout=3600,
                             check=False)
        if run.returncode != 0:
            raise RuntimeError(f"pip could not install what {zip_path.name} declares:\n"
                               f"{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
        freeze = subprocess.run([str(python), "-m", "pip", "freeze"], capture_output=True,
                                text=True, check=True, env=_pip_env(venv))
        (venv / "freeze.txt").write_text(freeze.stdout)
        seconds = round(time.perf_counter() - start, 1)
        (venv / ".complete").write_text(json.dumps({"seconds": seconds}) + "\n")
        _record("env built", env=venv.name, seconds=seconds)
        return python


def grading_env(python: Path, layout: Path) -> dict:
    """The environment ``run_autograder`` gives otter: the grading environment activated,
    Spark's workers on its Python, a fresh home, nothing from this project."""
    home = layout / "home"
    home.mkdir(exist_ok=True)
    return _clean_env(home, f"{python.parent}:{SYSTEM_PATH}", PYSPARK_PYTHON=str(python))


def _fresh(folder: Path) -> Path:
    """``folder`` emptied, if this module made it (it holds :data:`MARKER`), or new."""
    if folder.exists():
        if not (folder / MARKER).is_file():
            raise FileExistsError(f"{folder} exists and was not made by tests/gradescope_layout.py: "
                                  f"pass a workdir of its own (e.g. pytest's tmp_path)")
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / MARKER).touch()
    return folder


def lay_out(zip_path: Path, submission: Path, layout: Path) -> Path:
    """A fresh ``/autograder`` look-alike in ``layout``: source/ (the zip), submission/, results/.
    Returns the ``run_otter.py`` to run, the zip's own pointed at ``layout``."""
    _fresh(layout)
    (layout / "submission").mkdir()
    (layout / "results").mkdir()
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(layout / "source")
    shutil.copyfile(submission, layout / "submission" / submission.name)
    run_otter = layout / "source" / "run_otter.py"
    text = run_otter.read_text()
    if text.count(RUN_OTTER_CALL) != 1:
        raise ValueError(f"{zip_path.name}: run_otter.py does not call {RUN_OTTER_CALL}:\n{text}")
    run_otter.write_text(text.replace(RUN_OTTER_CALL, f"run_autograder({str(layout)!r})"))
    return run_otter


def layout_dir(workdir: Path) -> Path:
    """Where :func:`gradescope_scores` lays out ``/autograder`` (its ``home/`` is the grading's
    HOME: ``home/.cache/distml`` appears only if helpers did not find the zip's data file)."""
    return workdir / "gradescope" / "autograder"


def gradescope_scores(submission: Path, topic: str, workdir: Path) -> tuple[dict[str, float], dict]:
    """Grade ``submission`` (one .ipynb) as Gradescope would with ``topic``'s uploaded zip.

    Returns ``({question: score}, results.json)``.
    """
    zip_path = upload_zip(topic, _fresh(layout_dir(workdir).parent))
    python = grading_python(zip_path)
    layout = layout_dir(workdir)
    run_otter = lay_out(zip_path, submission, layout)
    start = time.perf_counter()
    run = subprocess.run([str(python), str(run_otter)], capture_output=True, text=True,
                         timeout=1800, cwd=layout, env=grading_env(python, layout),
                         check=False)
    _record("graded", topic=topic, submission=submission.name,
            seconds=round(time.perf_counter() - start, 1))
    results_path = layout / "results" / "results.json"
    assert run.returncode == 0 and results_path.is_file(), (
        f"grading failed (exit {run.returncode}):\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    results = json.loads(results_path.read_text())
    return {t["name"]: t["score"] for t in results["tests"] if "score" in t}, results
