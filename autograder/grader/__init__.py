"""Instructor grading that no submission can break, game or lose.

``python -m autograder.grader SUBMISSIONS [--out grades.csv] [--jobs 2]`` (or ``make grade
SUBMISSIONS=DIR``) grades every notebook under SUBMISSIONS in a sandbox and writes one CSV row
per file; see :mod:`autograder.grader.cli` for the options and the columns.

Modules: :mod:`.cli` (the batch), :mod:`.assignments` (probe files, trusted notebooks, reading
submissions), :mod:`.runner` (one submission, step by step, with deadlines and restarts),
:mod:`.sandbox` (bubblewrap, cgroups, rlimits), :mod:`.harness` (what runs inside the sandbox),
:mod:`.spec` (what probe files are made of, and the checks), :mod:`.scoring` (scores, reference
results, feedback), :mod:`.report` (CSV, journal).
"""
