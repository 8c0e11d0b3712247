"""A student opens each notebook and runs its set-up cells: no error, no log noise.

The masters run top to bottom under nbval in the same tier (``make test-notebooks``).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.notebooks

ROOT = Path(__file__).resolve().parents[1]
TOPICS = [m.stem for m in sorted((ROOT / "autograder" / "source").glob("[0-9][0-9]_*.ipynb"))]


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
