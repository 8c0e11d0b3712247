"""The student's experience in a real browser: JupyterLab from ``make lab``, driven by Chromium.

For each notebook, a headless Chromium (Playwright) opens it in the JupyterLab that ``make lab``
starts (on a copy of notebooks/, with the Spark UI on) and does what a student does: runs the
set-up cells, types a correct answer into the first exercise and a wrong one into a later one,
runs their check cells, and reads the page. Set-up must report the environment and print the
Spark line with a link to the Spark UI, with no JVM log lines or Spark progress noise; the correct
answer's check must pass and the wrong one's failure must name the expected and the actual value.
Then the notebook is saved with Ctrl+S, as the README tells students to hand it in, and the file
on disk must hold what was typed (how such a file grades is the corpus tests' business).

Screenshots go to ``build/screenshots/``. Chromium is the system's (``apt-get install chromium``);
the tests are skipped, saying why, only where it is missing and cannot be installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from corpus import CHECK, answer_cells
from lab import start_lab

pytestmark = [pytest.mark.system, pytest.mark.xdist_group(name="browser")]

ROOT = Path(__file__).resolve().parents[1]
TOPICS = ["01_closed_form", "02_gradient_descent"]
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CELLS_TIMEOUT_MS = 300_000  # one run of cells, on a loaded two-core machine
NOISE = re.compile(r"\bWARN\b|\[Stage \d")

# The wrong answer typed per notebook: (question, code, what its failed check must say).
# The correct one is always the first exercise, from the reference submission.
WRONG = {
    "01_closed_form": (
        "linregClosedForm",
        # corpus case lcf_column: the solution as a (d, 1) column. The outer products are
        # written out, since the journey leaves computeOuterProduct as handed out (the first
        # exercise, the one answered right, is parsePoint).
        "def linregClosedForm(trainData):\n"
        "    XtX = trainData.map(lambda lp: np.outer(lp.features.toArray(), lp.features.toArray()))"
        ".reduce(lambda a, b: a + b)\n"
        "    Xty = trainData.map(lambda lp: lp.label * lp.features.toArray())"
        ".reduce(lambda a, b: a + b)\n"
        "    return np.linalg.solve(XtX, Xty.reshape(-1, 1))\n",
        r"got: .*shape \(3, 1\)[\s\S]*why: expected shape \(3,\), got shape \(3, 1\)"),
    "02_gradient_descent": (
        "calcRMSE",
        # the mean squared error, without the square root
        "def calcRMSE(labelsAndPreds):\n"
        "    return labelsAndPreds.map(lambda lp: squaredError(lp[0], lp[1])).mean()\n",
        r"expected: 1\.63\d*[\s\S]*got: 2\.66\d*"),
}

# --- what the page shows -------------------------------------------------------------------

_CELLS = ".jp-NotebookPanel .jp-Notebook .jp-Cell"
_STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'

# Prompt, output text, links and stderr (where tracebacks show) of every cell.
_CELLS_JS = f"""() => [...document.querySelectorAll('{_CELLS}')].map(c => ({{
    prompt: (c.querySelector('.jp-InputArea-prompt') || {{}}).textContent || '',
    output: [...c.querySelectorAll('.jp-OutputArea-output')].map(o => o.innerText).join('\\n'),
    stderr: [...c.querySelectorAll('{_STDERR}')].map(o => o.innerText).join('\\n'),
    links: [...c.querySelectorAll('.jp-OutputArea-output a[href]')].map(a => a.href),
}}))"""

# True once the kernel is idle, nothing is queued, and every given code cell shows a new
# execution count (or one of them wrote to stderr: a failed cell stops the run).
_DONE_JS = f"""([indices, before]) => {{
    const cells = [...document.querySelectorAll('{_CELLS}')];
    const prompt = i => (cells[i].querySelector('.jp-InputArea-prompt') || {{}}).textContent || '';
    const status = document.querySelector('.jp-Notebook-ExecutionIndicator');
    if (!status || status.getAttribute('data-status') !== 'idle') return false;
    if (cells.some((c, i) => prompt(i).includes('*'))) return false;
    if (indices.some(i => cells[i].querySelector('{_STDERR}'))) return true;
    return indices.every((i, k) => /\\[\\d+\\]/.test(prompt(i)) && prompt(i) !== before[k]);
}}"""

# Scroll the notebook so that `text` in this cell's output shows a third of the way down.
_SCROLL_TO_TEXT_JS = """(cell, text) => {
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
        const at = node.textContent.indexOf(text);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + text.length);
        const box = range.getBoundingClientRect();
        const outer = cell.closest('.jp-WindowedPanel-outer') || cell.parentElement;
        outer.scrollTop += box.top - outer.getBoundingClientRect().top - outer.clientHeight / 3;
        return true;
    }
    return false;
}"""

_LOADED_JS = """(n) => document.querySelectorAll('%s').length === n &&
    (document.querySelector('.jp-Notebook-ExecutionIndicator') || {getAttribute: () => null})
        .getAttribute('data-status') === 'idle'""" % _CELLS


class Student:
    """One notebook open in JupyterLab: reading its cells, running them, typing answers."""

    def __init__(self, page, topic: str, path: Path):
        self.page, self.topic, self.path = page, topic, path
        nb = nbformat.read(path, as_version=4)
        self.n_cells = len(nb.cells)
        self.code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
        self.answers = answer_cells(nb)  # question -> index of its answer cell
        self.checks = {m.group(1): i for i, c in enumerate(nb.cells)
                       if c.cell_type == "code" and (m := CHECK.search(c.source))}
        self.questions = sorted(self.checks, key=self.checks.get)
        self.typed: dict[str, str] = {}
        self.setup: tuple | None = None  # the set-up cells' run, once started

    def cells(self) -> list[dict]:
        return self.page.evaluate(_CELLS_JS)

    def cell(self, index: int):
        return self.page.locator(_CELLS).nth(index)

    def wait_until_loaded(self) -> None:
        # Polled every 250 ms, not on animation frames: the notebook opened first is a
        # background tab by now, where Chromium throttles those (75 s instead of 18 here).
        self.page.wait_for_function(_LOADED_JS, arg=self.n_cells, polling=250,
                                    timeout=CELLS_TIMEOUT_MS)

    def select(self, first: int, last: int) -> None:
        """Select cells first..last in command mode: a click, then a shift-click."""
        self.page.keyboard.press("Escape")
        self.cell(first).locator(".jp-InputArea-prompt").click()
        if last != first:
            self.cell(last).locator(".jp-InputArea-prompt").click(modifiers=["Shift"])

    def start(self, first: int, last: int) -> tuple:
        """Run cells first..last: select them, press Ctrl+Enter. Returns what `wait` needs."""
        indices = [i for i in self.code if first <= i <= last]
        cells = self.cells()
        self.select(first, last)
        self.page.keyboard.press("Control+Enter")
        return first, last, indices, [cells[i]["prompt"] for i in indices], time.monotonic()

    def wait(self, started: tuple) -> list[dict]:
        """Wait until the cells `start` ran are done; fail if one of them failed."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        first, last, indices, before, t0 = started
        try:
            self.page.wait_for_function(_DONE_JS, arg=[indices, before], polling=250,
                                        timeout=CELLS_TIMEOUT_MS)
        except PlaywrightTimeout:
            cells = self.cells()
            shown = "\n".join(f"cell {i} {cells[i]['prompt']} {cells[i]['output'][-300:]}"
                              for i in indices)
            raise AssertionError(f"{self.topic}: cells {first}..{last} not done after "
                                 f"{CELLS_TIMEOUT_MS / 1000:.0f} s:\n{shown}") from None
        print(f"{self.topic}: cells {first}..{last} ran in {time.monotonic() - t0:.1f} s")
        cells = self.cells()
        failed = [f"cell {i}:\n{cells[i]['stderr']}" for i in indices if cells[i]["stderr"]]
        assert not failed, "a cell failed or wrote to stderr:\n" + "\n".join(failed)
        return cells

    def run(self, first: int, last: int) -> list[dict]:
        return self.wait(self.start(first, last))

    def type_answer(self, question: str, code: str) -> None:
        """Replace an answer cell's text in its editor: click into it, select all, type."""
        editor = self.cell(self.answers[question]).locator(".cm-content")
        editor.click()
        self.page.keyboard.press("Control+A")
        # One input event for the whole text, like a paste: key-by-key typing would add the
        # editor's auto-indent and closing brackets on top of the code's own.
        self.page.keyboard.insert_text(code)
        self.page.keyboard.press("Escape")
        shown = editor.inner_text()
        assert _lines(shown) == _lines(code), f"the editor shows\n{shown}\ninstead of\n{code}"
        self.typed[question] = code

    def screenshot(self, index: int, name: str, text: str | None = None) -> None:
        """Screenshot of the page with cell `index` (or the `text` in its output) in view."""
        self.cell(index).scroll_into_view_if_needed()
        if text:
            self.cell(index).evaluate(_SCROLL_TO_TEXT_JS, text)
        self.page.screenshot(path=str(SHOTS / f"{self.topic}-{name}.png"))


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.replace("\u200b", "").splitlines() if line.strip()]


