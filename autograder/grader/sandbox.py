"""Start the harness in a sandbox, talk to it, and kill everything it started.

With bubblewrap (``bwrap``): new pid, network, ipc, uts and cgroup namespaces (the network
namespace has only its own loopback, so nothing on the host or beyond is reachable); a root file
system holding only the read-only system directories, the Python installation and virtual
environment, the ``helpers`` package, the data folder and ``harness.py``; a private ``/tmp``;
no repository, no submissions, no results, no reference. When run as root the harness drops to an
unprivileged uid of its own (one per parallel slot), which also makes the process limit count.

Limits: a memory cgroup (``memory.limit_in_bytes``; v1 or v2, where writable) or, failing
that, ``RLIMIT_AS``; a pids cgroup and ``RLIMIT_NPROC``; ``RLIMIT_FSIZE``; no core dumps. At the
end the sandbox's init is killed (which kills every process in its pid namespace, detached ones
included) and whatever is left in its cgroups is killed too.

Without bubblewrap (``mode="none"``) the harness runs as a plain process with the same limits
and timeouts, and the grader says loudly that it is not isolated.
"""

from __future__ import annotations

import os
import queue
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.grader.assignments import GRADER_DIR

HARNESS = GRADER_DIR / "harness.py"
OUTPUT_CAP = 32 * 1024          # bytes of a submission's stdout/stderr kept, each
EVENT_CAP = 64 * 1024 * 1024    # total bytes of event records read from one sandbox: with
#                                 MAX_LINE per record, what one submission's messages can cost


def parse_size(text: str | int) -> int:
    """``"3G"`` -> bytes.

    >>> parse_size("3G"), parse_size("512M"), parse_size(1024)
    (3221225472, 536870912, 1024)
    """
    raw = text
    if not isinstance(text, int):
        text = str(text).strip().upper().rstrip("B").rstrip("I")
        units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
        try:
            text = (int(float(text[:-1]) * units[text[-1]]) if text and text[-1] in units
                    else int(text))
        except ValueError:
            raise ValueError(f"not a size: {raw!r} (write e.g. 3G, 512M or a number of bytes)") \
                from None
    if text < 0:
        raise ValueError(f"a size cannot be negative, got {raw!r}")
    return text


# --- cgroups ---------------------------------------------------------------------------------
class Cgroups:
    """Where this process may create child cgroups (v1 memory and pids, or v2), if anywhere."""

    def __init__(self):
        self.memory: Path | None = None
        self.pids: Path | None = None
        self.v2: Path | None = None
        self.problem = ""
        try:
            self._find()
        except OSError as err:
            self.problem = str(err)

    def _find(self):
        lines = Path("/proc/self/cgroup").read_text().splitlines()
        own = {}
        for line in lines:
            _, controllers, path = line.split(":", 2)
            for c in controllers.split(","):
                own[c] = path
        base = Path("/sys/fs/cgroup")
        if (base / "cgroup.controllers").exists():  # unified (v2) hierarchy
            parent = base / own.get("", "/").lstrip("/")
            enabled = (parent / "cgroup.subtree_control").read_text().split()
            if {"memory", "pids"} <= set(enabled) and self._writable(parent):
                self.v2 = parent
            else:
                self.problem = f"cgroup v2 at {parent} does not delegate memory and pids"
            return
        for name in ("memory", "pids"):
            parent = base / name / own.get(name, "/").lstrip("/")
            if parent.is_dir() and self._writable(parent):
                setattr(self, name, parent)
        if not (self.memory and self.pids):
            self.problem = "cgroup v1 memory/pids hierarchies are not writable"

    def clean_stale(self) -> None:
        """Remove the cgroups of grader runs that were killed before they could (pid gone)."""
        for parent in (self.memory, self.pids, self.v2):
            if parent is None:
                continue
            for d in parent.glob("distml-grader-*"):
                try:
                    owner = int(d.name.split("-")[2])
                    os.kill(owner, 0)
                    continue  # that grader is still running
                except (ValueError, IndexError):
                    continue
                except ProcessLookupError:
                    pass
                except PermissionError:
                    continue
                group = Cgroup([d], d, d, parent == self.v2)
                group.kill_all(wait=2)
                group.remove()

    @staticmethod
    def _writable(parent: Path) -> bool:
        probe = parent / f"distml-probe-{os.getpid()}"
        try:
            probe.mkdir()
            probe.rmdir()
            return True
        except OSError:
            return False

    @property
    def usable(self) -> bool:
        return bool(self.v2 or (self.memory and self.pids))


