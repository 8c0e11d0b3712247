"""A Spark standalone cluster on this machine, from the installed pyspark (``make cluster-up``).

One master on ``spark://127.0.0.1:7077`` (web UI on 8080) and two workers, each its own JVM with
its own executor, all bound to 127.0.0.1. Sized for 2 cores and 24 GiB: one core and 3 GiB per
worker. ``down`` stops exactly the processes ``up`` started (their process ids are kept in
``build/cluster/``) and leaves nothing running. Both are idempotent.

Usage: ``python tools/cluster.py up|down|status``; settings from the environment:
``DISTML_CLUSTER_PORT`` (7077), ``DISTML_CLUSTER_UI_PORT`` (8080), ``DISTML_CLUSTER_WORKERS`` (2),
``DISTML_WORKER_MEMORY`` (3g).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATE = ROOT / "build" / "cluster"
HOST = "127.0.0.1"
PORT = int(os.environ.get("DISTML_CLUSTER_PORT", "7077"))
UI_PORT = int(os.environ.get("DISTML_CLUSTER_UI_PORT", "8080"))
WORKERS = int(os.environ.get("DISTML_CLUSTER_WORKERS", "2"))
WORKER_MEMORY = os.environ.get("DISTML_WORKER_MEMORY", "3g")
MASTER_URL = f"spark://{HOST}:{PORT}"


def _spark_class() -> Path:
    import pyspark
    return Path(pyspark.__file__).parent / "bin" / "spark-class"


def _env() -> dict:
    env = dict(os.environ, SPARK_LOCAL_IP=HOST, SPARK_NO_DAEMONIZE="1",
               SPARK_LOG_DIR=str(STATE), PYSPARK_PYTHON=os.environ.get("PYSPARK_PYTHON", sys.executable))
    env.setdefault("SPARK_DAEMON_MEMORY", "512m")
    return env


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped) is not alive.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return True


def _pids() -> dict[str, int]:
    found = {}
    for f in sorted(STATE.glob("*.pid")) if STATE.exists() else []:
        try:
            found[f.stem] = int(f.read_text())
        except ValueError:
            f.unlink()
    return found


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def _start(name: str, args: list[str]) -> None:
    log = open(STATE / f"{name}.log", "ab")
    proc = subprocess.Popen([str(_spark_class()), *args], stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, env=_env(), cwd=STATE,
                            start_new_session=True)  # its own process group: down kills it all
    (STATE / f"{name}.pid").write_text(str(proc.pid))


def master_state(timeout: float = 2.0) -> dict | None:
    """The master's JSON status (workers, applications), or None if it does not answer."""
    try:
        with urllib.request.urlopen(f"http://{HOST}:{UI_PORT}/json/", timeout=timeout) as r:
            return json.load(r)
    except OSError:
        return None


def alive_workers() -> int:
    state = master_state()
    return sum(w.get("state") == "ALIVE" for w in state.get("workers", [])) if state else 0


def up(timeout: float = 120.0) -> None:
    running = {name: pid for name, pid in _pids().items() if _alive(pid)}
    if running and alive_workers() >= WORKERS:
        print(f"cluster already up: {MASTER_URL} (web UI http://{HOST}:{UI_PORT})")
        return
    if running:  # half up: start again from nothing
        down(quiet=True)
    for port in (PORT, UI_PORT):
        if not _port_free(port):
            sys.exit(f"error: port {port} on {HOST} is taken by another program; stop it or set "
                     f"DISTML_CLUSTER_PORT / DISTML_CLUSTER_UI_PORT to free ports.")
    STATE.mkdir(parents=True, exist_ok=True)
    _start("master", ["org.apache.spark.deploy.master.Master", "--host", HOST, "--port",
                      str(PORT), "--webui-port", str(UI_PORT)])
    for i in range(1, WORKERS + 1):
        work = STATE / f"worker{i}"
        work.mkdir(exist_ok=True)
        _start(f"worker{i}", ["org.apache.spark.deploy.worker.Worker", MASTER_URL, "--host", HOST,
                              "--cores", "1", "--memory", WORKER_MEMORY, "--webui-port",
                              str(UI_PORT + i), "--work-dir", str(work)])
    deadline = time.monotonic() + timeout
    while alive_workers() < WORKERS:
        dead = [n for n, pid in _pids().items() if not _alive(pid)]
        if dead or time.monotonic() > deadline:
            down(quiet=True)
            why = f"{', '.join(dead)} exited" if dead else f"not ready after {timeout:.0f} s"
            sys.exit(f"error: the cluster did not come up ({why}); see the logs in {STATE}")
        time.sleep(1)
    print(f"cluster up: {MASTER_URL} with {WORKERS} workers (web UI http://{HOST}:{UI_PORT})")
    print(f"use it: export DISTML_SPARK_MASTER={MASTER_URL}")


def down(quiet: bool = False) -> None:
    pids = _pids()
    for name, pid in pids.items():
        if _alive(pid):
            try:
                os.killpg(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + 20
    for name, pid in pids.items():
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(pid):
            os.killpg(pid, signal.SIGKILL)
        (STATE / f"{name}.pid").unlink(missing_ok=True)
    if not quiet:
        print("cluster down" if pids else "cluster was not running")


def status() -> None:
    n = alive_workers()
    print(f"{MASTER_URL}: {n} workers alive" if master_state() else "cluster is not running")


if __name__ == "__main__":
    commands = {"up": up, "down": down, "status": status}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit("usage: python tools/cluster.py up|down|status")
    commands[sys.argv[1]]()
