"""JupyterLab as ``make lab`` starts it, for tests that drive it from a browser.

:func:`start_lab` runs the real ``make lab PORT=… BROWSER=no NOTEBOOK_DIR=…`` in its own process
group, on a copy of ``notebooks/`` (so the committed student notebooks are never touched), with a
known token and fresh JupyterLab settings and workspaces (a first-time student's view).
:class:`Lab` talks to the server's REST API and stops everything it started.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAKE = ["make", "--no-print-directory", "-C", str(ROOT)]

# Settings a first-time student has, minus the one question that would pop up over the notebook
# ("fetch Jupyter news?") and its network request; everything else stays at its default.
_SETTINGS = {"@jupyterlab/apputils-extension/notification.jupyterlab-settings":
             {"fetchNews": "false", "checkForUpdates": False}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_command(port: int, notebook_dir: Path) -> list[str]:
    """``make lab`` with the port, no browser, and the folder to serve (never ``notebooks/``)."""
    return MAKE + ["lab", f"PORT={port}", "BROWSER=no", f"NOTEBOOK_DIR={notebook_dir}"]


class Lab:
    """A running JupyterLab: its URL and token, a copy of notebooks/, and how to stop it."""

    def __init__(self, proc: subprocess.Popen, port: int, token: str, notebook_dir: Path,
                 log: Path, base_url: str = "/"):
        self.proc, self.port, self.token = proc, port, token
        self.notebook_dir, self.log = notebook_dir, log
        self.url = f"http://127.0.0.1:{port}{base_url.rstrip('/')}"

    def api(self, path: str, method: str = "GET"):
        req = urllib.request.Request(f"{self.url}/api/{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"`make lab` exited with {self.proc.returncode}:\n"
                                   f"{self.log_tail()}")
            try:
                self.api("status")
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.3)
        raise TimeoutError(f"JupyterLab did not answer on {self.url} within {timeout:.0f} s:\n"
                           f"{self.log_tail()}")

    def shutdown_kernel(self, path: str) -> None:
        """Stop the kernel of the notebook at `path` (relative to the notebook folder)."""
        try:
            for session in self.api("sessions"):
                if session["path"] == path:
                    self.api(f"sessions/{session['id']}", method="DELETE")
        except (OSError, urllib.error.URLError):
            pass

    def shutdown_kernels(self) -> None:
        """Stop every kernel (and so its Spark JVM) through the API, as the Running panel does."""
        try:
            for kernel in self.api("kernels"):
                self.api(f"kernels/{kernel['id']}", method="DELETE")
        except (OSError, urllib.error.URLError):
            pass

    def stop(self) -> None:
        self.shutdown_kernels()
        if self.proc.poll() is None:
            # make and jupyter share the process group start_lab gave them; jupyter stops its
            # kernels on SIGTERM too.
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


def start_lab(workdir: Path, env: dict[str, str] | None = None, timeout: float = 900,
              port: int | None = None, base_url: str = "/") -> Lab:
    """Copy notebooks/ into ``workdir`` and start ``make lab`` on it; wait until it answers.

    ``timeout`` is long because ``make lab`` first sets up the environment if requirements changed.
    ``port`` (default: a free one) and ``base_url`` (a hub serves each student's server under
    ``/user/<name>/``) are the server's.
    """
    notebook_dir = workdir / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebook_dir,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", ".OTTER_LOG"))
    jupyter = workdir / "jupyter"
    for rel, value in _SETTINGS.items():
        path = jupyter / "lab-settings" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    # Fail rather than quietly move to another port; run as root (CI containers) if need be.
    server = ({"port_retries": 0, "base_url": base_url}
              | ({"allow_root": True} if os.geteuid() == 0 else {}))
    (jupyter / "config").mkdir(parents=True)
    (jupyter / "config" / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": server}))
    port, token = port or free_port(), os.urandom(16).hex()
    full_env = {
        **os.environ,
        "JUPYTER_TOKEN": token,  # jupyter_server reads it; the Makefile needs no token option
        "JUPYTER_CONFIG_DIR": str(jupyter / "config"),
        "JUPYTER_DATA_DIR": str(jupyter / "data"),  # kernels still found in .venv/share/jupyter
        "JUPYTER_RUNTIME_DIR": str(jupyter / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(jupyter / "lab-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(jupyter / "workspaces"),
        **(env or {}),
    }
    # Not the test process's own Python settings: a student's shell has none of them.
    for var in ("PYTHONPATH", "PYTEST_XDIST_WORKER", "PYTEST_CURRENT_TEST"):
        full_env.pop(var, None)
    log = workdir / "lab.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(lab_command(port, notebook_dir), cwd=ROOT, env=full_env,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    lab = Lab(proc, port, token, notebook_dir, log, base_url)
    try:
        lab.wait_ready(timeout)
    except BaseException:
        lab.stop()
        raise
    return lab


if __name__ == "__main__":  # manual use: python tests/lab.py DIR  (Ctrl+C stops it)
    lab = start_lab(Path(sys.argv[1]))
    print(f"{lab.url}/lab?token={lab.token}", flush=True)
    try:
        lab.proc.wait()
    except KeyboardInterrupt:
        lab.stop()