@dataclass
class Cgroup:
    """The cgroup(s) of one sandbox."""

    dirs: list[Path]
    memory_dir: Path | None
    pids_dir: Path | None
    v2: bool

    @classmethod
    def create(cls, groups: Cgroups, name: str, memory: int, pids: int) -> "Cgroup | None":
        if not groups.usable:
            return None
        if groups.v2:
            d = groups.v2 / name
            d.mkdir(exist_ok=True)
            (d / "memory.max").write_text(str(memory))
            try:
                (d / "memory.swap.max").write_text("0")
            except OSError:
                pass
            (d / "pids.max").write_text(str(pids))
            return cls([d], d, d, True)
        mem, pid = groups.memory / name, groups.pids / name
        mem.mkdir(exist_ok=True)
        pid.mkdir(exist_ok=True)
        (mem / "memory.limit_in_bytes").write_text(str(memory))
        try:
            (mem / "memory.memsw.limit_in_bytes").write_text(str(memory))
        except OSError:
            pass
        (pid / "pids.max").write_text(str(pids))
        return cls([mem, pid], mem, pid, False)

    def procs_files(self) -> list[bytes]:
        return [os.fsencode(d / "cgroup.procs") for d in self.dirs]

    def pids_in(self) -> set[int]:
        found = set()
        for d in self.dirs:
            try:
                found |= {int(x) for x in (d / "cgroup.procs").read_text().split()}
            except OSError:
                pass
        return found

    def oom_killed(self) -> bool:
        try:
            if self.v2:
                text = (self.memory_dir / "memory.events").read_text()
                return any(line.split()[0] in ("oom_kill", "oom") and int(line.split()[1]) > 0
                           for line in text.splitlines())
            text = (self.memory_dir / "memory.oom_control").read_text()
            for line in text.splitlines():
                if line.startswith("oom_kill "):
                    return int(line.split()[1]) > 0
            return int((self.memory_dir / "memory.failcnt").read_text()) > 0  # old kernels
        except (OSError, ValueError, IndexError):
            return False

    def peak_memory(self) -> int | None:
        """Most memory the sandbox used, in bytes (None if unknown)."""
        for name in ("memory.max_usage_in_bytes", "memory.peak"):
            try:
                return int((self.memory_dir / name).read_text())
            except (OSError, ValueError, TypeError):
                continue
        return None

    def pids_exhausted(self) -> bool:
        try:
            text = (self.pids_dir / "pids.events").read_text()
            return any(line.startswith("max ") and int(line.split()[1]) > 0
                       for line in text.splitlines())
        except (OSError, ValueError, IndexError):
            return False

    def kill_all(self, wait: float = 5.0) -> None:
        deadline = time.monotonic() + wait
        while True:
            pids = self.pids_in()
            if not pids:
                return
            for p in pids:
                try:
                    os.kill(p, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            if time.monotonic() > deadline:
                return
            time.sleep(0.05)

    def remove(self) -> None:
        for d in self.dirs:
            for _ in range(50):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.1)