def _assertion_messages(output: str) -> list[str]:
    """The messages of the AssertionErrors a check cell shows (doctest output)."""
    return [m.group(1).strip() for m in re.finditer(
        r"AssertionError: (.*?)(?=\n\s*(?:Trying:|\*{10}|\d+ items? |$))", output, re.S)]


# --- fixtures ------------------------------------------------------------------------------

def _chromium_or_skip() -> Path:
    """/usr/bin/chromium, installed with apt-get if missing and possible; else skip the module."""
    if CHROMIUM.exists():
        return CHROMIUM
    if not shutil.which("apt-get"):
        why = "it is not installed, and there is no apt-get to install it with"
    elif os.geteuid() != 0:
        why = "it is not installed, and installing it needs root: sudo apt-get install chromium"
    else:
        run = subprocess.run("apt-get update -qq && apt-get install -y -qq chromium", shell=True,
                             capture_output=True, text=True, timeout=900)
        if CHROMIUM.exists():
            return CHROMIUM
        why = f"apt-get install chromium failed: {(run.stderr or run.stdout).strip()[-300:]}"
    pytest.skip(f"the browser tests need Chromium at {CHROMIUM}; {why}")


@contextmanager
def chromium(profile: Path):
    """Headless Chromium with its own profile folder, as every browser test drives it."""
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
            viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(60_000)
        yield context
        context.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab started by ``make lab`` on a copy of notebooks/, with the Spark UI on."""
    _chromium_or_skip()
    server = start_lab(tmp_path_factory.mktemp("lab"), env={"DISTML_SPARK_UI": "1"})
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(lab, tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


@pytest.fixture(scope="module")
def students(lab, browser):
    """Every notebook open in a tab of its own, its set-up cells started; kernels stopped after.

    The notebooks' set-up runs side by side: most of it is Spark starting and reading data.
    """
    opened = {}
    for topic in TOPICS:
        path = lab.notebook_dir / f"{topic}.ipynb"
        if path.exists():
            page = browser.new_page()
            # A workspace of its own, reset: only this notebook open, as on a fresh start.
            page.goto(f"{lab.url}/lab/workspaces/{topic}/tree/{topic}.ipynb"
                      f"?reset&token={lab.token}")
            opened[topic] = Student(page, topic, path)
    for me in opened.values():
        me.wait_until_loaded()
        me.setup = me.start(0, min(me.answers.values()) - 1)  # down to the first exercise
    yield opened
    for me in opened.values():
        me.page.close()
    lab.shutdown_kernels()


@dataclass
class Journey:
    """What a student saw and handed in, working through one notebook."""

    student: Student
    setup: list[dict]   # the set-up cells, as the page shows them once they ran
    right: str          # the check cell's output after the correct answer
    wrong: str          # the check cell's output after the wrong answer
    later: list[dict]   # every cell run after the set-up
    saved: nbformat.NotebookNode  # the file on disk after Ctrl+S


def work_through(me: Student, lab) -> Journey:
    """Do what a student does: set-up, a correct and a wrong answer with their checks, Ctrl+S."""
    q_right = me.questions[0]
    q_wrong, wrong_code, _ = WRONG[me.topic]
    first_answer = min(me.answers.values())

    me.page.bring_to_front()  # the student switches to this notebook's tab
    cells = me.wait(me.setup)
    setup = [cells[i] for i in me.code if i < first_answer]
    me.screenshot(next((i for i in me.code if "Spark UI" in cells[i]["output"]), 0), "1-setup")

    reference = nbformat.read(ROOT / "autograder" / "samples" / me.topic / "reference.ipynb",
                              as_version=4)
    me.type_answer(q_right, reference.cells[me.answers[q_right]].source)
    cells = me.run(me.answers[q_right], me.checks[q_right])
    right = cells[me.checks[q_right]]["output"]
    me.screenshot(me.checks[q_right], "2-correct-answer")
    later = cells[first_answer:me.checks[q_right] + 1]

    me.type_answer(q_wrong, wrong_code)
    cells = me.run(me.checks[q_right] + 1, me.checks[q_wrong])
    wrong = cells[me.checks[q_wrong]]["output"]
    me.screenshot(me.checks[q_wrong], "3-wrong-answer", text="AssertionError: ")
    later += cells[me.checks[q_right] + 1:me.checks[q_wrong] + 1]

    before = me.path.stat().st_mtime_ns
    me.select(me.answers[q_right], me.answers[q_right])
    me.page.keyboard.press("Control+S")  # README: "save, and hand in the .ipynb file itself"
    me.page.wait_for_function(
        "() => !document.querySelector('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty')",
        polling=250)
    deadline = time.monotonic() + 30
    while me.path.stat().st_mtime_ns == before and time.monotonic() < deadline:
        time.sleep(0.1)
    while True:  # the server may still be writing the file (seen empty once on a busy machine)
        try:
            saved = nbformat.read(me.path, as_version=4)
            break
        except nbformat.reader.NotJSONError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.2)
    lab.shutdown_kernel(me.path.name)  # done with this notebook: its Spark makes room
    return Journey(me, setup, right, wrong, later, saved)


@pytest.fixture(scope="module")
def journeys(students, lab):
    """topic -> its Journey, worked through on first use, whichever test asks first.

    Every test reads a journey's record and none relies on another test having run, so any
    order, ``-k`` or a single test works. A journey that failed fails every test of its topic.
    """
    done: dict = {}

    def journey(topic):
        if topic not in done:
            try:
                done[topic] = work_through(students[topic], lab)
            except Exception as failure:  # noqa: BLE001 - re-raised for each of its tests
                done[topic] = failure
        if isinstance(done[topic], Exception):
            raise done[topic]
        return done[topic]
    return journey


@pytest.fixture(params=TOPICS)
def journey(request, students, journeys) -> Journey:
    if request.param not in students:
        pytest.skip(f"notebooks/{request.param}.ipynb does not exist yet ('make assign' builds "
                    f"it from autograder/source/{request.param}.ipynb)")
    return journeys(request.param)


# --- tests ---------------------------------------------------------------------------------

def test_setup_reports_the_environment_and_links_the_spark_ui(journey):
    text = "\n".join(c["output"] for c in journey.setup)
    assert "Environment OK" in text, f"the first cell does not report the environment:\n{text}"
    spark = re.search(r"Spark \d+\.\d+\.\d+ on \S+: \d+ partitions by default.*", text)
    assert spark, f"no Spark line from helpers.get_spark in the set-up outputs:\n{text}"
    ui = re.search(r"Spark UI at (http://\S+)", spark.group(0))
    assert ui, f"the Spark UI is on, but the Spark line has no address: {spark.group(0)}"
    links = [link.rstrip("/") for c in journey.setup for link in c["links"]]
    assert ui.group(1).rstrip("/") in links, f"the Spark UI address is not a link: {links}"


def test_no_log_or_progress_noise_in_any_output(journey):
    text = "\n".join(c["output"] for c in journey.setup + journey.later)
    assert not NOISE.search(text), f"JVM log or Spark progress noise in the outputs:\n{text}"


def test_check_of_a_correct_answer_passes(journey):
    q_right = journey.student.questions[0]
    assert re.search(rf"{q_right}\W+passed|All test cases passed", journey.right), \
        f"the check of a correct {q_right} does not say it passed:\n{journey.right}"


def test_check_of_a_wrong_answer_names_the_expected_and_the_actual_value(journey):
    q_wrong, _, wrong_says = WRONG[journey.student.topic]
    failed = journey.wrong
    assert "failed" in failed.lower() and not re.search(rf"{q_wrong}\W+passed", failed), \
        f"the check of a wrong {q_wrong} does not say it failed:\n{failed}"
    messages = _assertion_messages(failed)
    assert any(re.search(wrong_says, m) for m in messages), (
        f"no failure message naming the expected and the actual value ({wrong_says!r}) "
        f"in:\n{messages}")


def test_ctrl_s_saves_the_typed_answers(journey):
    me = journey.student
    assert len(me.typed) == 2
    for question, code in me.typed.items():
        assert _lines(journey.saved.cells[me.answers[question]].source) == _lines(code), \
            f"the saved notebook does not hold the answer typed for {question}"
