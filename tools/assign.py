"""Build every generated file from the master notebooks (``make assign``).

For each master ``autograder/source/NN_topic.ipynb`` this writes:

- ``autograder/dist/NN_topic/`` — what ``otter assign`` builds (student and autograder
  notebooks, ``autograder/NN_topic-autograder.zip`` re-zipped with fixed timestamps so that a
  rebuild of an unchanged master is byte-identical);
- ``notebooks/NN_topic.ipynb`` — the student notebook (no solutions, no hidden tests, no outputs);
- ``autograder/samples/NN_topic/reference.ipynb`` — the student notebook with every answer cell
  filled in from the master's solutions, as a student would submit it.

What grading needs goes into the zip (see the ASSIGNMENT CONFIG cell of each master): Python and
the pinned packages (``python_version``, ``requirements``), and the files the notebooks import
(``autograder_files``, e.g. ``[helpers]``: paths from the repository's root, files or folders).
otter only takes files from the master's folder, and copies a folder deeper than that folder to
the wrong place, so the master is built from a temporary folder holding a copy of it, with those
files beside it at their paths in the repository and listed one by one in the copy's config
(:func:`_stage`; nothing is written beside the masters, and ``__pycache__``, ``*.pyc`` and dot
files are left out). otter 7 has no setting for apt packages, so the Java runtime Spark needs is
added here to the zip's ``setup.sh`` (:func:`_add_java`). The data file is never committed:
``tools/gradescope.py`` (``make gradescope``) adds it to a copy of the zip.

Usage: ``python tools/assign.py [NN_topic ...] [--out DIR]`` (``--out`` builds into another
folder, which is how the tests check that committed files are up to date).
"""

from __future__ import annotations

import argparse
import fnmatch
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT, Path(__file__).resolve().parent):
    if str(_path) not in sys.path:
        sys.path.append(str(_path))
import testcells  # noqa: E402  (tools/, beside this file)

ANSWER_TAG = "otter_answer_cell"
SOLUTION_TAG = "otter_assign_solution_cell"
CONFIG_START = "# ASSIGNMENT CONFIG"
JUNK = ("__pycache__", "*.pyc", "*.pyo", ".*")  # never shipped from an autograder_files folder
# otter's setup.sh installs its own apt packages in this line; Java goes right after it.
SETUP_APT_LINE = "apt-get install -y wget jq build-essential"
JAVA_LINES = (
    "\n# Spark runs on the JVM: Java 17 (added by tools/assign.py; otter 7 has no apt setting)\n"
    "apt-get install -y openjdk-17-jre-headless\n"
    "java -version\n")


def masters(names=None) -> list[Path]:
    found = sorted((ROOT / "autograder" / "source").glob("[0-9][0-9]_*.ipynb"))
    if names:
        found = [p for p in found if p.stem in names]
        missing = set(names) - {p.stem for p in found}
        if missing:
            sys.exit(f"no master notebook for {', '.join(sorted(missing))} in autograder/source/")
    return found


def _rezip(path: Path, dest: Path, replace: dict[str, bytes] | None = None) -> None:
    """Copy a zip with sorted members and a fixed timestamp, so rebuilds are reproducible.

    ``replace`` gives new contents for some members (their modes are kept).
    """
    replace = replace or {}
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        missing = set(replace) - set(src.namelist())
        if missing:
            raise SystemExit(f"{path.name} has no {', '.join(sorted(missing))} to replace")
        for name in sorted(src.namelist()):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = src.getinfo(name).external_attr
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, replace[name] if name in replace else src.read(name))


def _add_java(setup_sh: str) -> str:
    """otter's ``setup.sh`` with a Java runtime installed right after otter's own apt packages."""
    lines = setup_sh.splitlines(keepends=True)
    at = [i for i, line in enumerate(lines) if line.startswith(SETUP_APT_LINE)]
    if len(at) != 1:
        raise SystemExit(f"otter's setup.sh has changed: no single line starting with "
                         f"'{SETUP_APT_LINE}' to install Java after; update tools/assign.py")
    return "".join(lines[:at[0] + 1]) + JAVA_LINES + "".join(lines[at[0] + 1:])


