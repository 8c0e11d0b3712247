"""A student on a JupyterHub pod, in a real browser: the Spark UI through the notebook server.

JupyterLab (``make lab``, with jupyter-server-proxy from requirements-dev.txt) runs as a hub runs
each student's server: under the base URL ``/user/student/``, on a port chosen now, with the
variables JupyterHub gives the server and its kernels (``JUPYTERHUB_SERVICE_PREFIX``,
``JUPYTERHUB_PUBLIC_URL``). Headless Chromium (as in ``tests/test_browser.py``, whose student
it reuses) opens notebook 01, runs its set-up, follows the Spark UI link the set-up printed,
which must go through the notebook server (``…/user/student/proxy/<port>/jobs/``), and must see
Spark's Jobs page with the jobs the set-up ran, and links that stay under the proxy.
Then a slow Spark job runs in a cell: while it runs, the cell must show its live progress
(``helpers.progress.watch_spark_jobs``: job, stage, tasks done and running), and a summary once
it ends. Screenshots go to ``build/screenshots/`` (``hub-*.png``, ``01_closed_form-hub-*.png``).
"""

from __future__ import annotations

import re

import pytest

from lab import free_port, start_lab
from test_browser import SHOTS, Student, _chromium_or_skip, chromium

pytestmark = [pytest.mark.system, pytest.mark.xdist_group(name="hub-browser")]

TOPIC = "01_closed_form"
BASE = "/user/student/"
# Typed into the first answer cell: 8 tasks of 2 s each, so at most 2 running at once here.
SLOW_JOB = "import time\nsc.parallelize(range(8), 8).map(lambda x: time.sleep(2) or x).count()\n"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """JupyterLab served as a hub serves a student's server, with the Spark UI on."""
    _chromium_or_skip()
    port = free_port()
    public = f"http://127.0.0.1:{port}/"
    env = {"DISTML_SPARK_UI": "1", "JUPYTERHUB_SERVICE_PREFIX": BASE,
           "JUPYTERHUB_PUBLIC_URL": public}
    server = start_lab(tmp_path_factory.mktemp("hub"), env=env, port=port, base_url=BASE)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(hub, tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


@pytest.fixture(scope="module")
def student(hub, browser):
    """Notebook 01 open, its set-up cells run (Spark started, the data loaded)."""
    page = browser.new_page()
    page.goto(f"{hub.url}/lab/workspaces/hub/tree/{TOPIC}.ipynb?reset&token={hub.token}")
    me = Student(page, TOPIC, hub.notebook_dir / f"{TOPIC}.ipynb")
    me.wait_until_loaded()
    me.run(0, min(me.answers.values()) - 1)
    yield me
    page.close()
    hub.shutdown_kernels()


@pytest.fixture(scope="module")
def ui_link(student):
    text = "\n".join(c["output"] for c in student.cells())
    found = re.search(r"Spark UI at (\S+)", text)
    assert found, f"the set-up printed no Spark UI address:\n{text}"
    return found.group(1)


def test_the_printed_spark_ui_link_goes_through_the_notebook_server(hub, student, ui_link):
    assert re.fullmatch(rf"{re.escape(hub.url)}/proxy/\d+/jobs/", ui_link), \
        f"the Spark UI link {ui_link} does not go through {hub.url}/proxy/<port>/"
    links = [link for c in student.cells() for link in c["links"]]
    assert ui_link in links, f"the Spark UI address is not a link: {links}"


def test_the_link_opens_sparks_jobs_page_through_the_proxy(hub, browser, ui_link):
    page = browser.new_page()
    try:
        response = page.goto(ui_link)
        assert response.status == 200, f"{ui_link} answered {response.status}"
        page.wait_for_selector("text=Completed Jobs")
        assert "Spark Jobs" in page.title(), f"not Spark's Jobs page: {page.title()!r}"
        page.screenshot(path=str(SHOTS / "hub-1-spark-jobs-through-jupyterlab.png"), full_page=True)
        # Spark's own links stay under the proxy (spark.ui.proxyBase): follow one.
        prefix = ui_link.removeprefix("http://127.0.0.1:" + str(hub.port)).removesuffix("jobs/")
        stages = page.locator("a.nav-link", has_text="Stages").first
        assert stages.get_attribute("href").startswith(prefix), \
            f"Spark's Stages link {stages.get_attribute('href')} leaves the proxy {prefix}"
        stages.click()
        page.wait_for_selector("text=Completed Stages")
        assert page.url.startswith(ui_link.removesuffix("jobs/")), page.url
        page.screenshot(path=str(SHOTS / "hub-2-spark-stages-through-jupyterlab.png"))
        # The UI's root redirects to the Jobs page, still through the proxy.
        page.goto(ui_link.removesuffix("jobs/"))
        page.wait_for_selector("text=Completed Jobs")
        assert page.url == ui_link, f"the UI's root redirected to {page.url}, not {ui_link}"
    finally:
        page.close()


def test_a_running_job_shows_its_progress_under_the_cell(student):
    me = student
    question = me.questions[0]
    cell = me.answers[question]
    me.type_answer(question, SLOW_JOB)
    started = me.start(cell, cell)
    shown = me.cell(cell).locator(".distml-spark-progress")
    shown.locator("progress").first.wait_for(timeout=120_000)
    during = shown.first.inner_text()
    me.screenshot(cell, "hub-3-live-spark-progress")
    assert re.search(r"job \d+\s+stage \d+\s+.*\s+[0-7]/8 done, \d running", during), \
        f"no live job, stage and task counts under the running cell:\n{during}"
    cells = me.wait(started)
    after = cells[cell]["output"]
    assert re.search(r"Spark: 1 job, 8 tasks in \d+\.\d s", after), \
        f"no summary under the cell once the job ended:\n{after}"
    assert not me.cell(cell).locator(".distml-spark-progress progress").count(), \
        "the progress bars stayed after the job ended"
