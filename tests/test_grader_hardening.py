"""The sandbox's cheap hardening, and what the grader keeps of one submission's messages.

- the seccomp filter (``sandbox.seccomp_program``, given to bubblewrap with ``--seccomp``):
  inside bubblewrap, as an unprivileged uid, a process can no longer make a user (or any other)
  namespace, mount, or ptrace; threads, fork and subprocesses still work. Without the filter
  the same process makes a user namespace (so the comparison shows the filter is what stops it);
- the stand-ins' reference code reaches the sandbox as code without its docstring and its
  source text is gone once compiled (``harness._standins``);
- the bound on messages: a result is cut at ``harness._MAX_ELEMENTS`` numbers (the largest right
  answer has 81), so any record the honest harness writes fits the grader's ``MAX_LINE``, and
  the grader reads at most ``EVENT_CAP`` bytes of records from one sandbox.

Quick tier: bubblewrap runs a short Python, no Spark.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from autograder.grader import harness, runner, sandbox  # noqa: E402

pytestmark = pytest.mark.quick

PROBE = r"""
import ctypes, errno, os, subprocess, sys, threading
libc = ctypes.CDLL(None, use_errno=True)
def call(name, *args):
    return "ok" if getattr(libc, name)(*args) >= 0 else errno.errorcode[ctypes.get_errno()]
out = {"unshare(CLONE_NEWUSER)": call("unshare", 0x10000000),
       "mount": call("mount", b"none", b"/tmp", b"tmpfs", 0, None)}
t = threading.Thread(target=lambda: None); t.start(); t.join(); out["thread"] = "ok"
out["subprocess"] = "ok" if subprocess.run(["true"]).returncode == 0 else "failed"
pid = os.fork()
if pid == 0:
    os._exit(3)
out["fork"] = "ok" if os.waitpid(pid, 0)[1] >> 8 == 3 else "failed"
print(out)
"""


def _in_bwrap(program: bytes | None) -> dict:
    if not shutil.which("bwrap"):
        pytest.skip("bubblewrap (bwrap) is not installed: apt-get install bubblewrap")
    if sandbox.bwrap_works():
        pytest.skip(f"bubblewrap cannot make a sandbox here: {sandbox.bwrap_works()}")
    args = ["bwrap", "--unshare-pid", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev"]
    fds = ()
    if program is not None:
        r, w = os.pipe()
        os.write(w, program)
        os.close(w)
        args += ["--seccomp", str(r)]
        fds = (r,)
    if os.geteuid() == 0:  # as the grader does: an unprivileged uid inside
        args += ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    else:
        args.insert(1, "--unshare-user")
    run = subprocess.run(args + [sys.executable, "-c", PROBE], pass_fds=fds,
                         capture_output=True, text=True, timeout=60)
    for fd in fds:
        os.close(fd)
    assert run.returncode == 0, run.stderr
    return eval(run.stdout)  # noqa: S307 - our own probe's dict


@pytest.mark.skipif(platform.machine() != "x86_64", reason="the filter is written for x86-64")
def test_seccomp_refuses_namespaces_and_mounts_and_allows_threads_fork_and_subprocess():
    out = _in_bwrap(sandbox.seccomp_program())
    assert out == {"unshare(CLONE_NEWUSER)": "EPERM", "mount": "EPERM", "thread": "ok",
                   "subprocess": "ok", "fork": "ok"}


@pytest.mark.skipif(platform.machine() != "x86_64", reason="the filter is written for x86-64")
def test_without_the_filter_a_user_namespace_can_be_made():
    if open("/proc/sys/user/max_user_namespaces").read().strip() == "0":
        pytest.skip("user namespaces are disabled on this kernel: nothing to compare with")
    assert _in_bwrap(None)["unshare(CLONE_NEWUSER)"] == "ok"


def test_no_filter_on_an_architecture_it_was_not_written_for():
    assert sandbox.seccomp_program("aarch64") is None
    assert len(sandbox.seccomp_program("x86_64")) % 8 == 0  # struct sock_filter: 8 bytes


def test_stand_ins_arrive_without_docstring_and_their_source_is_dropped(monkeypatch):
    monkeypatch.setattr(harness, "BASE_NS", {"np": __import__("numpy")})
    sources = {"computeOuterProduct": 'def computeOuterProduct(x):\n'
                                      '    """The d×d outer product."""\n'
                                      '    # a comment\n'
                                      '    return np.outer(x, x)\n'}
    out = harness._standins("q", sources)
    f = out["computeOuterProduct"]
    assert sources == {}  # the text is gone from the message
    assert f.__doc__ is None and f.__code__.co_filename == "<reference>"
    assert "The d×d outer product." not in repr(f.__code__.co_consts)
    assert f([1.0, 2.0]).tolist() == [[1.0, 2.0], [2.0, 4.0]]


def test_the_largest_result_the_harness_writes_fits_one_record(monkeypatch):
    monkeypatch.setattr(harness, "_DenseVector", None)
    monkeypatch.setattr(harness, "_LabeledPoint", None)
    for value in ([1.0 / 3] * 10**6, ["x" * 5000] * 10**5, [[1.0 / 3] * 10**4] * 100):
        out = []
        harness._enc({"ev": "call-end", "value": harness.plain(value)}, out)
        assert len("".join(out)) < runner.MAX_LINE
    assert runner.MAX_LINE * 8 <= sandbox.EVENT_CAP  # room for every call-end of a question
