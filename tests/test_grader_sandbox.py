"""Unit tests of the pure parts of the grader's sandbox (``autograder/grader/sandbox.py``).

``parse_size`` (``--memory``), ``Ended.describe`` (how a kernel's end reads in a row),
``_Capped`` (the bounded copy of a submission's output) and ``Config``. Nothing here starts a
process, creates a cgroup or calls bubblewrap: ``Config`` gets a stand-in for ``Cgroups``.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from autograder.grader.sandbox import Config, Ended, _Capped, parse_size  # noqa: E402

pytestmark = pytest.mark.quick


# --- parse_size ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, size", [
    ("3G", 3 * 2**30), ("512M", 512 * 2**20), ("64K", 65536), ("1T", 2**40),
    ("2g", 2 * 2**30), ("2GB", 2 * 2**30), ("2GiB", 2 * 2**30), ("2gib", 2 * 2**30),
    ("1.5G", 1610612736), ("0.5K", 512), (" 256M ", 256 * 2**20), ("1000", 1000),
    ("100B", 100), ("0", 0), (1024, 1024), (0, 0),
])
def test_parse_size(text, size):
    assert parse_size(text) == size
    assert type(parse_size(text)) is int


@pytest.mark.parametrize("text", ["", "G", "abc", "1.5", "2X", "two G", "1e3", "G2", "-1G", -5])
def test_parse_size_refuses_what_is_not_a_size(text):
    with pytest.raises(ValueError):
        parse_size(text)


# --- Ended.describe ------------------------------------------------------------------------------
def ended(returncode, oom=False, pids=False):
    return Ended(returncode=returncode, oom=oom, pids_exhausted=pids, stdout="", stderr="",
                 forged=0)


@pytest.mark.parametrize("returncode, oom, pids, text", [
    (0, False, False, "the kernel exited with status 0"),
    (70, False, False, "the kernel exited with status 70"),
    (1, False, True, "the kernel exited with status 1 after reaching the process limit"),
    (None, False, False, "the kernel did not end"),
    (-9, False, False, "the kernel was killed by SIGKILL"),
    (-11, False, False, "the kernel was killed by SIGSEGV (segmentation fault)"),
    (-6, False, True, "the kernel was killed by SIGABRT; the process limit was reached"),
    # bubblewrap passes a signal on as 128 + its number
    (137, False, False, "the kernel was killed by SIGKILL"),
    (139, False, False, "the kernel was killed by SIGSEGV (segmentation fault)"),
    (128, False, False, "the kernel exited with status 128"),
    (-200, False, False, "the kernel was killed by signal 200"),
    # the memory limit explains everything else
    (-9, True, True, "the memory limit was reached and the kernel was killed"),
    (None, True, False, "the memory limit was reached and the kernel was killed"),
])
def test_ended_describe(returncode, oom, pids, text):
    assert ended(returncode, oom, pids).describe() == text


# --- _Capped -------------------------------------------------------------------------------------
def test_capped_keeps_everything_under_the_cap():
    c = _Capped(10)
    c.feed(b"hello ")
    c.feed(b"you")
    assert (bytes(c.data), c.total, c.text()) == (b"hello you", 9, "hello you")


def test_capped_keeps_the_first_bytes_and_counts_the_rest():
    c = _Capped(10)
    c.feed(b"hello ")
    c.feed(b"world, and more")
    c.feed(b"x" * 2000)
    assert bytes(c.data) == b"hello worl" and c.total == 2021
    assert c.text() == "hello worl\n[... 2,011 more bytes of output not kept]"


def test_capped_exactly_full_has_no_note():
    c = _Capped(4)
    c.feed(b"abcd")
    c.feed(b"")
    assert c.text() == "abcd"


def test_capped_text_survives_a_character_cut_in_two():
    c = _Capped(3)
    c.feed("abé!".encode())  # é is two bytes: the cap cuts it
    assert c.text() == "ab\ufffd\n[... 2 more bytes of output not kept]"
    c = _Capped(100)
    c.feed(b"\xff\xfeok")
    assert c.text() == "\ufffd\ufffdok"


# --- Config --------------------------------------------------------------------------------------
def config(mode, usable, memory=2 * 2**30, pids=512):
    return Config(mode=mode, memory=memory, pids=pids, tmp_size=512 * 2**20,
                  driver_memory="1g", cgroups=SimpleNamespace(usable=usable), uid_base=None)


def test_config_describe():
    seccomp = ", seccomp" if platform.machine() == "x86_64" else ""
    assert config("bwrap", True).describe() == \
        f"sandbox bwrap{seccomp}, 2048 MiB and 512 processes per submission (cgroups)"
    assert config("none", False, memory=parse_size("1.5G"), pids=64).describe() == \
        "sandbox none, 1536 MiB and 64 processes per submission (rlimits)"


def test_config_isolated_only_with_bubblewrap():
    assert config("bwrap", False).isolated is True
    assert config("none", True).isolated is False
    assert config("auto", True).isolated is False


def test_config_defaults_are_not_shared():
    a, b = config("none", False), config("none", False)
    a.warnings.append("x")
    a.binds.append(Path("/x"))
    assert (b.warnings, b.binds, b.data_dir) == ([], [], None)
