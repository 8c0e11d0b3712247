"""Unit tests of how the grader reads assignments and submissions (``grader/assignments.py``).

``parse_notebook`` on a submission's bytes (valid, truncated, not JSON, a JSON list, nbformat 3,
malformed cells...), the trusted layout of a student notebook (``answer_layout``,
``setup_sources``), which assignment a notebook is (``identify``, ``guess_from_name``) and its
answer cells (``read_submission``: by cell id, by the order of the tagged cells without ids,
deleted and renamed cells). The committed ``notebooks/*.ipynb`` and
``autograder/samples/*/reference.ipynb`` are the fixtures: read only, modified copies in memory
or in ``tmp_path``. ``load("01_closed_form")`` imports its probe file (numpy only, no Spark).
"""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from autograder.grader import assignments as asg  # noqa: E402
from autograder.grader.assignments import NotGradable  # noqa: E402

pytestmark = pytest.mark.quick

NAME = "01_closed_form"
STUDENT = ROOT / "notebooks" / f"{NAME}.ipynb"
REFERENCE = ROOT / "autograder" / "samples" / NAME / "reference.ipynb"
# The answer cells of 01_closed_form and their questions (from notebooks/01_closed_form.ipynb).
LAYOUT_01 = [("01-208", "parsePoint"), ("01-217", "prepareSongs"),
             ("01-013", "computeOuterProduct"), ("01-025", "linregClosedForm"),
             ("01-pp-04", "linregClosedFormPartitions")]


@pytest.fixture(scope="module")
def closed_form():
    return asg.load(NAME)


@pytest.fixture
def reference_nb():
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def source(cell) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def cell_by_id(nb, cid):
    return next(c for c in nb["cells"] if c.get("id") == cid)


def code(src, cid=None, tags=None, cell_type="code"):
    cell = {"cell_type": cell_type, "metadata": {"tags": tags} if tags else {}, "source": src}
    if cid:
        cell["id"] = cid
    return cell


def notebook(*cells, **metadata):
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": metadata, "cells": list(cells)}


def to_bytes(nb) -> bytes:
    return json.dumps(nb, indent=1).encode()


# --- parse_notebook ------------------------------------------------------------------------------
def test_parse_a_committed_notebook():
    data = STUDENT.read_bytes()
    assert asg.parse_notebook(data) == json.loads(data)


def test_parse_a_notebook_with_a_byte_order_mark():
    nb = asg.parse_notebook(b"\xef\xbb\xbf" + REFERENCE.read_bytes())
    assert nb["metadata"]["otter"]["assignment_name"] == NAME


@pytest.mark.parametrize("data, message", [
    (b"", "empty file"),
    (b" \n\t ", "empty file"),
    (b"\xff\xfe{}", "not a notebook: not UTF-8 text"),
    (b"[1, 2]", "not a notebook: JSON without cells"),
    (b'{"metadata": {}}', "not a notebook: JSON without cells"),
    (b'"cells"', "not a notebook: JSON without cells"),
    (b"[" * 100_000, "not a notebook: JSON nested too deeply"),
    (b'{"cells": [], "nbformat": "4"}', "nbformat '4': only nbformat 4 notebooks"),
    (b'{"cells": []}', "nbformat None: only nbformat 4 notebooks"),
    (b'{"cells": {}, "nbformat": 4}', "not a notebook: 'cells' is not a list"),
    (b'{"cells": ["x"], "nbformat": 4}', "cell 0 is malformed"),
    (b'{"cells": [{"source": ""}], "nbformat": 4}', "cell 0 is malformed"),
    (b'{"cells": [{"cell_type": "code"}, {"cell_type": 1}], "nbformat": 4}',
     "cell 1 is malformed"),
    (b'{"cells": [{"cell_type": "code", "source": ["a", 2]}], "nbformat": 4}',
     "cell 0 has a malformed source"),
    (b'{"cells": [{"cell_type": "code", "source": null}], "nbformat": 4}',
     "cell 0 has a malformed source"),
])
def test_parse_refuses_what_is_not_a_gradable_notebook(data, message):
    with pytest.raises(NotGradable) as err:
        asg.parse_notebook(data)
    assert str(err.value).startswith(message)


