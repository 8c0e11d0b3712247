"""The zips an instructor uploads to Gradescope grade there: tested the way Gradescope runs them.

For each topic, the zip ``make gradescope`` builds (the committed autograder zip plus the data
file) is unpacked into a fresh folder laid out as Gradescope's ``/autograder``, and otter's
autograding runs from it exactly as the zip's ``run_autograder`` runs it
(``run_otter.py``: ``otter.run.run_autograder.main(<that folder>)``), with the Python of a virtual
environment built only from what the zip declares (``tests/gradescope_layout.py`` has the details), in a
minimal environment that cannot see this project's ``.venv`` or ``helpers/``. Here: what the zip
holds, that the environment made from it sees nothing else, and that every topic's zip loads
there: every module a notebook imports, and the zip's own grader, question declarations and
expected values, from the files otter copies next to the submission. The four zips declare the
same environment and ship the same helpers and grader (checked here); they differ only in their
topic's tests, declarations and expected values, which otter's own tests grade for every corpus
case, in process, from the same zip (``tests/test_otter_grading.py``). So one grading the way
Gradescope grades (a fresh kernel, Spark session and data load, about 45 s) proves the rest, and
it is run once, there, on one topic: a corpus case that loses marks on some questions and keeps
them on the others, which proves more than the reference's full marks would.

Not run here: the ``apt-get`` step of the zip's ``setup.sh`` (which installs Java on
Gradescope's Ubuntu image) and conda: Java is this machine's (``java -version`` is checked), and
the environment is a venv of the Python version the zip's ``environment.yml`` names, with its pip
requirements from the package registry. ``otter grade`` (Docker) builds its image from the same
zip with the same ``setup.sh``; there is no Docker engine here, so that is not run either.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from fresh_env import notebook_imports
from gradescope_layout import (ROOT, _tool, declared_environment, grading_env, grading_python,
                               upload_zip)

pytestmark = pytest.mark.grading

TOPICS = sorted(p.stem for p in (ROOT / "autograder" / "source").glob("[0-9][0-9]_*.ipynb"))


def _feedback(results) -> str:
    return "\n".join(f"{t['name']}: {t.get('output', '')[:1500]}" for t in results["tests"])


@pytest.fixture(scope="session")
def grading_python_(tmp_path_factory) -> Path:
    """The grading environment every topic's zip declares (the same for all four: one build)."""
    folder = tmp_path_factory.mktemp("zips")
    declared = {topic: declared_environment(upload_zip(topic, folder)) for topic in TOPICS}
    assert len({repr(d) for d in declared.values()}) == 1, f"the zips differ: {declared}"
    return grading_python(folder / f"{TOPICS[0]}-autograder.zip")


def test_java_17_or_newer_is_on_this_machine():
    """What setup.sh's apt-get step provides on Gradescope (that step is not run here)."""
    java = shutil.which("java", path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
    assert java, "no java on the system PATH: sudo apt-get install openjdk-17-jre-headless"
    run = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60,
                         check=False)
    assert run.returncode == 0, run.stderr
    m = re.search(r'version "(\d+)', run.stderr + run.stdout)
    assert m and int(m.group(1)) >= 17, run.stderr


