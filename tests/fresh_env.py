"""Virtual environments made from this repository's files alone, as a student or a hub image gets
them: never from ``.venv``, never with this checkout on ``sys.path``.

:func:`repo_copy` copies the tracked files (as they are in the work tree: a clone of this commit
plus uncommitted edits) to a folder of their own, so that ``pip install .`` builds from a clone
and nothing is written into the checkout. :func:`cached_env` builds a virtual environment once,
in a folder named by a hash of the Python version and of the files that decide what it holds
(``pyproject.toml``, the requirements), under ``$DISTML_TEST_ENVS`` (default
``~/.cache/distml/test-envs``, outside the checkout like the Gradescope environment of
``tests/gradescope_layout.py``, whose pip and PATH settings it shares), and reuses it while
they stay the same. Build times go to ``timings.jsonl`` there.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import nbformat

from gradescope_layout import SYSTEM_PATH, _clean_env, _pip_env

ROOT = Path(__file__).resolve().parents[1]
ENVS = Path(os.environ.get("DISTML_TEST_ENVS") or Path.home() / ".cache" / "distml" / "test-envs")

__all__ = ["ROOT", "ENVS", "repo_copy", "cached_env", "pip", "student_env", "conda_pip_env",
           "record", "notebook_imports"]


def record(event: str, **values) -> None:
    ENVS.mkdir(parents=True, exist_ok=True)
    with open(ENVS / "timings.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps({"event": event, "at": time.strftime("%Y-%m-%dT%H:%M:%S"), **values})
                + "\n")


def notebook_imports() -> list[str]:
    """Every module a code cell of a master or a student notebook imports (top-level names
    and dotted modules), e.g. ``pyspark.mllib.regression``."""
    found = set()
    for path in sorted((ROOT / "autograder" / "source").glob("*.ipynb")) + sorted(
            (ROOT / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            for m in re.finditer(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w., ]+?)(?:\s+as\s+\w+)?\s*$)",
                                 cell.source, re.MULTILINE):
                for name in (m.group(1) or m.group(2)).split(","):
                    found.add(name.strip())
    return sorted(found - {""})


def repo_copy(dest: Path) -> Path:
    """The tracked files of this checkout, as they are now, copied to ``dest`` (a clone)."""
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True,
                           check=True).stdout.decode().split("\0")
    for rel in filter(None, files):
        src = ROOT / rel
        if src.is_file():  # a tracked file deleted in the work tree is not in a clone either
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


def pip(python: Path, *args: str, cwd: Path | None = None) -> None:
    """``python -m pip install --quiet ARGS`` with pip's own settings and nothing else."""
    venv = python.parent.parent
    run = subprocess.run([str(python), "-m", "pip", "install", "--quiet", *args], cwd=cwd,
                         capture_output=True, text=True, env=_pip_env(venv), timeout=3600,
                         check=False)
    if run.returncode != 0:
        raise RuntimeError(f"pip install {' '.join(args)} failed:\n{run.stdout[-3000:]}\n"
                           f"{run.stderr[-3000:]}")


def cached_env(name: str, inputs: list[Path], build: Callable[[Path], None]) -> tuple[Path, bool]:
    """``(python, built)``: the Python of the environment ``build(python)`` fills, built anew only
    when this Python's version or one of ``inputs`` changed; ``built`` says whether it was.

    A lock keeps parallel test workers from building it twice; a half-built environment (no
    ``.complete`` marker) is rebuilt.
    """
    digest = hashlib.sha256(sys.version.encode())
    for path in inputs:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    venv = ENVS / f"{name}-py{sys.version_info[0]}.{sys.version_info[1]}-{digest.hexdigest()[:16]}"
    python = venv / "bin" / "python"
    ENVS.mkdir(parents=True, exist_ok=True)
    with open(f"{venv}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (venv / ".complete").is_file():
            return python, False
        start = time.perf_counter()
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys._base_executable, "-m", "venv", str(venv)], check=True,
                       capture_output=True, env=_pip_env(venv))
        build(python)
        seconds = round(time.perf_counter() - start, 1)
        (venv / ".complete").write_text(json.dumps({"seconds": seconds}) + "\n")
        record("env built", env=venv.name, seconds=seconds)
        return python, True


def student_env(workdir: Path) -> tuple[Path, Path, bool]:
    """``(python, clone, built)``: an environment holding only what ``pip install .`` gives.

    Built once per ``pyproject.toml`` (what it declares decides what pip installs); on later
    runs the project itself is reinstalled from the current files (``--no-deps``), so the
    package under test is always this work tree's.
    """
    clone = repo_copy(workdir / "clone")
    python, built = cached_env("student", [ROOT / "pyproject.toml"],
                               lambda py: pip(py, ".", cwd=clone))
    if not built:
        pip(python, "--no-deps", "--force-reinstall", ".", cwd=clone)
    return python, clone, built


def conda_pip_env(workdir: Path) -> tuple[Path, Path, bool]:
    """``(python, clone, built)``: an environment holding what ``environment.yml``'s pip section
    installs, run as conda runs it (its lines as a requirements file beside environment.yml, pip
    started there). Conda's own packages (python, openjdk) are this machine's: no conda here.

    Built once per environment.yml and constraints.txt; the editable install of the project
    (``-e .``) is redone from each run's clone.
    """
    import yaml

    clone = repo_copy(workdir / "clone")
    spec = yaml.safe_load((clone / "environment.yml").read_text())
    lines = next(d["pip"] for d in spec["dependencies"] if isinstance(d, dict))
    requirements = clone / "condaenv.requirements.txt"
    requirements.write_text("\n".join(lines) + "\n")
    python, built = cached_env("conda-pip", [ROOT / "environment.yml", ROOT / "constraints.txt"],
                               lambda py: pip(py, "-r", str(requirements), cwd=clone))
    if not built:
        pip(python, "--no-deps", "-e", ".", cwd=clone)
    return python, clone, built


def clean_env(python: Path, home: Path, **extra: str) -> dict:
    """A fresh user's environment with ``python``'s environment activated, plus ``extra``."""
    home.mkdir(parents=True, exist_ok=True)
    return _clean_env(home, f"{python.parent}:{SYSTEM_PATH}", VIRTUAL_ENV=str(python.parent.parent),
                      **extra)
