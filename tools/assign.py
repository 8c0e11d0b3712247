"""Build every generated file from the master notebooks (``make assign``).

For each master ``autograder/source/NN_topic.ipynb`` this writes:

- ``autograder/dist/NN_topic/`` — what ``otter assign`` builds (student and autograder
  notebooks, ``autograder/NN_topic-autograder.zip`` re-zipped with fixed timestamps so that a
  rebuild of an unchanged master is byte-identical);
- ``notebooks/NN_topic.ipynb`` — the student notebook (no solutions, no hidden tests, no outputs);
- ``autograder/samples/NN_topic/reference.ipynb`` — the student notebook with every answer cell
  filled in from the master's solutions, as a student would submit it.

Usage: ``python tools/assign.py [NN_topic ...] [--out DIR]`` (``--out`` builds into another
folder, which is how the tests check that committed files are up to date).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
ANSWER_TAG = "otter_answer_cell"
SOLUTION_TAG = "otter_assign_solution_cell"


def masters(names=None) -> list[Path]:
    found = sorted((ROOT / "autograder" / "source").glob("[0-9][0-9]_*.ipynb"))
    if names:
        found = [p for p in found if p.stem in names]
        missing = set(names) - {p.stem for p in found}
        if missing:
            sys.exit(f"no master notebook for {', '.join(sorted(missing))} in autograder/source/")
    return found


def _rezip(path: Path, dest: Path) -> None:
    """Copy a zip with sorted members and a fixed timestamp, so rebuilds are reproducible."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for name in sorted(src.namelist()):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = src.getinfo(name).external_attr
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, src.read(name))


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
            cell.source = "\n".join(line for line in solutions[cell.id].splitlines()
                                    if not line.strip().endswith(("# BEGIN SOLUTION",
                                                                  "# END SOLUTION")))
        elif cell.cell_type == "code" and "otter.Notebook(" in cell.source:
            # The public tests live in the notebook's metadata, which otter reads from the file.
            cell.source = cell.source.replace(f'"{old_name}"', f'"{new_name}"')
    return filled


def _fix_generated_ids(path: Path) -> None:
    """Give the cells otter adds (init and check cells) ids from their position, not at random."""
    nb = nbformat.read(path, as_version=4)
    known = {c.id for c in nb.cells}
    for i, cell in enumerate(nb.cells):
        if not re.fullmatch(r"\d\d-\d{3}", cell.id):  # master cells are "NN-iii"
            cell.id = f"otter-{i:03d}"
            assert cell.id not in known, f"id clash at cell {i} of {path}"
    nbformat.write(nb, path)


def build(master: Path, root: Path) -> None:
    stem = master.stem
    dist = root / "autograder" / "dist" / stem
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / stem
        run = subprocess.run([sys.executable, "-m", "otter", "assign", str(master), str(out)],
                             capture_output=True, text=True, cwd=master.parent)
        if run.returncode != 0:
            sys.exit(f"otter assign failed for {master.name}:\n{run.stdout}\n{run.stderr}")
        zips = list((out / "autograder").glob("*-autograder_*.zip"))
        if len(zips) != 1:
            sys.exit(f"expected one autograder zip for {stem}, found {zips}")
        _rezip(zips[0], out / "autograder" / f"{stem}-autograder.zip")
        zips[0].unlink()
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