@pytest.mark.parametrize("topic", TOPICS)
def test_upload_zip_holds_what_grading_needs(topic, tmp_path):
    tool = _tool()
    committed = tool.committed_zip(topic)
    built = upload_zip(topic, tmp_path)
    with zipfile.ZipFile(committed) as c, zipfile.ZipFile(built) as z:
        names, committed_names = set(z.namelist()), set(c.namelist())
        assert tool.DATA_MEMBER not in committed_names, "the committed zip must not hold the data"
        assert names == committed_names | {tool.DATA_MEMBER}
        assert all(z.read(n) == c.read(n) for n in committed_names)
        assert z.read(tool.DATA_MEMBER) == tool.locate_data().read_bytes()
        # The helpers package, as the repository has it (stale: run `make assign`).
        package = {p.name: p.read_bytes() for p in (ROOT / "helpers").iterdir()
                   if p.suffix == ".py" or p.name == "log4j2.properties"}
        shipped = {n.removeprefix("files/helpers/"): z.read(n) for n in names
                   if n.startswith("files/helpers/")}
        assert shipped == package
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        setup = z.read("setup.sh").decode()
    java = re.search(r"^apt-get install -y openjdk-(\d+)-jre-headless$", setup, re.MULTILINE)
    assert java and int(java.group(1)) >= 17, f"setup.sh installs no Java 17+:\n{setup}"
    assert java.start() < setup.index("mamba env create"), "Java must come before the env"
    python, requirements = declared_environment(built)
    assert python == "3.11"
    assert {r.split("==")[0].split("[")[0] for r in requirements} >= {
        "otter-grader", "pyspark", "numpy", "matplotlib", "tqdm", "ipykernel"}
    # The same bytes for the same inputs.
    again = upload_zip(topic, tmp_path / "again")
    assert again.read_bytes() == built.read_bytes()


def test_grading_environment_sees_only_what_the_zip_declares(grading_python_, tmp_path):
    """No project .venv, no repository helpers: a package missing from the zip would fail."""
    env = grading_env(grading_python_, tmp_path)
    probe = ("import importlib.util, sys; print(sys.prefix); "
             "print(importlib.util.find_spec('helpers')); "
             "import otter, pyspark, numpy; "
             "print(otter.__file__, pyspark.__file__, numpy.__file__)")
    run = subprocess.run([str(grading_python_), "-c", probe], capture_output=True, text=True,
                         cwd=tmp_path, env=env, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    prefix, helpers, modules = run.stdout.splitlines()
    venv = grading_python_.parent.parent
    assert Path(prefix) == venv and helpers == "None"
    assert all(Path(m).is_relative_to(venv) for m in modules.split())
    assert not any(".venv" in Path(m).parts for m in modules.split())


# Run in the grading environment from the folder otter grades in (the zip's files/ beside the
# submission): every module the notebooks import, every module of the zip's helpers and grader,
# and the grader's declarations and expected values of its topic, all from that folder.
_LOADS = r"""
import importlib, json, pkgutil, sys
topic, modules = sys.argv[1], sys.argv[2:]
import autograder.grader, helpers
for package in (helpers, autograder.grader):  # every module, not only what __init__ imports
    modules += [f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__)
                if m.name != "__main__"]
bad = {}
for m in modules:
    try:
        importlib.import_module(m)
    except Exception as e:
        bad[m] = repr(e)
from autograder.grader import incell
questions = [q.name for q in incell.declarations(topic).QUESTIONS]
hidden = incell.expected(topic, "hidden")
print(json.dumps({"bad": bad, "helpers": helpers.__file__, "incell": incell.__file__,
                  "questions": questions, "hidden": hidden}))
"""


@pytest.mark.parametrize("topic", TOPICS)
def test_every_zip_loads_in_the_grading_environment(grading_python_, topic, tmp_path):
    """What the one Gradescope-layout grading (tests/test_otter_grading.py) does not run for
    the other topics: their zip's files, imported by the grading environment's Python."""
    with zipfile.ZipFile(upload_zip(topic, tmp_path)) as z:
        z.extractall(tmp_path / "unpacked")
    folder = tmp_path / "unpacked" / "files"
    modules = notebook_imports()
    assert {"helpers", "otter", "pyspark", "numpy", "matplotlib.pyplot"} <= set(modules), modules
    run = subprocess.run([str(grading_python_), "-c", _LOADS, topic, *modules], cwd=folder,
                         env=grading_env(grading_python_, tmp_path), capture_output=True,
                         text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    got = json.loads(run.stdout.splitlines()[-1])
    assert got["bad"] == {}, f"not importable where {topic}'s zip grades: {got['bad']}"
    assert Path(got["helpers"]).is_relative_to(folder)
    assert Path(got["incell"]).is_relative_to(folder)
    from autograder.grader.incell import declarations, expected
    assert got["questions"] == [q.name for q in declarations(topic).QUESTIONS]
    assert got["hidden"] == expected(topic, "hidden"), "the zip's expected values are stale"