def _grading_files(master: Path) -> list[Path]:
    """The files the master's ``autograder_files`` names (paths from the repository's root),
    folders expanded, sorted; exits naming any that does not exist."""
    nb = nbformat.read(master, as_version=4)
    first = nb.cells[0] if nb.cells else None
    if first is None or first.cell_type != "raw" or not first.source.startswith(CONFIG_START):
        sys.exit(f"{master.name}: the first cell is not the '{CONFIG_START}' raw cell")
    config = yaml.safe_load(first.source) or {}
    files = []
    for entry in config.get("autograder_files") or []:
        path = ROOT / entry
        if path.is_dir():
            files += [f for f in path.rglob("*") if f.is_file() and not any(
                fnmatch.fnmatch(part, pattern) for part in f.relative_to(path).parts
                for pattern in JUNK)]
        elif path.is_file():
            files.append(path)
        else:
            sys.exit(f"{master.name}: autograder_files names {entry}, which is not in the "
                     f"repository ({path})")
    return sorted(set(files))


def _stage(master: Path, folder: Path) -> tuple[Path, list[str]]:
    """A copy of ``master`` in ``folder`` with its ``autograder_files`` beside it.

    Returns the copy and the files' paths: the copy's config lists them one by one.
    """
    folder.mkdir(parents=True)
    names = []
    for path in _grading_files(master):
        name = path.relative_to(ROOT).as_posix()
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, folder / name)
        (folder / name).chmod(0o644)  # the zip records modes: the same whatever the umask
        names.append(name)
    staged = folder / master.name
    if not names:
        return Path(shutil.copyfile(master, staged)), names
    nb = nbformat.read(master, as_version=4)
    config = yaml.safe_load(nb.cells[0].source)
    config["autograder_files"] = names
    nb.cells[0].source = CONFIG_START + "\n" + yaml.safe_dump(config, sort_keys=False)
    nbformat.write(nb, staged)
    return staged, names


def solution_only(source: str) -> str:
    """A solution cell as a student who finished it would hand it in: without otter's solution
    markers and without the skeleton (the lines from ``# BEGIN PROMPT`` to ``# END PROMPT``: a
    string in the master, the student's starting code in the student notebook)."""
    kept, prompt = [], False
    for line in source.splitlines():
        end = line.strip()
        if end.endswith("# BEGIN PROMPT") or end.endswith("# END PROMPT"):
            prompt = end.endswith("# BEGIN PROMPT")
        elif not prompt and not end.endswith(("# BEGIN SOLUTION", "# BEGIN SOLUTION NO PROMPT",
                                               "# END SOLUTION")):
            kept.append(line)
    return "\n".join(kept)


def fill_answers(student: nbformat.NotebookNode, autograder: nbformat.NotebookNode,
                 old_name: str, new_name: str) -> nbformat.NotebookNode:
    """The student notebook with each answer cell's source taken from the solution notebook."""
    solutions = {c.id: c.source for c in autograder.cells if SOLUTION_TAG in
                 c.metadata.get("tags", [])}
    filled = nbformat.from_dict(student)
    for cell in filled.cells:
        if ANSWER_TAG in cell.metadata.get("tags", []):
            if cell.id not in solutions:
                raise SystemExit(f"answer cell {cell.id} has no solution in the master")
            cell.source = solution_only(solutions[cell.id])
        elif cell.cell_type == "code" and "otter.Notebook(" in cell.source:
            # The public tests live in the notebook's metadata, which otter reads from the file.
            cell.source = cell.source.replace(f'"{old_name}"', f'"{new_name}"')
    return filled


def _fix_generated_ids(path: Path) -> None:
    """Give the cells otter adds (init and check cells) ids from their position, not at random.

    Master cells keep theirs: "NN-iii", or "NN-xx-ii" for a section numbered on its own (so it
    can be inserted without renumbering the others). An answer cell's id is how the grader finds
    it in a submission, so it must not depend on where the cell sits."""
    nb = nbformat.read(path, as_version=4)
    known = {c.id for c in nb.cells}
    for i, cell in enumerate(nb.cells):
        if not re.fullmatch(r"\d\d-(\d{3}|[a-z]{2}-\d{2})", cell.id):
            cell.id = f"otter-{i:03d}"
            assert cell.id not in known, f"id clash at cell {i} of {path}"
    nbformat.write(nb, path)


