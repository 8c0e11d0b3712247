"""The hub/Binder recipe (binder/) does what repo2docker would do with it, as far as this machine
allows: repo2docker itself needs Docker, which is not here.

What repo2docker runs is run here, in a fresh virtual environment standing in for the image's
Python (cached per binder/requirements.txt, requirements.txt and constraints.txt, see
``tests/fresh_env.py``): ``pip install -r binder/requirements.txt``, then ``binder/postBuild`` from a
clone of the repository, then ``binder/start`` before a command, as it starts every student's
server. Not run here: ``apt.txt`` (Java is this machine's; its package name is checked), the
conda Python that ``runtime.txt`` asks for, and the download of the UCI archive (no internet:
``DISTML_DATA_DIR`` at build time hands postBuild the shared data file instead).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time

import pytest

from fresh_env import ROOT, cached_env, clean_env, pip, record, repo_copy

# One worker: postBuild writes into the one cached environment.
pytestmark = [pytest.mark.grading, pytest.mark.xdist_group(name="binder")]

BINDER = ROOT / "binder"


def test_apt_txt_installs_a_java_17_or_newer_runtime():
    packages = [line.split("#")[0].strip() for line in (BINDER / "apt.txt").read_text().splitlines()]
    javas = [int(m.group(1)) for p in packages if (m := re.fullmatch(r"openjdk-(\d+)-jre(-headless)?", p))]
    assert javas and max(javas) >= 17, f"apt.txt installs no Java 17+ runtime: {packages}"
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    """``(python, clone, environ, postBuild's run)``: the environment after postBuild ran in it."""
    workdir = tmp_path_factory.mktemp("binder")
    clone = repo_copy(workdir / "clone")
    start = time.perf_counter()
    python, built = cached_env(
        "binder", [BINDER / "requirements.txt", ROOT / "requirements.txt", ROOT / "constraints.txt"],
        lambda py: pip(py, "-r", str(clone / "binder" / "requirements.txt")))
    record("binder env ready", built=built, seconds=round(time.perf_counter() - start, 1))
    data = os.environ.get("DISTML_DATA_DIR") or str(ROOT / "data" / "cache")
    environ = clean_env(python, workdir / "home", PYTHONHASHSEED="0",
                        JAVA_HOME=os.environ.get("JAVA_HOME", ""))
    start = time.perf_counter()
    run = subprocess.run(["bash", str(clone / "binder" / "postBuild")], cwd=clone,
                         env=environ | {"DISTML_DATA_DIR": data}, capture_output=True, text=True,
                         timeout=1800, check=False)
    record("binder postBuild", env_built=built, seconds=round(time.perf_counter() - start, 1))
    assert run.returncode == 0, f"postBuild failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return python, clone, environ, run


def test_postbuild_prepares_data_class_archive_and_proxy(image):
    python, clone, environ, run = image
    prefix = python.parent.parent
    data = prefix / "share" / "distml" / "data" / "millionsong.txt"
    assert data.is_file(), f"postBuild left no data file in {data.parent}:\n{run.stdout}"
    assert not list(data.parent.glob("*.zip")), "the 211 MB archive stayed in the image"
    assert list((prefix / "share" / "distml").glob("spark-*.jsa")), \
        f"postBuild recorded no JVM class archive:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}"
    assert re.search(r"jupyter_server_proxy.*enabled", run.stdout + run.stderr), \
        "jupyter-server-proxy is not an enabled server extension"


def test_start_gives_every_student_the_shared_data_and_the_installed_package(image, tmp_path):
    python, clone, environ, _ = image
    probe = ("import json, os, helpers, otter, pyspark\n"
             "print(json.dumps({'data_dir': os.environ.get('DISTML_DATA_DIR'),\n"
             "                  'file': str(helpers.locate_millionsong(download=False)),\n"
             "                  'helpers': helpers.__file__}))")
    # A student's server starts through `start`, in the student's folder, with no data setting.
    run = subprocess.run([str(clone / "binder" / "start"), "python", "-c", probe], cwd=tmp_path,
                         env=environ, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.splitlines()[-1])
    shared = python.parent.parent / "share" / "distml" / "data"
    assert seen["data_dir"] == str(shared) and seen["file"] == str(shared / "millionsong.txt"), seen
    assert seen["helpers"].startswith(str(python.parent.parent)), \
        f"helpers imported from {seen['helpers']}, not from the image's environment"
