"""Progress under a running cell: bars for long loops, and Spark's jobs as they run.

:func:`progress` wraps a Python loop (sweeps, training loops) in a bar that renders in JupyterLab
and in terminals. :func:`watch_spark_jobs` (which :func:`helpers.get_spark` turns on in a Jupyter
kernel) shows, under the cell that is running, each Spark job it starts: its stages and how many
of their tasks are done and running, updated twice a second from Spark's status tracker, and a
one-line summary when the cell ends. Cells whose Spark work ends within a second show nothing.
(sparkmonitor, the JupyterLab extension that does this, needs a JupyterLab extension, a kernel
extension and a JVM listener jar on the driver's class path, whose Spark 4 build is recent and
was not tried here with Spark 4.3; this needs none of them.)
"""

from __future__ import annotations

import contextvars
import html
import os
import threading
import time

__all__ = ["progress", "watch_spark_jobs"]


def progress(iterable, desc: str = "", total: int | None = None, **kwargs):
    """Wrap ``iterable`` in a progress bar (a widget in JupyterLab, text elsewhere).

    >>> list(progress(range(3), disable=True))
    [0, 1, 2]
    """
    from tqdm.auto import tqdm

    kwargs.setdefault("leave", False)  # a finished sweep leaves its results, not its bar
    return tqdm(iterable, desc=desc, total=total, **kwargs)


def _stage_rows(stages) -> list[tuple[int, str, int, int, int, int]]:
    """``(stage id, name, tasks, done, running, failed)`` of SparkStageInfo-like records."""
    return [(s.stageId, s.name, s.numTasks, s.numCompletedTasks, s.numActiveTasks,
             s.numFailedTasks) for s in stages]


def render(jobs: dict[int, list], elapsed: float, running: bool) -> dict[str, str]:
    """The display of ``{job id: [stage rows]}``: HTML for JupyterLab, text for everything else.

    >>> out = render({3: [(5, "count at x.py:1", 8, 3, 2, 0)]}, 4.2, True)
    >>> print(out["text/plain"])
    Spark, 4.2 s: job 3, stage 5 (count at x.py:1): 3/8 tasks done, 2 running
    >>> print(render({3: [(5, "count at x.py:1", 8, 8, 0, 0)]}, 6.0, False)["text/plain"])
    Spark: 1 job, 8 tasks in 6.0 s (jobs 3-3)
    """
    if not running:
        tasks = sum(row[3] for rows in jobs.values() for row in rows)
        first, last = min(jobs), max(jobs)
        text = (f"Spark: {len(jobs)} job{'s' * (len(jobs) != 1)}, {tasks} tasks in "
                f"{elapsed:.1f} s (jobs {first}-{last})")
        return {"text/plain": text,
                "text/html": f'<div class="distml-spark-progress">{html.escape(text)}</div>'}
    lines, rows_html = [], []
    for job, rows in sorted(jobs.items()):
        for stage, name, total, done, active, failed in rows:
            extra = f", {failed} failed" if failed else ""
            lines.append(f"job {job}, stage {stage} ({name}): {done}/{total} tasks done, "
                         f"{active} running{extra}")
            rows_html.append(
                f"<tr><td>job {job}</td><td>stage {stage}</td><td>{html.escape(name)}</td>"
                f'<td><progress value="{done}" max="{max(total, 1)}"></progress></td>'
                f"<td>{done}/{total} done, {active} running{extra}</td></tr>")
    text = f"Spark, {elapsed:.1f} s: " + "; ".join(lines)
    table = (f'<div class="distml-spark-progress"><b>Spark, {elapsed:.1f} s</b>'
             f'<table>{"".join(rows_html)}</table></div>')
    return {"text/plain": text, "text/html": table}


class _Watcher:
    """Polls the status tracker while a cell runs; shows and updates one display under it."""

    def __init__(self, sc, delay: float, interval: float):
        self.sc, self.delay, self.interval = sc, delay, interval
        self._stop: threading.Event | None = None
        self._thread: threading.Thread | None = None

    def pre_run_cell(self, *_):
        self.post_run_cell()
        self._stop = threading.Event()
        # The copied context carries the cell's message header: what the thread displays goes
        # under this cell (ipykernel keeps the parent header in a context variable).
        context = contextvars.copy_context()
        self._thread = threading.Thread(target=context.run, args=(self._watch, self._stop),
                                        name="distml-spark-progress", daemon=True)
        self._thread.start()

    def post_run_cell(self, *_):
        if self._stop is not None:
            self._stop.set()
            self._thread.join(timeout=5)
            self._stop = self._thread = None

    def _snapshot(self, jobs: dict[int, list]) -> bool:
        """Add the active jobs' stages to ``jobs``; True while any job is running."""
        tracker = self.sc.statusTracker()
        active = tracker.getActiveJobsIds()
        for job in list(active) + [j for j in jobs if j not in active]:
            info = tracker.getJobInfo(job)
            if info is None:
                continue
            stages = [s for s in (tracker.getStageInfo(i) for i in info.stageIds) if s]
            if stages:
                jobs[job] = _stage_rows(stages)
        return bool(active)

    def _watch(self, stop: threading.Event) -> None:
        from IPython.display import display

        start, jobs, handle = time.monotonic(), {}, None
        try:
            while not stop.wait(self.interval):
                if self.sc._jsc is None:  # Spark was stopped
                    return
                running = self._snapshot(jobs)
                if running and handle is None and time.monotonic() - start >= self.delay:
                    handle = display(render(jobs, time.monotonic() - start, True), raw=True,
                                     display_id=True)
                elif handle is not None and running:
                    handle.update(render(jobs, time.monotonic() - start, True), raw=True)
            if handle is not None and self.sc._jsc is not None:
                self._snapshot(jobs)
                handle.update(render(jobs, time.monotonic() - start, False), raw=True)
        except Exception:  # noqa: BLE001 - a progress display must never break a cell
            return


_WATCHER: _Watcher | None = None


def watch_spark_jobs(sc, *, delay: float = 1.0, interval: float = 0.5) -> bool:
    """Show Spark's job, stage and task progress under each running cell of this Jupyter kernel.

    Returns False (and does nothing) outside a Jupyter kernel, or when ``$DISTML_SPARK_PROGRESS``
    is ``0``. Calling it again moves the display to the given SparkContext.
    """
    global _WATCHER
    if os.environ.get("DISTML_SPARK_PROGRESS", "1").lower() in {"0", "false", "no", "off"}:
        return False
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):  # a terminal IPython has no cell outputs
        return False
    if _WATCHER is None:
        _WATCHER = _Watcher(sc, delay, interval)
        shell.events.register("pre_run_cell", _WATCHER.pre_run_cell)
        shell.events.register("post_run_cell", _WATCHER.post_run_cell)
    _WATCHER.sc, _WATCHER.delay, _WATCHER.interval = sc, delay, interval
    return True
