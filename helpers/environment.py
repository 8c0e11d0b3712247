"""Check that this machine can run the notebooks: Python, Java and (optionally) the data.

Standard library only, so the Makefile can run it with the system Python before the virtual
environment exists (``python3 helpers/environment.py``) and the first cell of every notebook can
call :func:`check_environment` and get one sentence per problem instead of a stack trace.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

__all__ = ["MIN_PYTHON", "MIN_JAVA", "EnvironmentProblem", "java_version", "problems",
           "check_environment"]

MIN_PYTHON = (3, 11)  # pyspark 4.3 and numpy 2.4 need 3.11
MIN_JAVA = 17         # Spark 4 runs on Java 17 or 21

INSTALL_JAVA = ("install Java 17 or 21 (Debian/Ubuntu: 'sudo apt install openjdk-17-jre-headless'; "
                "macOS: 'brew install openjdk@17'; conda: 'conda install -c conda-forge openjdk=17') "
                "and make sure 'java' is on your PATH or JAVA_HOME points at it")


class EnvironmentProblem(RuntimeError):
    """Raised by :func:`check_environment` when something the notebooks need is missing."""


def _java_executable() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = os.path.join(home, "bin", "java")
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("java")


def parse_java_version(text: str) -> int | None:
    """Major Java version from ``java -version`` output.

    >>> parse_java_version('openjdk version "17.0.15" 2025-04-15')
    17
    >>> parse_java_version('java version "1.8.0_392"')
    8
    >>> parse_java_version('no version here') is None
    True
    """
    m = re.search(r'version "(\d+)(?:\.(\d+))?', text)
    if not m:
        return None
    major = int(m.group(1))
    # Java 8 and older call themselves "1.x".
    return int(m.group(2) or 0) if major == 1 else major


def java_version() -> int | None:
    """Major version of the Java that Spark will start, or None if there is none."""
    exe = _java_executable()
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return parse_java_version(out.stderr + out.stdout)


def problems(*, check_data: bool = False) -> list[str]:
    """One sentence per missing requirement (an empty list when all is well)."""
    found = []
    if sys.version_info < MIN_PYTHON:
        found.append(
            f"Python {'.'.join(map(str, MIN_PYTHON))} or newer is needed but this is "
            f"{sys.version.split()[0]}: install a newer Python (python.org, 'brew install "
            f"python@3.11', 'sudo apt install python3.11' or conda) and run 'make' with "
            f"PYTHON=python3.11.")
    version = java_version()
    if version is None:
        found.append(f"Java was not found: {INSTALL_JAVA}.")
    elif version < MIN_JAVA:
        found.append(f"Java {version} is too old for Spark 4: {INSTALL_JAVA}.")
    if check_data:
        try:
            from helpers.datafiles import locate_millionsong
            locate_millionsong(download=False)
        except ImportError:
            pass
        except (OSError, ValueError) as err:  # DataNotFoundError, DataIntegrityError
            found.append(str(err))
    return found


def check_environment(*, check_data: bool = True) -> None:
    """Print what is ready, or raise :class:`EnvironmentProblem` saying how to fix what is not."""
    found = problems(check_data=check_data)
    if found:
        raise EnvironmentProblem("\n".join(found))
    print(f"Environment OK: Python {sys.version.split()[0]}, Java {java_version()}.")


if __name__ == "__main__":  # used by the Makefile before the venv exists
    msgs = problems()
    for msg in msgs:
        print(f"error: {msg}", file=sys.stderr)
    sys.exit(1 if msgs else 0)