# --- seccomp ----------------------------------------------------------------------------------
# A classic BPF program for bwrap's --seccomp (bwrap 0.8 cannot --disable-userns when the grader
# runs as root and drops the uid itself). It refuses, with EPERM, what a grading kernel never
# needs and what widens the attack surface: new user and other namespaces (unshare, setns, clone
# with a CLONE_NEW* flag; clone3, whose flags BPF cannot read, answers ENOSYS so that the C
# library falls back to clone), mounts, ptrace and reading other processes' memory (the JVM's
# counters), keyrings, bpf, perf events, userfaultfd, io_uring, modules, kexec, reboot, swap.
# x86-64 only: on other architectures no filter is installed (the config says so).
_SECCOMP_ARCH = {"x86_64": 0xC000003E}
_DENY_X86_64 = {
    101: "ptrace", 310: "process_vm_readv", 311: "process_vm_writev", 272: "unshare",
    308: "setns", 165: "mount", 166: "umount2", 155: "pivot_root", 428: "open_tree",
    429: "move_mount", 430: "fsopen", 431: "fsconfig", 432: "fsmount", 433: "fspick",
    442: "mount_setattr", 248: "add_key", 249: "request_key", 250: "keyctl", 321: "bpf",
    298: "perf_event_open", 323: "userfaultfd", 425: "io_uring_setup", 426: "io_uring_enter",
    427: "io_uring_register", 175: "init_module", 313: "finit_module", 176: "delete_module",
    246: "kexec_load", 320: "kexec_file_load", 169: "reboot", 167: "swapon", 168: "swapoff",
    163: "acct", 303: "name_to_handle_at", 304: "open_by_handle_at", 103: "syslog",
    172: "iopl", 173: "ioperm",
}
_CLONE_X86_64, _CLONE3_X86_64 = 56, 435
_CLONE_NEW_FLAGS = 0x7E020000  # CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET


def seccomp_program(machine: str | None = None) -> bytes | None:
    """The filter as bytes of ``struct sock_filter`` (None on an architecture it lacks)."""
    import errno
    import platform
    import struct
    machine = machine or platform.machine()
    if machine not in _SECCOMP_ARCH:
        return None
    ld_abs, jeq, jset, jge, ret = 0x20, 0x15, 0x45, 0x35, 0x06
    allow, kill = 0x7FFF0000, 0x00000000
    eperm, enosys = 0x00050000 | errno.EPERM, 0x00050000 | errno.ENOSYS
    deny = sorted(_DENY_X86_64)
    prog = [(ld_abs, 0, 0, 4),                                  # arch
            (jeq, 1, 0, _SECCOMP_ARCH[machine]),
            (ret, 0, 0, kill),                                   # another ABI (i386): kill
            (ld_abs, 0, 0, 0),                                   # syscall number
            (jge, 0, 1, 0x40000000),                             # the x32 ABI: refuse
            (ret, 0, 0, eperm)]
    for k, nr in enumerate(deny):                                # -> the EPERM at the end
        prog.append((jeq, len(deny) - k + 6, 0, nr))
    prog += [(jeq, 0, 3, _CLONE_X86_64),
             (ld_abs, 0, 0, 16),                                 # clone's flags (low 32 bits)
             (jset, 4, 0, _CLONE_NEW_FLAGS),
             (ret, 0, 0, allow),
             (jeq, 0, 1, _CLONE3_X86_64),
             (ret, 0, 0, enosys),
             (ret, 0, 0, allow),
             (ret, 0, 0, eperm)]
    return b"".join(struct.pack("HBBI", *ins) for ins in prog)


# --- configuration -----------------------------------------------------------------------------
@dataclass
class Config:
    mode: str                      # "bwrap" or "none"
    memory: int                    # bytes per sandbox
    pids: int                      # processes + threads per sandbox
    tmp_size: int                  # bytes of the private /tmp (bwrap)
    driver_memory: str             # Spark driver heap inside the sandbox
    cgroups: Cgroups
    uid_base: int | None           # drop root to uid_base + slot (None: do not drop)
    binds: list[Path] = field(default_factory=list)
    data_dir: Path | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def isolated(self) -> bool:
        return self.mode == "bwrap"

    def describe(self) -> str:
        limits = "cgroups" if self.cgroups.usable else "rlimits"
        seccomp = ", seccomp" if self.mode == "bwrap" and seccomp_program() else ""
        return (f"sandbox {self.mode}{seccomp}, {self.memory >> 20} MiB and {self.pids} "
                f"processes per submission ({limits})")


