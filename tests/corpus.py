"""Build submissions from the test corpus and grade them with the otter autograder.

A corpus file (``autograder/corpus/NN_topic/*.py``) holds ``# %% <question>`` sections whose code
replaces that question's answer cell in the reference submission (the other answers stay
correct), and what grading must make of it:

- ``FAILS = {question: [hidden test name, ...]}``: the declared hidden tests
  (``autograder/questions/NN_topic.py``) the case must fail; every other hidden test must pass.
  Its expected score per question follows from the declared points, so changing points never
  means editing the corpus. (Public checks are not listed: they score nothing, and a student's
  check runs the student's own earlier functions, so one mistake shows in several.)
- or ``EXPECTED = {question: score}`` (the hostile cases, whose rows are about status and reason).

Used by ``tests/test_otter_grading.py`` (every case, with otter's tests) and
``tests/test_sandboxed_grader.py`` (the cases :func:`sandbox_cases` picks); kept apart so the
format is documented in one place.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
CHECK = re.compile(r'grader\.check\("([^"]+)"\)')
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@dataclass
class Case:
    expected: dict            # question -> score
    answers: dict[str, str]   # question -> the code of its answer cell
    fails: dict[str, list]    # question -> hidden tests it must fail (FAILS cases)
    values: dict              # every other literal assignment of the file (STATUS, REASON, ...)


def _literals(tree) -> dict:
    values = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass
    return values


def read_case(path: Path) -> Case:
    """One corpus (or hostile) file, without executing it."""
    from autograder.grader.incell import declarations

    text = path.read_text()
    values = _literals(ast.parse(text))
    topic = path.parent.name
    fails = values.get("FAILS", {})
    if "FAILS" in values:
        questions = declarations(topic).QUESTIONS
        unknown = set(fails) - {q.name for q in questions}
        if unknown:
            raise KeyError(f"{path.name}: FAILS names no question {sorted(unknown)}")
        expected = {q.name: sum(t.points for t in q.tests
                                if not t.public and t.name not in fails.get(q.name, []))
                    for q in questions}
    else:
        expected = values["EXPECTED"]
    sections, current = {}, None
    for line in text.splitlines():
        m = re.match(r"# %% (\w+)\s*$", line)
        if m:
            current = m.group(1)
            sections[current] = []
        elif current:
            sections[current].append(line)
    answers = {q: "\n".join(lines).strip() + "\n" for q, lines in sections.items()}
    return Case(expected, answers, fails, values)


def _metered(call) -> bool:
    """Whether a declared call measures communication (``meter=True`` or ``spec.metered``)."""
    return bool(call.meter) or call.expr.startswith("_probe_metered(")


def sandbox_cases(topic: str) -> list[str]:
    """The corpus cases of ``topic`` the sandboxed grader must also grade.

    Otter's tests grade every case (``tests/test_otter_grading.py``), and both graders judge
    with the same declared tests and the same scoring code: whether a case fails the right
    hidden tests is proven there, once. What the sandbox adds is the way values and
    measurements come out of the student's process, so it grades every correct alternative
    (each shape of right answer must keep full marks across the process boundary), every case
    that gets a value right and fails a test of what the call communicates (its measurement is
    taken in the sandbox), and then, for the questions no picked case gets a wrong value of
    yet, wrong cases (greedily, then without any the others cover), so that a wrong value of
    every question crosses the boundary once. A corpus that grows by wrong cases of questions already covered costs the sandbox
    nothing.
    """
    from autograder.grader.incell import declarations

    metered = {(q.name, t.name) for q in declarations(topic).QUESTIONS for t in q.tests
               if not t.public and any(_metered(c) for c in t.calls)}
    cases = {p.stem: {(q, name) for q, names in read_case(p).fails.items() for name in names}
             for p in sorted((ROOT / "autograder" / "corpus" / topic).glob("*.py"))}
    # a communication mistake: a question whose failed tests are all metered (the value was
    # right); a wrong value fails the metered test too, and that is not what it is about
    picked = [c for c, fails in cases.items()
              if not fails or any({t for t in fails if t[0] == q} <= metered for q, _ in fails)]
    required = list(picked)
    values = {c: {q for q, t in fails if (q, t) not in metered} for c, fails in cases.items()}
    wrong = set().union(*(values[c] for c in picked))
    while True:  # greedily: the case with most wrong values of questions none picked has yet
        best = max(cases, key=lambda c: (len(values[c] - wrong), -sorted(cases).index(c)),
                   default=None)
        if best is None or not values[best] - wrong:
            break
        picked.append(best)
        wrong |= values[best]
    for case in list(reversed(picked)):  # then without a case the others already cover
        others = set().union(*(values[c] for c in picked if c != case))
        if case not in required and values[case] <= others:
            picked.remove(case)
    return sorted(picked)


def answer_cells(nb) -> dict[str, int]:
    """Map question name -> index of its answer cell (the last answer cell before its check)."""
    found, last_answer = {}, None
    for i, cell in enumerate(nb.cells):
        if "otter_answer_cell" in cell.metadata.get("tags", []):
            last_answer = i
        m = CHECK.search(cell.source) if cell.cell_type == "code" else None
        if m and last_answer is not None:
            found[m.group(1)] = last_answer
    return found


def build_submission(student: Path, answers: dict[str, str], dest: Path) -> Path:
    """Write ``student`` (a notebook) with the given answer cells replaced to ``dest``."""
    nb = nbformat.read(student, as_version=4)
    cells = answer_cells(nb)
    unknown = set(answers) - set(cells)
    if unknown:
        raise KeyError(f"no answer cell for {sorted(unknown)} in {student.name}")
    for question, code in answers.items():
        nb.cells[cells[question]].source = code
    nbformat.write(nb, dest)
    return dest


def max_scores(topic: str) -> dict[str, float]:
    """Full marks per question, from the student notebook's otter metadata and the zip."""
    import zipfile
    zip_path = ROOT / "autograder" / "dist" / topic / "autograder" / f"{topic}-autograder.zip"
    scores = {}
    with zipfile.ZipFile(zip_path) as z:
        for name in z.namelist():
            if name.startswith("tests/") and name.endswith(".py"):
                ns: dict = {}
                exec(z.read(name).decode(), ns)  # trusted: our own generated test files
                points = ns["test"]["points"]
                scores[ns["test"]["name"]] = sum(points) if isinstance(points, list) else points
    return scores


