"""A student opens each notebook and runs its set-up cells: no error, no log noise.

The masters run top to bottom under nbval in the same tier (``make test-notebooks``). The
notebooks a student works through in a real browser (``tests/test_browser.py``: the same checks
of the set-up's outputs, in JupyterLab) are not run again here.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from test_browser import TOPICS as IN_THE_BROWSER

pytestmark = pytest.mark.notebooks

ROOT = Path(__file__).resolve().parents[1]

TOPICS = [m.stem for m in sorted((ROOT / "autograder" / "source").glob("[0-9][0-9]_*.ipynb"))
          if m.stem not in IN_THE_BROWSER]


@pytest.fixture(scope="module")
def setup_outputs():
    """Each student notebook's cells down to its first exercise, run one notebook after another
    in one kernel, Spark stopped in between (the masters' same cells run in fresh kernels under
    nbval): {topic: their cells' outputs}."""
    cells, owner = [], []
    for topic in TOPICS:
        nb = nbformat.read(ROOT / "notebooks" / f"{topic}.ipynb", as_version=4)
        first_answer = next(i for i, c in enumerate(nb.cells)
                            if "otter_answer_cell" in c.metadata.get("tags", []))
        # Spark stopped after each notebook, so that each set-up starts its own session and
        # says so, as in a fresh kernel
        cells += nb.cells[:first_answer] + [nbformat.v4.new_code_cell("spark.stop()")]
        owner += [topic] * (first_answer + 1)
    nb.cells = cells
    # The otter init cell reads the notebook file for its public tests: run where it lives.
    client = NotebookClient(nb, timeout=900, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(ROOT / "notebooks")}})
    client.execute()
    outputs = {topic: [] for topic in TOPICS}
    for topic, cell in zip(owner, nb.cells):
        if cell.cell_type == "code":
            outputs[topic] += cell.outputs
    return outputs


@pytest.mark.xdist_group("student-setup")
@pytest.mark.parametrize("topic", TOPICS)
def test_student_notebook_setup_cells_run(topic, setup_outputs):
    """A student opens the notebook and runs everything up to the first exercise: no error."""
    errors = [f"{o.ename}: {o.evalue}" for o in setup_outputs[topic] if o.output_type == "error"]
    assert not errors, errors
    text = "\n".join(o.get("text", "") for o in setup_outputs[topic])
    assert "Environment OK" in text and "Spark" in text, text
    assert "WARN" not in text and "[Stage" not in text, f"log noise in the outputs:\n{text}"