@pytest.mark.parametrize("cut", [
    "half",                                            # wherever half the reference ends
    '{"cells": [{"cell_type": "markdown", "source": ["$\\\\mathbf{X}',  # in a string, after a "}"
    '{"cells": [{"cell_type": "code"}',                # after a "}", where "," or "]" must follow
])
def test_parse_a_truncated_notebook_says_it_ends_early(cut):
    data = REFERENCE.read_bytes()
    data = data[:len(data) // 2] if cut == "half" else cut.encode()
    with pytest.raises(NotGradable) as err:
        asg.parse_notebook(data)
    assert re.fullmatch(r"not valid JSON \(.+ at line \d+ column \d+; the file ends early: "
                        r"truncated\?\)", str(err.value))
    assert " at at " not in str(err.value)  # "Unterminated string starting at" + " at line"


def test_parse_a_broken_but_complete_notebook_does_not_blame_truncation():
    with pytest.raises(NotGradable) as err:
        asg.parse_notebook(b'{"cells": [1 2], "nbformat": 4}')
    assert str(err.value).startswith("not valid JSON (") and "truncated" not in str(err.value)


def test_parse_broken_json_that_is_complete_is_not_called_truncated():
    with pytest.raises(NotGradable) as err:
        asg.parse_notebook(b'{"cells": [], "nbformat": 4,}')
    assert str(err.value) == ("not valid JSON (Expecting property name enclosed in double "
                              "quotes at line 1 column 29)")


def test_parse_text_that_is_not_json():
    with pytest.raises(NotGradable) as err:
        asg.parse_notebook(b"def f():\n    return 1\n")
    assert str(err.value).startswith("not valid JSON (Expecting value at line 1 column 1")


def test_parse_an_nbformat_3_notebook():
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {},
          "worksheets": [{"cells": [{"cell_type": "code", "input": "x = 1"}]}]}
    with pytest.raises(NotGradable) as err:
        asg.parse_notebook(to_bytes(v3))
    assert str(err.value) == ("nbformat 3: only nbformat 4 notebooks (Jupyter 4 and later) can "
                              "be graded; open it in JupyterLab and save it again")


def test_parse_refuses_a_notebook_over_the_size_limit(monkeypatch):
    data = to_bytes(notebook(code("x = 1")))
    assert asg.parse_notebook(data)["cells"][0]["source"] == "x = 1"
    monkeypatch.setattr(asg, "MAX_NOTEBOOK_BYTES", len(data) - 1)
    with pytest.raises(NotGradable) as err:
        asg.parse_notebook(data)
    assert str(err.value) == (f"file is {len(data):,} bytes, more than the {len(data) - 1:,} "
                              "a notebook may have")


# --- the trusted layout --------------------------------------------------------------------------
def test_answer_layout_of_the_committed_student_notebook():
    assert asg.answer_layout(json.loads(STUDENT.read_text())) == LAYOUT_01


def test_answer_layout_rules():
    nb = notebook(
        code("import numpy", "s1"),
        code("", "a1", tags=[asg.ANSWER_TAG]),
        code("", "a2", tags=["other", asg.ANSWER_TAG]),
        code("grader.check( 'q1' )", "k1"),             # both cells before it are q1's
        code("grader.check(\"q0\")", "m1", tags=[asg.ANSWER_TAG], cell_type="markdown"),
        code("x = 1", "b1", tags=[asg.ANSWER_TAG]),
        code(["grader.", "check(\"q2\")"], "k2"),       # a source given as a list of lines
        code("grader.check(\"q3\")", "k3"),              # a check without answer cells
        code("", "c1", tags=[asg.ANSWER_TAG]),           # an answer cell without a check
    )
    assert asg.answer_layout(nb) == [("a1", "q1"), ("a2", "q1"), ("b1", "q2"), ("c1", None)]


