"""``python -m autograder.grader SUBMISSIONS [--out FILE] [--jobs N]`` (from the repository root),
or ``python autograder/grader SUBMISSIONS ...`` from anywhere."""

import sys
from pathlib import Path

if not __package__:  # run as a path: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from autograder.grader.cli import main  # noqa: E402

sys.exit(main())