def _world_accessible(path: Path) -> bool:
    """Whether a non-root uid can reach and read ``path`` (every ancestor o+x)."""
    path = path.resolve()
    for p in [path, *path.parents]:
        try:
            mode = p.stat().st_mode
        except OSError:
            return False
        if not mode & stat.S_IXOTH:
            return False
    return True


def python_paths() -> list[Path]:
    """The Python installation and virtual environment the harness runs with."""
    paths = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(),
             Path(os.path.realpath(sys.executable)).parent.parent}
    return sorted(paths)


def helpers_dir() -> Path:
    import helpers  # importing helpers starts nothing
    return Path(helpers.__file__).resolve().parent


def worker_daemon_file() -> list[Path]:
    """The Python workers' daemon (``distml_worker_daemon.py``, which ``get_spark`` starts in
    local mode) when it is outside the bound environment (an editable install): bound too, or
    the workers in the sandbox fall back to Spark's own daemon."""
    import importlib.util

    from helpers.session import WORKER_DAEMON

    spec = importlib.util.find_spec(WORKER_DAEMON)
    return [Path(spec.origin).resolve()] if spec and spec.origin else []


def data_dir() -> Path | None:
    try:
        from helpers.datafiles import locate_millionsong
        return Path(locate_millionsong(download=False)).resolve().parent
    except Exception:  # noqa: BLE001 - no data: set-up statements that need it are skipped
        return None


def java_home() -> Path | None:
    home = os.environ.get("JAVA_HOME")
    if home:
        return Path(home).resolve()
    java = shutil.which("java")
    return Path(os.path.realpath(java)).parent.parent if java else None