def test_setup_sources_are_the_code_cells_before_the_first_answer_cell():
    nb = notebook(
        code("# Initialize Otter", "i"),
        code("# Title", "t", cell_type="markdown"),
        code(["import numpy as np\n", "x = 1"], "s"),
        code("plot()", "p", tags=["otter_ignore"]),
        code("def f(): ...", "a", tags=[asg.ANSWER_TAG]),
        code("after = 1", "z"),
    )
    assert asg.setup_sources(nb) == ["# Initialize Otter", "import numpy as np\nx = 1"]


def test_setup_sources_of_the_committed_student_notebook():
    nb = json.loads(STUDENT.read_text())
    sources = asg.setup_sources(nb)
    expected = [source(cell_by_id(nb, cid)) for cid in ("otter-000", "01-003", "01-004")]
    assert sources == expected  # 01-006 and 01-008 are otter_ignore
    assert sources[0].startswith("# Initialize Otter")


# --- load ----------------------------------------------------------------------------------------
def test_load_closed_form(closed_form):
    a = closed_form
    assert a.name == NAME
    assert (a.probe_path, a.student_path, a.reference_path) == (
        ROOT / "autograder" / "questions" / f"{NAME}.py", STUDENT, REFERENCE)
    assert [q.name for q in a.questions] == ["parsePoint", "prepareSongs", "computeOuterProduct",
                                             "linregClosedForm", "linregClosedFormPartitions"]
    # points as in the probe file: parsePoint [0, 1], prepareSongs [0, 1, 1, 1],
    # computeOuterProduct [0, 1, 1], linregClosedForm [0, 0, 2, 1, 1],
    # linregClosedFormPartitions [0, 0, 1, 1, 2, 1]
    assert [q.points for q in a.questions] == [1, 3, 2, 4, 5] and a.possible == 15
    assert a.answer_cells == LAYOUT_01
    assert a.cells_of("linregClosedForm") == ["01-025"] and a.cells_of("nope") == []
    assert a.question("linregClosedForm").spark is True
    assert (a.setup_mode, a.notebook_timeout) == ("lazy", 900.0)
    assert a.setup_sources == asg.setup_sources(json.loads(STUDENT.read_text()))


def test_fingerprint_is_a_stable_sha256(closed_form):
    fp = closed_form.fingerprint()
    assert re.fullmatch(r"[0-9a-f]{64}", fp)
    assert asg.load(NAME).fingerprint() == fp


def test_load_names_the_missing_file(tmp_path):
    (tmp_path / "autograder" / "questions").mkdir(parents=True)
    (tmp_path / "autograder" / "questions" / "07_x.py").write_text("QUESTIONS = []\n")
    with pytest.raises(FileNotFoundError, match=r"^07_x: notebooks/07_x\.ipynb is missing$"):
        asg.load("07_x", root=tmp_path)


def _tmp_assignment(tmp_path, probe_text):
    (tmp_path / "autograder" / "questions").mkdir(parents=True)
    (tmp_path / "autograder" / "samples" / "07_x").mkdir(parents=True)
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "autograder" / "questions" / "07_x.py").write_text(probe_text)
    nb = notebook(code("", "a1", tags=[asg.ANSWER_TAG]), code("grader.check('q1')", "k1"))
    (tmp_path / "notebooks" / "07_x.ipynb").write_text(json.dumps(nb))
    (tmp_path / "autograder" / "samples" / "07_x" / "reference.ipynb").write_text(json.dumps(nb))


def test_load_refuses_a_question_without_an_answer_cell(tmp_path):
    _tmp_assignment(tmp_path, "from autograder.grader.spec import Question\n"
                              "QUESTIONS = [Question('q1', []), Question('q9', [])]\n")
    with pytest.raises(ValueError, match=r"07_x\.py: question 'q9' has no answer cell in "
                                         r"notebooks/07_x\.ipynb"):
        asg.load("07_x", root=tmp_path)


def test_load_refuses_a_standin_that_is_not_a_question(tmp_path):
    _tmp_assignment(tmp_path, "from autograder.grader.spec import Question\n"
                              "QUESTIONS = [Question('q1', [], standins=['q0'])]\n"
                              "SETUP = 'full'\nNOTEBOOK_TIMEOUT = 60\n")
    with pytest.raises(ValueError, match=r"stand-in 'q0' of q1 is not a question"):
        asg.load("07_x", root=tmp_path)


