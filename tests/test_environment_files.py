"""environment.yml (conda) and requirements.txt (pip) pin the same releases."""

from __future__ import annotations

import re
from pathlib import Path

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


def test_conda_environment_installs_java_and_the_project():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s*-\s*openjdk=17", text, re.MULTILINE), "conda users need openjdk 17"
    assert re.search(r"^\s*-\s*-e \.\.?/?$|^\s*-\s*-e \.", text, re.MULTILINE), \
        "environment.yml must install the project's own package (pip: -e .)"
