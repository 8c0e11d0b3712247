"""Build the autograder zips to upload to Gradescope (``make gradescope``).

The committed ``autograder/dist/NN_topic/autograder/NN_topic-autograder.zip`` holds everything
grading needs except the data file, which is never committed: otter's ``setup.sh`` (with Java
added by ``tools/assign.py``), ``environment.yml`` (Python 3.11 and the pinned packages), the
tests, and the ``helpers`` package as ``files/helpers/``. This adds ``millionsong.txt`` as
``files/data/cache/millionsong.txt`` and writes ``build/gradescope/NN_topic-autograder.zip``.

When grading, otter copies ``files/*`` into the submission folder, so the notebook's
``import helpers`` finds ``submission/helpers`` and :func:`helpers.datafiles.locate_millionsong`
finds the data in ``submission/data/cache``, beside the package as ``data/cache`` is in a checkout
of this repository: no setting and no download. The data is taken from
``helpers.datafiles.locate_millionsong(download=False)`` (``$DISTML_DATA_DIR``, else
``data/cache/``) and checked on the way. Members are sorted and dated 1980-01-01, so the same
inputs give the same bytes.

Usage: ``python tools/gradescope.py [NN_topic ...] [--out DIR]``
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "gradescope"
DATA_MEMBER = "files/data/cache/millionsong.txt"
_DATE = (1980, 1, 1, 0, 0, 0)


def committed_zip(topic: str) -> Path:
    return ROOT / "autograder" / "dist" / topic / "autograder" / f"{topic}-autograder.zip"


def topics() -> list[str]:
    return sorted(p.stem for p in (ROOT / "autograder" / "source").glob("[0-9][0-9]_*.ipynb"))


def locate_data() -> Path:
    """The checked data file, or exit saying how to get it (never downloads)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from helpers.datafiles import DataIntegrityError, DataNotFoundError, locate_millionsong
    try:
        return locate_millionsong(download=False)
    except (DataNotFoundError, DataIntegrityError) as exc:
        sys.exit(f"The zip to upload to Gradescope must hold the data file, and it is not "
                 f"usable here: {exc}\nRun `make data` (it downloads and prepares the file), or "
                 f"set DISTML_DATA_DIR to the folder holding the millionsong.txt the notebooks "
                 f"were tested with, then run `make gradescope` again.")


def complete_zip(source: Path, data: Path, dest: Path) -> Path:
    """``source`` (an autograder zip) plus ``data`` as :data:`DATA_MEMBER`, written to ``dest``."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.part")
    with zipfile.ZipFile(source) as src:
        if DATA_MEMBER in src.namelist():
            sys.exit(f"{source} already holds {DATA_MEMBER}: the committed zip must not carry "
                     f"the data (rebuild it with `make assign`)")
        members = {name: (src.getinfo(name).external_attr, src.read(name))
                   for name in src.namelist()}
    members[DATA_MEMBER] = (0o100644 << 16, data.read_bytes())
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=_DATE)
            info.external_attr, content = members[name]
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, content)
    tmp.replace(dest)
    return dest


def build(topic: str, out: Path, data: Path) -> Path:
    source = committed_zip(topic)
    if not source.is_file():
        sys.exit(f"{source.relative_to(ROOT)} is missing: run `make assign` first")
    return complete_zip(source, data, out / source.name)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="notebooks to build (default: all)")
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write the zips to")
    args = parser.parse_args(argv)
    known = topics()
    unknown = sorted(set(args.names) - set(known))
    if unknown:
        sys.exit(f"no master notebook for {', '.join(unknown)} in autograder/source/")
    data = locate_data()
    for topic in args.names or known:
        path = build(topic, args.out, data)
        print(f"built {path} ({path.stat().st_size / 1e6:.1f} MB, data from {data}): "
              f"upload it as the Gradescope assignment's autograder")


if __name__ == "__main__":
    main()