def test_load_reads_the_probe_options(tmp_path):
    _tmp_assignment(tmp_path, "from autograder.grader.spec import Question\n"
                              "QUESTIONS = [Question('q1', [])]\nSETUP = 'full'\n"
                              "NOTEBOOK_TIMEOUT = 60\n")
    a = asg.load("07_x", root=tmp_path)
    assert (a.setup_mode, a.notebook_timeout, a.answer_cells) == ("full", 60.0, [("a1", "q1")])


# --- identify and guess_from_name ----------------------------------------------------------------
def make(name, cells):
    here = Path(__file__)
    return asg.Assignment(name=name, probe_path=here, student_path=here, reference_path=here,
                          questions=[], setup_sources=[], answer_cells=cells)


KNOWN = {"01_closed_form": make("01_closed_form", LAYOUT_01),
         "02_gradient_descent": make("02_gradient_descent", [("02-011", "squaredError"),
                                                             ("02-023", "calcRMSE")])}


def test_identify_the_committed_reference(reference_nb):
    assert asg.identify(reference_nb, "x.ipynb", KNOWN) is KNOWN[NAME]


def test_identify_forced_wins_over_everything(reference_nb):
    assert asg.identify(reference_nb, NAME, KNOWN, forced="02_gradient_descent") is \
        KNOWN["02_gradient_descent"]


def test_identify_by_otter_metadata_first():
    nb = notebook(code("", "02-011"), otter={"assignment_name": NAME})
    assert asg.identify(nb, "02_gradient_descent.ipynb", KNOWN) is KNOWN[NAME]


def test_identify_by_the_otter_notebook_cell_next():
    nb = notebook(code('import otter\ngrader = otter.Notebook("02_gradient_descent.ipynb")'),
                  code("", "01-013"), otter={"assignment_name": "99_unknown"})
    assert asg.identify(nb, "x.ipynb", KNOWN) is KNOWN["02_gradient_descent"]


def test_identify_by_answer_cell_ids_then():
    nb = notebook(code("", "01-013"), code("", "02-011"), code("", "02-023"),
                  code('grader = otter.Notebook("reference.ipynb")'))
    assert asg.identify(nb, "01_closed_form.ipynb", KNOWN) is KNOWN["02_gradient_descent"]
    nb["cells"] = nb["cells"][:1]
    assert asg.identify(nb, "02_gradient_descent.ipynb", KNOWN) is KNOWN[NAME]


def test_identify_by_file_name_last():
    nb = notebook(code("x = 1", "zz"), otter="not a dict")
    assert asg.identify(nb, "week2/02_gradient_descent-bob.ipynb", KNOWN) is \
        KNOWN["02_gradient_descent"]
    with pytest.raises(NotGradable, match="cannot tell which assignment this notebook is"):
        asg.identify(nb, "bob.ipynb", KNOWN)


def test_identify_with_metadata_that_is_not_a_dict():
    nb = {"nbformat": 4, "metadata": ["odd"], "cells": [code("", "01-025")]}
    assert asg.identify(nb, "x.ipynb", KNOWN) is KNOWN[NAME]


@pytest.mark.parametrize("path, expected", [
    ("01_closed_form/alice.ipynb", NAME),
    ("alice-01_closed_form.ipynb", NAME),
    ("02_gradient_descent_v2 (1).ipynb", "02_gradient_descent"),
    ("alice.ipynb", None),
    ("01_closed_form/02_gradient_descent.ipynb", None),  # two names: no guess
    ("01-closed-form.ipynb", None),
])
def test_guess_from_name(path, expected):
    got = asg.guess_from_name(path, KNOWN)
    assert (got.name if got else None) == expected


# --- read_submission -----------------------------------------------------------------------------
def test_read_the_committed_reference(closed_form, reference_nb):
    sub = asg.read_submission(reference_nb, closed_form)
    assert sub.assignment is closed_form
    assert sub.answers == {cid: source(cell_by_id(reference_nb, cid)) for cid, _ in LAYOUT_01}
    assert sub.answers["01-013"].startswith("def computeOuterProduct(lp):")
    assert (sub.missing, sub.notes) == ({}, [])
    assert asg.reference_answers(closed_form) == sub.answers


