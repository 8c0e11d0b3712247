"""Unit tests of the pure parts of ``tools/assign.py`` (``make assign``), without otter.

``masters`` (which master notebooks to build, and the error for an unknown one),
``fill_answers`` (the reference submission: the student notebook with the master's solutions),
``_fix_generated_ids`` (stable ids for the cells otter adds) and ``_rezip`` (a rebuilt zip is
byte-identical whatever the order and dates of the zip otter wrote). ``otter assign`` itself
is not run. The committed ``autograder/dist/01_closed_form/`` notebooks are read as fixtures.
"""

from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.quick


def _import_assign():
    path = ROOT / "tools" / "assign.py"
    spec = importlib.util.spec_from_file_location("distml_tools_assign", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


assign = _import_assign()
ALL = ["01_closed_form", "02_gradient_descent", "03_communication", "04_minibatch"]


# --- masters -------------------------------------------------------------------------------------
def test_masters_all_in_order():
    found = assign.masters()
    assert [p.name for p in found] == [f"{n}.ipynb" for n in ALL]
    assert all(p.parent == ROOT / "autograder" / "source" for p in found)
    assert assign.masters([]) == found


def test_masters_by_name():
    assert [p.stem for p in assign.masters(["03_communication", "01_closed_form"])] == \
        ["01_closed_form", "03_communication"]


def test_masters_unknown_name_exits_with_the_names():
    with pytest.raises(SystemExit) as exit_:
        assign.masters(["01_closed_form", "zz_nope", "05_missing"])
    assert exit_.value.code == ("no master notebook for 05_missing, zz_nope in "
                                "autograder/source/")


def test_masters_does_not_take_a_file_name_for_a_name():
    with pytest.raises(SystemExit):
        assign.masters(["01_closed_form.ipynb"])


# --- fill_answers --------------------------------------------------------------------------------
def cell(source, cid, tags=(), kind=new_code_cell):
    c = kind(source)
    c.id = cid
    if tags:
        c.metadata["tags"] = list(tags)
    return c


def small_pair():
    student = new_notebook(cells=[
        cell('import otter\ngrader = otter.Notebook("07_x.ipynb")', "otter-000"),
        cell("Write `f`.", "07-001", kind=new_markdown_cell),
        cell("def f():\n    ...", "07-002", [assign.ANSWER_TAG]),
        cell('grader.check("f")', "otter-003"),
        cell('print("07_x.ipynb")', "07-004"),
    ])
    autograder = new_notebook(cells=[
        cell("def f():\n    # BEGIN SOLUTION\n    return 42\n    # END SOLUTION\n"
             "# the end", "07-002", [assign.SOLUTION_TAG]),
        cell("def f():\n    return 0", "07-009"),  # same function, not a solution cell
    ])
    return student, autograder


def test_fill_answers_puts_the_solutions_in_the_answer_cells():
    student, autograder = small_pair()
    before = nbformat.writes(student)
    filled = assign.fill_answers(student, autograder, "07_x.ipynb", "reference.ipynb")
    assert [c.source for c in filled.cells] == [
        'import otter\ngrader = otter.Notebook("reference.ipynb")',
        "Write `f`.",
        "def f():\n    return 42\n# the end",
        'grader.check("f")',
        'print("07_x.ipynb")',  # only the otter.Notebook cell names the file
    ]
    assert [c.id for c in filled.cells] == [c.id for c in student.cells]
    assert filled.cells[2].metadata["tags"] == [assign.ANSWER_TAG]
    assert nbformat.writes(student) == before  # the student notebook is not modified


def test_solution_only_drops_the_markers_and_the_skeleton():
    master = ('def f(x):\n    """Doc."""\n    # BEGIN SOLUTION NO PROMPT\n    return 2 * x\n'
              '    # END SOLUTION\n    """ # BEGIN PROMPT\n    # TODO: Replace FILL_IN\n'
              '    return FILL_IN\n    """ # END PROMPT\n# after')
    assert assign.solution_only(master) == 'def f(x):\n    """Doc."""\n    return 2 * x\n# after'


def test_fill_answers_refuses_an_answer_cell_without_a_solution():
    student, autograder = small_pair()
    autograder.cells[0].metadata["tags"] = []  # the solution cell is no longer one
    with pytest.raises(SystemExit) as exit_:
        assign.fill_answers(student, autograder, "07_x.ipynb", "reference.ipynb")
    assert exit_.value.code == "answer cell 07-002 has no solution in the master"


def test_fill_answers_of_the_committed_files_is_the_committed_reference():
    stem = "01_closed_form"
    dist = ROOT / "autograder" / "dist" / stem
    student = nbformat.read(dist / "student" / f"{stem}.ipynb", as_version=4)
    solutions = nbformat.read(dist / "autograder" / f"{stem}.ipynb", as_version=4)
    reference = assign.fill_answers(student, solutions, f"{stem}.ipynb", "reference.ipynb")
    committed = ROOT / "autograder" / "samples" / stem / "reference.ipynb"
    assert nbformat.writes(reference) + "\n" == committed.read_text(encoding="utf-8")
    answers = [c.source for c in reference.cells if assign.ANSWER_TAG in c.metadata.get("tags", [])]
    assert len(answers) == 5 and not any("SOLUTION" in a or "PROMPT" in a for a in answers)


# --- _fix_generated_ids --------------------------------------------------------------------------
def test_fix_generated_ids_numbers_the_cells_otter_added(tmp_path):
    nb = new_notebook(cells=[cell("import otter", "a1b2c3d4"), cell("x", "07-001"),
                             cell("check", "5f6e7d8c"), cell("# md", "07-003",
                                                             kind=new_markdown_cell),
                             cell("y", "07-1234"), cell("z", "7-001"), cell("s", "07-mq-01"),
                             cell("t", "07-mq-1")])
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    assign._fix_generated_ids(path)
    fixed = nbformat.read(path, as_version=4)
    assert [c.id for c in fixed.cells] == ["otter-000", "07-001", "otter-002", "07-003",
                                           "otter-004", "otter-005", "07-mq-01", "otter-007"]
    assert [c.source for c in fixed.cells] == [c.source for c in nb.cells]


def test_fix_generated_ids_of_the_committed_student_notebook_changes_nothing(tmp_path):
    # The committed notebook was written by _fix_generated_ids: its otter cells are numbered.
    source = ROOT / "notebooks" / "01_closed_form.ipynb"
    nb = nbformat.read(source, as_version=4)
    for c in nb.cells:  # as otter writes them: random ids for the cells it adds
        if c.id.startswith("otter-"):
            c.id = "r" + c.id.replace("-", "")
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    assign._fix_generated_ids(path)
    assert path.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")


# --- _rezip --------------------------------------------------------------------------------------
MEMBERS = {"b.txt": b"bee\n" * 100, "a/x.py": b"print('x')\n", "run.sh": b"#!/bin/sh\necho hi\n",
           "empty": b""}
MODES = {"run.sh": 0o100755 << 16}


def write_zip(path, order, date_time, compression):
    with zipfile.ZipFile(path, "w", compression) as z:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.external_attr = MODES.get(name, 0o100644 << 16)
            info.compress_type = compression
            z.writestr(info, MEMBERS[name])


def test_rezip_is_byte_identical_whatever_the_order_dates_and_compression(tmp_path):
    write_zip(tmp_path / "one.zip", ["b.txt", "run.sh", "a/x.py", "empty"],
              (2024, 5, 6, 7, 8, 10), zipfile.ZIP_DEFLATED)
    write_zip(tmp_path / "two.zip", ["empty", "a/x.py", "b.txt", "run.sh"],
              (2025, 1, 2, 3, 4, 6), zipfile.ZIP_STORED)
    assert (tmp_path / "one.zip").read_bytes() != (tmp_path / "two.zip").read_bytes()
    assign._rezip(tmp_path / "one.zip", tmp_path / "one-re.zip")
    assign._rezip(tmp_path / "two.zip", tmp_path / "two-re.zip")
    assign._rezip(tmp_path / "one.zip", tmp_path / "one-again.zip")
    data = (tmp_path / "one-re.zip").read_bytes()
    assert (tmp_path / "two-re.zip").read_bytes() == data
    assert (tmp_path / "one-again.zip").read_bytes() == data


def test_rezip_keeps_contents_and_modes_sorted_with_a_fixed_date(tmp_path):
    write_zip(tmp_path / "in.zip", ["run.sh", "b.txt", "empty", "a/x.py"],
              (2024, 5, 6, 7, 8, 10), zipfile.ZIP_STORED)
    assign._rezip(tmp_path / "in.zip", tmp_path / "out.zip")
    with zipfile.ZipFile(io.BytesIO((tmp_path / "out.zip").read_bytes())) as z:
        infos = z.infolist()
        assert [i.filename for i in infos] == ["a/x.py", "b.txt", "empty", "run.sh"]
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
        assert {i.filename: i.external_attr for i in infos} == {
            n: MODES.get(n, 0o100644 << 16) for n in MEMBERS}
        assert {n: z.read(n) for n in z.namelist()} == MEMBERS
        assert z.testzip() is None