def _top_level_names(source: str) -> set[str]:
    """The names an answer cell defines at top level (functions, classes, assignments,
    imports)."""
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def packed(topic: str, names: list[str]) -> list[list[str]]:
    """The corpus cases ``names`` of ``topic`` packed into few notebooks, a list of case names
    each (first fit).

    The questions are graded independently (their hidden tests stand the reference in for the
    other questions' functions), so cases that answer different questions can share a
    notebook: each question's score in it is the score of the case that answered it, full
    marks where none did. Each notebook graded costs its cells and every question's hidden tests
    (and in the sandbox a kernel and a Spark session), so fewer notebooks save most of the
    grading's time. A case joins a group only if it answers no question another case of the
    group answers, defines no name another one defines (every answer cell runs before any
    question is graded, so the later definition would win for both), and fails only questions
    it answers; otherwise it has a notebook to itself.
    """
    groups: list[list[str]] = []
    taken: list[tuple[set, set] | None] = []
    cases = {c: read_case(ROOT / "autograder" / "corpus" / topic / f"{c}.py") for c in names}
    for name in sorted(cases, key=lambda c: (-len(cases[c].answers), c)):
        case = cases[name]
        answered = set(case.answers)
        defined = set().union(*(_top_level_names(src) for src in case.answers.values()))
        alone = not {q for q, tests in case.fails.items() if tests} <= answered
        at = None if alone else next(
            (i for i, t in enumerate(taken)
             if t is not None and not t[0] & answered and not t[1] & defined), None)
        if at is None:
            groups.append([name])
            taken.append(None if alone else (set(answered), set(defined)))
        else:
            groups[at].append(name)
            taken[at][0].update(answered)
            taken[at][1].update(defined)
    return [sorted(g) for g in groups]


def sandbox_groups(topic: str) -> list[list[str]]:
    """:func:`sandbox_cases` packed into notebooks (:func:`packed`)."""
    return packed(topic, sandbox_cases(topic))


def corpus_groups(topic: str) -> list[list[str]]:
    """Every corpus case of ``topic`` packed into notebooks (:func:`packed`), as otter's tests
    grade them."""
    return packed(topic, sorted(p.stem for p in
                                (ROOT / "autograder" / "corpus" / topic).glob("*.py")))


def group_expected(topic: str, group: list[str]) -> dict:
    """The scores a notebook holding ``group``'s answers gets (see :func:`packed`)."""
    cases = [read_case(ROOT / "autograder" / "corpus" / topic / f"{c}.py") for c in group]
    if len(cases) == 1:
        return dict(cases[0].expected)
    expected = max_scores(topic)
    for case in cases:
        expected.update({q: case.expected[q] for q in case.answers})
    return expected


def otter_scores_in_process(submissions: list[Path], topic: str, workdir: Path) -> dict:
    """Grade many submissions of ``topic`` with otter's tests in one process (see
    ``tests/otter_in_process.py``): ``{submission: ({question: score}, otter's results)}``."""
    zip_path = ROOT / "autograder" / "dist" / topic / "autograder" / f"{topic}-autograder.zip"
    out = workdir / "in-process.json"
    run = subprocess.run([sys.executable, str(Path(__file__).with_name("otter_in_process.py")),
                          str(zip_path), str(out), *map(str, submissions)],
                         capture_output=True, text=True, timeout=1800, cwd=workdir)
    assert run.returncode == 0, f"grading failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    graded = json.loads(out.read_text())
    return {Path(nb): ({t["name"]: t["score"] for t in r["tests"]}, r) for nb, r in graded.items()}