def test_read_the_blank_student_notebook(closed_form):
    nb = json.loads(STUDENT.read_text())
    sub = asg.read_submission(nb, closed_form)
    assert list(sub.answers) == ["01-208", "01-217", "01-013", "01-025", "01-pp-04"]
    assert sub.missing == {}
    assert sub.answers["01-013"] == source(cell_by_id(nb, "01-013"))


def test_questions_whose_cells_are_as_handed_out_are_unanswered(closed_form, reference_nb):
    """A blank question scores 0 without a sandbox: its cells are the student notebook's."""
    blank = json.loads(STUDENT.read_text())
    assert asg.read_submission(blank, closed_form).unanswered == [
        "parsePoint", "prepareSongs", "computeOuterProduct", "linregClosedForm",
        "linregClosedFormPartitions"]
    assert asg.read_submission(reference_nb, closed_form).unanswered == []
    half = copy.deepcopy(reference_nb)
    cell_by_id(half, "01-025")["source"] = source(cell_by_id(blank, "01-025"))
    assert asg.read_submission(half, closed_form).unanswered == ["linregClosedForm"]
    # saved again by another JupyterLab (CRLF, a list of lines): still as handed out
    crlf = copy.deepcopy(blank)
    cell = cell_by_id(crlf, "01-013")
    cell["source"] = [line + "\r\n" for line in source(cell).split("\n")]
    assert "computeOuterProduct" in asg.read_submission(crlf, closed_form).unanswered
    # the blank original with a finished pasted copy is answered
    at = blank["cells"].index(cell_by_id(blank, "01-013"))
    blank["cells"].insert(at + 1, code("def computeOuterProduct(lp): return 1", "copy",
                                       tags=[asg.ANSWER_TAG]))
    assert asg.read_submission(blank, closed_form).unanswered == [
        "parsePoint", "prepareSongs", "linregClosedForm", "linregClosedFormPartitions"]


def test_answers_are_matched_by_id_not_by_tag_or_position(closed_form, reference_nb):
    nb = copy.deepcopy(reference_nb)
    first = cell_by_id(nb, "01-013")
    first["metadata"] = {}                     # tag removed: still the answer cell
    first["source"] = "def computeOuterProduct(lp):\n    return 1\n"
    moved = nb["cells"].index(first)
    nb["cells"].insert(0, nb["cells"].pop(moved))  # moved to the top: still found
    sub = asg.read_submission(nb, closed_form)
    assert sub.answers["01-013"] == "def computeOuterProduct(lp):\n    return 1\n"
    assert sub.order == [("01-013", "computeOuterProduct"), ("01-208", "parsePoint"),
                         ("01-217", "prepareSongs"), ("01-025", "linregClosedForm"),
                         ("01-pp-04", "linregClosedFormPartitions")]
    assert sub.missing == {}


def test_a_pasted_copy_runs_after_the_original_in_the_notebooks_order(closed_form, reference_nb):
    """JupyterLab pastes a copy with a new id and the original's tags: what a fresh kernel
    would run is both, in the notebook's order, so the last definition counts."""
    nb = copy.deepcopy(reference_nb)
    at = nb["cells"].index(cell_by_id(nb, "01-013"))
    nb["cells"].insert(at + 1, code("def computeOuterProduct(lp): return 2", "new-1",
                                    tags=[asg.ANSWER_TAG]))
    # a copy pasted at the very end, after every check cell: matched by what it defines
    nb["cells"].append(code("def linregClosedForm(d): return 3", "new-2", tags=[asg.ANSWER_TAG]))
    # a scratch cell (no tag, new id) is not an answer cell, whatever it defines
    nb["cells"].append(code("def computeOuterProduct(lp): return 4", "scratch"))
    sub = asg.read_submission(nb, closed_form)
    assert sub.order[2:] == [("01-013", "computeOuterProduct"), ("01-013~2", "computeOuterProduct"),
                         ("01-025", "linregClosedForm"), ("01-pp-04", "linregClosedFormPartitions"),
                         ("01-025~2", "linregClosedForm")]
    assert sub.answers["01-013~2"] == "def computeOuterProduct(lp): return 2"
    assert sub.answers["01-025~2"] == "def linregClosedForm(d): return 3"
    assert sub.missing == {}
    assert any("pasted copies" in n and "01-013 appears 2 times" in n for n in sub.notes)
    assert asg.base_id("01-013~2") == "01-013"