def _sync_tests(master: Path, root: Path) -> Path:
    """The master with its test cells written from its question declarations: the master itself
    (rewritten if it changed), or, when building elsewhere (``--out``), a copy there."""
    synced = testcells.sync(master)
    dest = master if root == ROOT else root / "autograder" / "source" / master.name
    dest.parent.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(synced)
    text += "" if text.endswith("\n") else "\n"  # as nbformat.write ends a file
    if not dest.exists() or dest.read_text() != text:
        dest.write_text(text)
    return dest


def _oracle(stem: str, root: Path, zip_path: Path) -> None:
    """Make the expected values current for the notebooks just built under ``root``: kept when
    the declaration, reference answers and set-up cells are unchanged, else the reference is run
    on every declared call (a Spark session, under a minute); the zip gets the current files."""
    from autograder.grader import incell

    if root != ROOT:
        for part in ("public", "hidden"):
            committed = incell.expected_path(stem, part)
            if committed.exists():
                incell.expected_path(stem, part, root).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(committed, incell.expected_path(stem, part, root))
    if not incell.oracle_is_current(stem, root):
        print(f"{stem}: running the reference on every declared call (expected values)...")
        run = subprocess.run([sys.executable, "-m", "autograder.grader.incell", "oracle", stem,
                              "--built", str(root)], cwd=ROOT, capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"computing the expected values of {stem} failed:\n{run.stdout[-3000:]}"
                     f"\n{run.stderr[-3000:]}")
    members = {f"files/autograder/questions/expected/{stem}.{part}.json":
               incell.expected_path(stem, part, root).read_bytes() for part in ("public", "hidden")}
    with zipfile.ZipFile(zip_path) as z:
        if all(name in z.namelist() and z.read(name) == data for name, data in members.items()):
            return
    tmp = zip_path.with_suffix(".tmp")
    _rezip(zip_path, tmp, replace=members)
    tmp.replace(zip_path)


def build(master: Path, root: Path) -> None:
    stem = master.stem
    dist = root / "autograder" / "dist" / stem
    master = _sync_tests(master, root)
    with tempfile.TemporaryDirectory() as tmp:
        staged, shipped = _stage(master, Path(tmp) / "source")
        out = Path(tmp) / stem
        run = subprocess.run([sys.executable, "-m", "otter", "assign", str(staged), str(out)],
                             capture_output=True, text=True, cwd=staged.parent)
        if run.returncode != 0:
            sys.exit(f"otter assign failed for {master.name}:\n{run.stdout}\n{run.stderr}")
        zips = list((out / "autograder").glob("*-autograder_*.zip"))
        if len(zips) != 1:
            sys.exit(f"expected one autograder zip for {stem}, found {zips}")
        with zipfile.ZipFile(zips[0]) as z:
            setup_sh = z.read("setup.sh").decode()
        _rezip(zips[0], out / "autograder" / f"{stem}-autograder.zip",
               replace={"setup.sh": _add_java(setup_sh).encode()})
        zips[0].unlink()
        # otter also copies autograder_files into the output folder; the zip is where they belong.
        for name in shipped:
            (out / "autograder" / name).unlink()
        for folder in sorted({p for n in shipped for p in Path(n).parents if p != Path(".")},
                             key=lambda p: len(p.parts), reverse=True):
            (out / "autograder" / folder).rmdir()
        if dist.exists():
            shutil.rmtree(dist)
        dist.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(out, dist)

    for path in (dist / "student" / f"{stem}.ipynb", dist / "autograder" / f"{stem}.ipynb"):
        _fix_generated_ids(path)
    student_path = dist / "student" / f"{stem}.ipynb"
    (root / "notebooks").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(student_path, root / "notebooks" / f"{stem}.ipynb")

    student = nbformat.read(student_path, as_version=4)
    solutions = nbformat.read(dist / "autograder" / f"{stem}.ipynb", as_version=4)
    reference = fill_answers(student, solutions, f"{stem}.ipynb", "reference.ipynb")
    sample_dir = root / "autograder" / "samples" / stem
    sample_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(reference, sample_dir / "reference.ipynb")
    _oracle(stem, root, dist / "autograder" / f"{stem}-autograder.zip")
    print(f"built {stem}: notebooks/{stem}.ipynb, autograder/dist/{stem}/, "
          f"autograder/samples/{stem}/reference.ipynb")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="notebooks to build (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT, help="root to build into")
    args = parser.parse_args(argv)
    for master in masters(args.names):
        build(master, args.out)


if __name__ == "__main__":
    main()
