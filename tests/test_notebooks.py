"""Generated notebooks follow their masters, carry no solutions, and students can start them.

The masters and reference submissions themselves are executed end to end by nbval
(``make test`` passes ``--nbval-lax autograder/source autograder/samples``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
MASTERS = sorted((ROOT / "autograder" / "source").glob("[0-9][0-9]_*.ipynb"))
TOPICS = [m.stem for m in MASTERS]
LEAKS = re.compile(r"BEGIN SOLUTION|END SOLUTION|# SOLUTION|BEGIN TESTS|BEGIN QUESTION|hidden: true")


def test_every_topic_has_every_generated_file():
    assert TOPICS, "no master notebooks in autograder/source"
    for topic in TOPICS:
        for path in (ROOT / "notebooks" / f"{topic}.ipynb",
                     ROOT / "autograder" / "samples" / topic / "reference.ipynb",
                     ROOT / "autograder" / "dist" / topic / "autograder" / f"{topic}-autograder.zip",
                     ROOT / "autograder" / "corpus" / topic):
            assert path.exists(), f"{path.relative_to(ROOT)} missing: run 'make assign'"


def test_generated_files_are_up_to_date(tmp_path):
    """Rebuilding from the masters gives exactly the committed files (run 'make assign')."""
    subprocess.run([sys.executable, str(ROOT / "tools" / "assign.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    stale = []
    for built in sorted(p for p in tmp_path.rglob("*") if p.is_file()):
        committed = ROOT / built.relative_to(tmp_path)
        if not committed.exists() or committed.read_bytes() != built.read_bytes():
            stale.append(str(committed.relative_to(ROOT)))
    assert not stale, f"out of date with their masters (run 'make assign'): {stale}"


@pytest.mark.parametrize("topic", TOPICS)
def test_student_notebook_has_no_solutions_tests_or_outputs(topic):
    nb = json.loads((ROOT / "notebooks" / f"{topic}.ipynb").read_text())
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        assert not LEAKS.search(source), f"solution or test marker in a cell:\n{source}"
        assert cell["cell_type"] != "raw", f"otter raw cell left in:\n{source}"
        if cell["cell_type"] == "code":
            assert not cell["outputs"] and cell["execution_count"] is None, source
    public = json.dumps(nb["metadata"].get("otter", {}))
    assert '"hidden": true' not in public, "hidden tests in the student notebook's metadata"
    answers = [c for c in nb["cells"] if "otter_answer_cell" in c["metadata"].get("tags", [])]
    assert answers and all("..." in "".join(c["source"]) for c in answers)


@pytest.mark.parametrize("topic", TOPICS)
def test_student_notebook_setup_cells_run(topic, tmp_path):
    """A student opens the notebook and runs everything up to the first exercise: no error."""
    nb = nbformat.read(ROOT / "notebooks" / f"{topic}.ipynb", as_version=4)
    first_answer = next(i for i, c in enumerate(nb.cells)
                        if "otter_answer_cell" in c.metadata.get("tags", []))
    nb.cells = nb.cells[:first_answer]
    # The otter init cell reads the notebook file for its public tests: run where it lives.
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT / "notebooks")}})
    client.execute()
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.outputs)
    assert "Environment OK" in text and "Spark" in text
    assert "WARN" not in text and "[Stage" not in text, f"log noise in the outputs:\n{text}"