def bwrap_works() -> str:
    """'' when bubblewrap can make a sandbox here, else why not."""
    exe = shutil.which("bwrap")
    if not exe:
        return "bubblewrap (bwrap) is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    args = [exe, "--unshare-pid", "--unshare-net", "--ro-bind", "/", "/", "--proc", "/proc",
            "--dev", "/dev", "true"]
    if os.geteuid() != 0:
        args.insert(1, "--unshare-user")
    try:
        run = subprocess.run(args, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"bwrap failed to start: {err}"
    if run.returncode != 0:
        return f"bwrap cannot create namespaces here: {run.stderr.strip()[:200]}"
    return ""


def configure(mode: str = "auto", memory="2G", pids: int = 512, tmp_size="512M",
              driver_memory: str = "1g") -> Config:
    """The sandbox settings for this machine, with warnings when isolation is weaker."""
    warnings = []
    if mode in ("auto", "bwrap"):
        why = bwrap_works()
        if why:
            if mode == "bwrap":
                raise SystemExit(f"error: --sandbox bwrap: {why}")
            warnings.append(f"NOT ISOLATED: {why}; submissions run as plain processes with "
                            "limits and timeouts only: they can read files this user can read "
                            "and reach the network")
            mode = "none"
        else:
            mode = "bwrap"
    else:
        warnings.append("NOT ISOLATED: --sandbox none: submissions run as plain processes with "
                        "limits and timeouts only: they can read files this user can read and "
                        "reach the network")
    groups = Cgroups()
    if groups.usable:
        groups.clean_stale()
    else:
        warnings.append(f"no writable cgroups ({groups.problem or 'not root'}): memory is limited "
                        "with RLIMIT_AS and processes with RLIMIT_NPROC instead")
    binds = python_paths() + [helpers_dir()] + worker_daemon_file()
    jh = java_home()
    if jh and not str(jh).startswith("/usr/"):
        binds.append(jh)
    uid_base = None
    if os.geteuid() == 0:
        if mode == "bwrap" or all(_world_accessible(p) for p in binds):
            uid_base = 600_000 + (os.getpid() % 100_000) * 16
        else:
            warnings.append("NOT ISOLATED: running as root and the Python installation is not "
                            "readable by other users, so submissions run as root")
    cfg = Config(mode=mode, memory=parse_size(memory), pids=int(pids),
                 tmp_size=parse_size(tmp_size), driver_memory=driver_memory, cgroups=groups,
                 uid_base=uid_base, binds=binds, data_dir=data_dir(), warnings=warnings)
    return cfg


# --- one sandbox ---------------------------------------------------------------------------------
class _Capped:
    """Keeps the first ``cap`` bytes of a stream and counts the rest."""

    def __init__(self, cap: int):
        self.cap, self.data, self.total = cap, bytearray(), 0

    def feed(self, chunk: bytes):
        self.total += len(chunk)
        room = self.cap - len(self.data)
        if room > 0:
            self.data += chunk[:room]

    def text(self) -> str:
        out = self.data.decode("utf-8", "replace")
        if self.total > len(self.data):
            out += f"\n[... {self.total - len(self.data):,} more bytes of output not kept]"
        return out


@dataclass
class Ended:
    """How a sandbox ended."""

    returncode: int | None
    oom: bool
    pids_exhausted: bool
    stdout: str
    stderr: str
    forged: int
    peak_memory: int | None = None
    output_bytes: int = 0

    def describe(self) -> str:
        if self.oom:
            return "the memory limit was reached and the kernel was killed"
        rc = self.returncode
        if rc is None:
            return "the kernel did not end"
        if rc < 0 or rc > 128:
            sig = -rc if rc < 0 else rc - 128
            try:
                name = signal.Signals(sig).name
            except ValueError:
                name = f"signal {sig}"
            extra = " (segmentation fault)" if name == "SIGSEGV" else ""
            more = "; the process limit was reached" if self.pids_exhausted else ""
            return f"the kernel was killed by {name}{extra}{more}"
        more = " after reaching the process limit" if self.pids_exhausted else ""
        return f"the kernel exited with status {rc}{more}"


STOPPING = threading.Event()  # set on interrupt: no new sandbox starts
_LIVE: set["Sandbox"] = set()
_LIVE_LOCK = threading.Lock()


def kill_everything() -> None:
    """Kill every running sandbox (on interrupt)."""
    with _LIVE_LOCK:
        boxes = list(_LIVE)
    for box in boxes:
        box.stop()


class Sandbox:
    """One harness process in its sandbox, with the pipes to talk to it."""

    def __init__(self, config: Config, slot: int, tag: str):
        self.config, self.slot, self.tag = config, slot, tag
        self.proc: subprocess.Popen | None = None
        self.events: queue.Queue = queue.Queue()
        self.stdout, self.stderr = _Capped(OUTPUT_CAP), _Capped(OUTPUT_CAP)
        self.cgroup: Cgroup | None = None
        self.workdir: Path | None = None
        self._ctrl_w = None
        self._threads: list[threading.Thread] = []
        self._ended: Ended | None = None
        self.forged = 0

    # -- launching
    def _env(self, tmp: str) -> dict[str, str]:
        venv_bin = str(Path(sys.executable).parent)
        env = {
            "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
            "HOME": tmp, "TMPDIR": tmp, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "USER": "student", "LOGNAME": "student", "HADOOP_USER_NAME": "student",
            "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1",
            "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable,
            "SPARK_LOCAL_IP": "127.0.0.1", "SPARK_LOCAL_HOSTNAME": "localhost",
            "DISTML_SPARK_MASTER": "local[2]", "DISTML_SPARK_UI": "0",
            "DISTML_DRIVER_MEMORY": self.config.driver_memory,
            "DISTML_SPARK_LOG": f"{tmp}/spark-jvm.log",
            "MPLBACKEND": "Agg", "MPLCONFIGDIR": f"{tmp}/matplotlib",
            "MALLOC_ARENA_MAX": "2", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            # A JVM that lives for a minute: the quick JIT and one GC thread start it in half
            # the time (measured: 42 s -> 21 s to a SparkContext on a loaded 2-core machine).
            "JDK_JAVA_OPTIONS": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
        }
        jh = java_home()
        if jh:
            env["JAVA_HOME"] = str(jh)
        if self.config.data_dir:
            env["DISTML_DATA_DIR"] = str(self.config.data_dir)
        return env

    def _bwrap_args(self, env: dict[str, str], harness_args: list[str],
                    seccomp_fd: int | None = None) -> list[str]:
        args = [shutil.which("bwrap"), "--unshare-pid", "--unshare-net", "--unshare-ipc",
                "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent", "--new-session",
                "--hostname", "sandbox"]
        if seccomp_fd is not None:
            args += ["--seccomp", str(seccomp_fd)]
        if os.geteuid() != 0:
            args += ["--unshare-user", "--disable-userns"]
        args += ["--ro-bind", "/usr", "/usr"]
        for d in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
            if os.path.islink(d):
                args += ["--symlink", os.readlink(d), d]
            elif os.path.isdir(d):
                args += ["--ro-bind", d, d]
        args += ["--ro-bind", "/etc", "/etc"]
        passwd, group = self.workdir / "passwd", self.workdir / "group"
        uid = self.uid or os.getuid()
        passwd.write_text(f"root:x:0:0:root:/root:/bin/sh\nstudent:x:{uid}:{uid}:student:/tmp:"
                          "/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n")
        group.write_text(f"root:x:0:\nstudent:x:{uid}:\nnogroup:x:65534:\n")
        args += ["--ro-bind", str(passwd), "/etc/passwd", "--ro-bind", str(group), "/etc/group"]
        args += ["--proc", "/proc", "--dev", "/dev",
                 "--perms", "01777", "--size", str(self.config.tmp_size), "--tmpfs", "/tmp",
                 "--perms", "01777", "--size", str(64 << 20), "--tmpfs", "/dev/shm"]
        binds = list(self.config.binds)
        if self.config.data_dir:
            binds.append(self.config.data_dir)
        made = {"/", "/usr", "/etc", "/tmp", "/dev", "/proc"}
        for path in sorted(binds, key=lambda p: len(p.parts)):
            for parent in reversed(path.parents):
                if str(parent) not in made:
                    args += ["--perms", "0755", "--dir", str(parent)]
                    made.add(str(parent))
            args += ["--ro-bind", str(path), str(path)]
            made.add(str(path))
        args += ["--perms", "0755", "--dir", "/grader", "--ro-bind", str(HARNESS),
                 "/grader/harness.py", "--chdir", "/tmp", "--clearenv"]
        for k, v in env.items():
            args += ["--setenv", k, v]
        return args + [sys.executable, "-s", "/grader/harness.py", *harness_args]

    @property
    def uid(self) -> int | None:
        base = self.config.uid_base
        return None if base is None else base + self.slot

    def start(self) -> None:
        if STOPPING.is_set():
            raise KeyboardInterrupt("grading interrupted")
        cfg = self.config
        self.workdir = Path(tempfile.mkdtemp(prefix="distml-grader-"))
        name = f"distml-grader-{os.getpid()}-{self.slot}-{self.tag}"
        self.cgroup = Cgroup.create(cfg.cgroups, name, cfg.memory, cfg.pids)
        ctrl_r, ctrl_w = os.pipe()
        ev_r, ev_w = os.pipe()
        uid_args = [str(self.uid)] if self.uid is not None else []
        harness_args = [str(ctrl_r), str(ev_w), *uid_args]
        extra_fds = ()
        if cfg.mode == "bwrap":
            env = self._env("/tmp")
            program = seccomp_program()
            seccomp_fd = None
            if program:  # a few hundred bytes: the pipe holds them until bwrap reads them
                seccomp_fd, seccomp_w = os.pipe()
                os.write(seccomp_w, program)
                os.close(seccomp_w)
                extra_fds = (seccomp_fd,)
            cmd = self._bwrap_args(env, harness_args, seccomp_fd)
            popen_env, cwd = {"PATH": "/usr/bin:/bin"}, "/"
        else:
            tmp = self.workdir / "tmp"
            tmp.mkdir()
            if self.uid is not None:
                os.chown(tmp, self.uid, self.uid)
            env = self._env(str(tmp))
            cmd = [sys.executable, "-s", str(HARNESS), *harness_args]
            popen_env, cwd = env, str(tmp)
        procs_files = self.cgroup.procs_files() if self.cgroup else []
        memory_rlimit = None if self.cgroup else cfg.memory
        pids = cfg.pids

        def limit():  # runs in the child between fork and exec: system calls only
            for path in procs_files:
                fd = os.open(path, os.O_WRONLY)
                os.write(fd, str(os.getpid()).encode())
                os.close(fd)
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 30, 1 << 30))
            resource.setrlimit(resource.RLIMIT_NPROC, (pids, pids))
            if memory_rlimit:
                resource.setrlimit(resource.RLIMIT_AS, (memory_rlimit, memory_rlimit))

        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, pass_fds=(ctrl_r, ev_w, *extra_fds),
                                     start_new_session=True, preexec_fn=limit, env=popen_env,
                                     cwd=cwd)
        os.close(ctrl_r)
        os.close(ev_w)
        for fd in extra_fds:
            os.close(fd)
        self._ctrl_w = ctrl_w
        with _LIVE_LOCK:
            _LIVE.add(self)
        for target, arg in ((self._read_events, ev_r), (self._drain, (self.proc.stdout, self.stdout)),
                            (self._drain, (self.proc.stderr, self.stderr))):
            t = threading.Thread(target=target, args=(arg,), daemon=True)
            t.start()
            self._threads.append(t)

    def _read_events(self, fd: int) -> None:
        buf, total = bytearray(), 0
        try:
            while True:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                total += len(chunk)
                if total > EVENT_CAP:
                    self.events.put({"ev": "overflow"})
                    break
                buf += chunk
                while True:
                    i = buf.find(b"\n")
                    if i < 0:
                        break
                    line = bytes(buf[:i])
                    del buf[:i + 1]
                    self.events.put(line)
        finally:
            os.close(fd)
            self.events.put(None)

    @staticmethod
    def _drain(args) -> None:
        stream, sink = args
        try:
            while True:
                chunk = stream.read1(1 << 16)
                if not chunk:
                    break
                sink.feed(chunk)
        except (OSError, ValueError):
            pass

    # -- talking
    def send(self, message: dict) -> bool:
        import json
        data = (json.dumps(message, allow_nan=True) + "\n").encode()
        try:
            view = memoryview(data)
            while view:
                n = os.write(self._ctrl_w, view)
                view = view[n:]
            return True
        except (BrokenPipeError, OSError):
            return False

    def next_line(self, timeout: float):
        """The next raw event line (bytes), ``"timeout"``, or None at the end of the stream."""
        try:
            return self.events.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return "timeout"

    # -- ending
    def stop(self) -> Ended:
        if self._ended is not None:
            return self._ended
        proc = self.proc
        if proc is not None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        oom = pids_hit = False
        peak = None
        if self.cgroup:
            oom, pids_hit = self.cgroup.oom_killed(), self.cgroup.pids_exhausted()
            peak = self.cgroup.peak_memory()
            self.cgroup.kill_all()
            self.cgroup.remove()
        elif self.uid is not None:
            _kill_uid(self.uid)
        if self._ctrl_w is not None:
            try:
                os.close(self._ctrl_w)
            except OSError:
                pass
            self._ctrl_w = None
        for t in self._threads:
            t.join(timeout=5)
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
        with _LIVE_LOCK:
            _LIVE.discard(self)
        self._ended = Ended(returncode=None if proc is None else self._returncode,
                            oom=oom, pids_exhausted=pids_hit, stdout=self.stdout.text(),
                            stderr=self.stderr.text(), forged=self.forged, peak_memory=peak,
                            output_bytes=self.stdout.total + self.stderr.total)
        return self._ended

    _returncode: int | None = None

    def wait_exit(self, timeout: float) -> int | None:
        """Wait for the sandbox to end by itself; its return code, or None if still running."""
        try:
            self._returncode = self.proc.wait(timeout=timeout)
            return self._returncode
        except subprocess.TimeoutExpired:
            return None


def _kill_uid(uid: int) -> None:
    """Kill every process of ``uid`` (fallback mode without cgroups)."""
    for _ in range(20):
        found = False
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    os.kill(int(entry), signal.SIGKILL)
                    found = True
            except (OSError, ProcessLookupError):
                pass
        if not found:
            return
        time.sleep(0.05)