def test_a_deleted_answer_cell_is_missing(closed_form, reference_nb):
    nb = copy.deepcopy(reference_nb)
    nb["cells"].remove(cell_by_id(nb, "01-025"))
    sub = asg.read_submission(nb, closed_form)
    assert list(sub.answers) == ["01-208", "01-217", "01-013", "01-pp-04"]
    assert sub.missing == {"linregClosedForm": ["01-025"]}


def test_a_renamed_answer_cell_is_missing(closed_form, reference_nb):
    nb = copy.deepcopy(reference_nb)
    cell = cell_by_id(nb, "01-013")
    cell["id"] = "3f2a9c1e"  # copied and pasted back: the tag came along, still the answer
    assert list(asg.read_submission(nb, closed_form).answers) == ["01-208", "01-217", "01-013",
                                                                  "01-025", "01-pp-04"]
    cell["metadata"]["tags"] = []  # a new cell of the student's own: not an answer cell
    sub = asg.read_submission(nb, closed_form)
    assert list(sub.answers) == ["01-208", "01-217", "01-025", "01-pp-04"]
    assert sub.missing == {"computeOuterProduct": ["01-013"]}


def test_an_answer_id_on_a_markdown_cell_does_not_count(closed_form, reference_nb):
    nb = copy.deepcopy(reference_nb)
    cell_by_id(nb, "01-025")["cell_type"] = "markdown"
    assert asg.read_submission(nb, closed_form).missing == {"linregClosedForm": ["01-025"]}


def test_a_duplicated_id_is_a_copy_run_in_order(closed_form, reference_nb):
    nb = copy.deepcopy(reference_nb)
    at = nb["cells"].index(cell_by_id(nb, "01-013"))
    nb["cells"].insert(at + 1, code("second", "01-013"))
    sub = asg.read_submission(nb, closed_form)
    assert sub.answers["01-013"] == source(cell_by_id(reference_nb, "01-013"))
    assert sub.answers["01-013~2"] == "second"
    assert [k for k, _ in sub.order][2:] == ["01-013", "01-013~2", "01-025", "01-pp-04"]


def test_no_answer_cell_at_all_is_not_gradable(closed_form, reference_nb):
    nb = copy.deepcopy(reference_nb)
    nb["cells"] = [c for c in nb["cells"] if c.get("id") not in [cid for cid, _ in LAYOUT_01]]
    with pytest.raises(NotGradable) as err:
        asg.read_submission(nb, closed_form)
    assert str(err.value).startswith("none of the 01_closed_form answer cells (ids 01-208, "
                                     "01-217, 01-013, 01-025, 01-pp-04) is in the notebook")


def without_ids(nb):
    nb["nbformat_minor"] = 4
    for cell in nb["cells"]:
        cell.pop("id", None)  # saved as nbformat 4.4 by an older JupyterLab
    return nb


def test_without_cell_ids_the_tagged_cells_are_matched_by_their_check_cell(closed_form,
                                                                          reference_nb):
    nb = without_ids(copy.deepcopy(reference_nb))
    sub = asg.read_submission(nb, closed_form)
    assert sub.answers == asg.reference_answers(closed_form)
    assert sub.notes == ["cells have no ids (old nbformat): answer cells matched by their tag "
                         "and the check cell after them"]


