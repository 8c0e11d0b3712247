"""environment.yml (conda), requirements.txt (pip) and the otter autograder zips (Gradescope)
pin the same releases."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _pins(text: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2)
            for m in re.finditer(r"^\s*-?\s*([A-Za-z0-9_.\-]+)\s*==?\s*([0-9][^\s#]*)", text,
                                 re.MULTILINE)}


def test_conda_and_pip_pins_agree():
    pip = _pins((ROOT / "requirements.txt").read_text())
    conda = _pins((ROOT / "environment.yml").read_text())
    assert pip, "no pins found in requirements.txt"
    missing = sorted(set(pip) - set(conda))
    assert not missing, f"environment.yml does not pin {missing}"
    differ = {name: (pip[name], conda[name]) for name in pip if conda[name] != pip[name]}
    assert not differ, f"pins differ (requirements.txt, environment.yml): {differ}"


def test_constraints_agree_with_requirements():
    pip = _pins((ROOT / "requirements.txt").read_text())
    lock = _pins((ROOT / "constraints.txt").read_text())
    differ = {name: (pip[name], lock.get(name)) for name in pip if lock.get(name) != pip[name]}
    assert not differ, f"constraints.txt disagrees with requirements.txt: {differ}"
    dev, lock = _file_pins(ROOT / "requirements-dev.txt"), _file_pins(ROOT / "constraints.txt")
    differ = {name: (dev[name], lock.get(name)) for name in dev if lock.get(name) != dev[name]}
    assert not differ, f"constraints.txt disagrees with requirements-dev.txt: {differ}"


# What a student's environment must never hold (requirements-dev.txt: `make test`, `make bench`).
DEV_ONLY = {"pytest", "pytest-xdist", "nbval", "playwright", "pyarrow", "jupyter-server-proxy"}


def _pyproject() -> dict:
    import tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _specs(lines) -> dict[str, str]:
    """``{name: version}`` of ``name==version`` requirement strings; anything else is an error."""
    found = {}
    for line in lines:
        m = _REQ.match(line)
        assert m and m.group(4), f"not pinned with ==: {line!r}"
        found[_norm(m.group(1))] = m.group(4)
    return found


def _file_pins(path: Path) -> dict[str, str]:
    return {_norm(k): v for k, v in _pins(path.read_text()).items()}


def test_pip_install_dot_gives_the_students_pins_and_nothing_else():
    """`pip install .` (pyproject's dependencies) installs exactly requirements.txt's pins."""
    project = _specs(_pyproject()["dependencies"])
    assert project == _file_pins(ROOT / "requirements.txt"), \
        "pyproject.toml's dependencies and requirements.txt differ"
    assert not DEV_ONLY & set(project), f"test tooling in a student's install: {DEV_ONLY & set(project)}"
    imports = {"pyspark", "numpy", "matplotlib", "jupyterlab", "ipykernel", "ipywidgets", "tqdm",
               "otter-grader"}
    assert imports <= set(project), f"pip install . lacks {sorted(imports - set(project))}"


def test_dev_extra_and_requirements_dev_agree():
    """`.[dev]` and requirements-dev.txt (what `make test` installs) pin the same test tooling,
    to constraints.txt's releases; the hub extra's pin is binder/'s."""
    extras = _pyproject()["optional-dependencies"]
    dev = _specs(extras["dev"])
    assert dev == _file_pins(ROOT / "requirements-dev.txt"), \
        "pyproject.toml's dev extra and requirements-dev.txt differ"
    assert DEV_ONLY <= set(dev), f"the dev extra lacks {sorted(DEV_ONLY - set(dev))}"
    lock = _file_pins(ROOT / "constraints.txt")
    differ = {k: (v, lock.get(k)) for k, v in dev.items() if lock.get(k) != v}
    assert not differ, f"constraints.txt disagrees with the dev tooling's pins: {differ}"
    hub = _specs(extras["hub"])
    binder = _file_pins(ROOT / "binder" / "requirements.txt")
    assert hub == binder and all(dev.get(k) == v for k, v in hub.items()), (hub, binder)
    text = (ROOT / "requirements-dev.txt").read_text()
    assert re.search(r"^-r requirements.txt", text, re.MULTILINE), \
        "requirements-dev.txt must include the student's requirements.txt"


def test_conda_environment_is_a_students():
    conda = _pins((ROOT / "environment.yml").read_text())
    assert not DEV_ONLY & {_norm(k) for k in conda}, "test tooling in the conda environment"


def test_conda_environment_installs_java_and_the_project():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s*-\s*openjdk=17", text, re.MULTILINE), "conda users need openjdk 17"
    assert re.search(r"^\s*-\s*-e \.\.?/?$|^\s*-\s*-e \.", text, re.MULTILINE), \
        "environment.yml must install the project's own package (pip: -e .)"


# --- the otter autograder zips (what Gradescope and `otter grade` install) ------------------------
_REQ = re.compile(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*(==\s*([^\s;#]+))?")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _zip_environment(zip_path: Path) -> tuple[str | None, list[str]]:
    """``(python version, pip requirement lines)`` of an autograder zip's environment.yml (and
    of its requirements.txt, if it has one)."""
    with zipfile.ZipFile(zip_path) as z:
        env = yaml.safe_load(z.read("environment.yml"))
        text = z.read("requirements.txt").decode() if "requirements.txt" in z.namelist() else ""
    python, lines = None, [line.strip() for line in text.splitlines()
                           if line.strip() and not line.strip().startswith("#")]
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            lines += [str(r).strip() for r in dep.get("pip", [])]
        elif str(dep).startswith("python="):
            python = str(dep).split("=", 1)[1]
    return python, lines


ZIPS = sorted((ROOT / "autograder" / "dist").glob("*/autograder/*-autograder.zip"))


@pytest.mark.parametrize("zip_path", ZIPS, ids=[p.parent.parent.name for p in ZIPS])
def test_autograder_zip_pins_agree_with_requirements(zip_path):
    """Every package the grading image installs is pinned, to requirements.txt's release (or
    constraints.txt's, for one requirements.txt does not name); Python is environment.yml's."""
    pip = {_norm(k): v for k, v in _pins((ROOT / "requirements.txt").read_text()).items()}
    lock = {_norm(k): v for k, v in _pins((ROOT / "constraints.txt").read_text()).items()}
    python, lines = _zip_environment(zip_path)
    conda_python = re.search(r"^\s*-\s*python=(\S+)", (ROOT / "environment.yml").read_text(),
                             re.MULTILINE).group(1)
    assert python == conda_python, f"the zip grades with Python {python}, not {conda_python}"
    where = (f"the requirements list of the ASSIGNMENT CONFIG cell of "
             f"autograder/source/{zip_path.parent.parent.name}.ipynb (then `make assign`)")
    assert lines, f"the zip installs nothing: fill in {where}"
    found = {}
    for line in lines:
        m = _REQ.match(line)
        assert m and m.group(4), f"not pinned with ==: {line!r} (in {where})"
        found[_norm(m.group(1))] = m.group(4)
    differ = {name: (version, pip.get(name, lock.get(name))) for name, version in found.items()
              if version != pip.get(name, lock.get(name))}
    assert not differ, f"pins differ (zip, requirements.txt/constraints.txt): {differ}; fix {where}"
    imports = {"otter-grader", "pyspark", "numpy", "matplotlib", "tqdm", "ipykernel"}
    assert imports <= set(found), f"the zip does not install {sorted(imports - set(found))}"


def test_the_environment_is_compiled_to_bytecode():
    # make setup's installer must write the .pyc files (uv --compile-bytecode): with
    # PYTHONDONTWRITEBYTECODE set, as on CI here, nothing else does, and every kernel, Spark
    # worker daemon and sandboxed grading compiles pyspark, pandas and numpy from source again.
    import importlib.util

    import numpy
    import pandas
    import pyspark

    missing = [m.__name__ for m in (numpy, pandas, pyspark)
               if not Path(importlib.util.cache_from_source(m.__file__)).is_file()]
    assert not missing, (f"no bytecode for {missing}: make setup compiles it now; rebuild the "
                         "environment with `make clean setup-dev`")