def test_without_cell_ids_a_pasted_copy_is_graded_not_invalid(closed_form, reference_nb):
    """The issue's case: nbformat 4.4, a copy of an answer cell pasted below it (tag copied),
    once 'invalid', 0/6. The copy runs after the original: its definition counts."""
    nb = without_ids(copy.deepcopy(reference_nb))
    tagged = [i for i, c in enumerate(nb["cells"])
              if asg.ANSWER_TAG in c["metadata"].get("tags", [])]
    at = next(i for i in tagged if "def computeOuterProduct" in source(nb["cells"][i]))
    pasted = copy.deepcopy(nb["cells"][at])
    pasted["source"] = "def computeOuterProduct(lp):\n    return 'try'\n"
    nb["cells"].insert(at + 1, pasted)
    sub = asg.read_submission(nb, closed_form)
    assert [k for k, _ in sub.order][2:] == ["01-013", "01-013~2", "01-025", "01-pp-04"]
    assert sub.answers["01-013~2"].endswith("return 'try'\n")
    assert sub.missing == {}
    # without check cells either (deleted), a tagged cell is matched by the function it defines
    nb["cells"] = [c for c in nb["cells"] if "grader.check(" not in source(c)]
    assert [k for k, _ in asg.read_submission(nb, closed_form).order][2:] == \
        ["01-013", "01-013~2", "01-025", "01-pp-04"]


@pytest.mark.parametrize("minor", [0, 1, 2, 3, 4, 5])
@pytest.mark.parametrize("ids", [True, False])
def test_every_nbformat_4_minor_with_or_without_ids_reads_the_same_answers(closed_form,
                                                                          reference_nb, minor,
                                                                          ids):
    nb = copy.deepcopy(reference_nb)
    nb["nbformat_minor"] = minor
    if not ids:
        for cell in nb["cells"]:
            cell.pop("id", None)
    for cell in nb["cells"]:  # older versions wrote sources as lists of lines
        if minor < 5:
            cell["source"] = source(cell).splitlines(keepends=True)
    sub = asg.read_submission(asg.parse_notebook(to_bytes(nb)), closed_form)
    assert sub.answers == asg.reference_answers(closed_form) and sub.missing == {}


def test_a_tagged_cell_matched_to_nothing_is_not_run_and_said(closed_form, reference_nb):
    nb = copy.deepcopy(reference_nb)
    nb["cells"].append(code("x = 1", "new-3", tags=[asg.ANSWER_TAG]))
    sub = asg.read_submission(nb, closed_form)
    assert [k for k, _ in sub.order] == ["01-208", "01-217", "01-013", "01-025", "01-pp-04"]
    assert sub.notes == ["1 tagged cell not matched to a question: not run"]


def test_answer_cells_are_plain_python_without_crlf_or_bom(closed_form, reference_nb):
    nb = copy.deepcopy(reference_nb)
    cell_by_id(nb, "01-013")["source"] = ["\ufeff%%time\r\n", "def computeOuterProduct(lp):\r\n",
                                          "    return 5\r\n"]
    sub = asg.read_submission(nb, closed_form)
    assert sub.answers["01-013"] == "def computeOuterProduct(lp):\n    return 5\n"


def test_a_modified_copy_round_trips_through_the_file_system(closed_form, reference_nb,
                                                           tmp_path):
    """What the batch does: bytes from a file, parsed, identified, read."""
    nb = copy.deepcopy(reference_nb)
    cell_by_id(nb, "01-025")["source"] = ["def linregClosedForm(trainData):\n", "    pass\n"]
    path = tmp_path / "01_closed_form" / "alice.ipynb"
    path.parent.mkdir()
    path.write_bytes(to_bytes(nb))
    parsed = asg.parse_notebook(path.read_bytes())
    a = asg.identify(parsed, "01_closed_form/alice.ipynb", {NAME: closed_form})
    sub = asg.read_submission(parsed, a)
    assert sub.answers["01-025"] == "def linregClosedForm(trainData):\n    pass\n"
    assert REFERENCE.read_bytes() != path.read_bytes()  # the committed file is untouched


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "autograder" / "questions")
                                        .glob("[0-9][0-9]_*.py")))
def test_every_reference_has_every_answer_cell(name):
    a = asg.load(name)
    sub = asg.read_submission(json.loads(a.reference_path.read_text()), a)
    assert sub.missing == {} and list(sub.answers) == [cid for cid, _ in a.answer_cells]
    assert all(q.name in {q for _, q in a.answer_cells} for q in a.questions)
