"""The course's grading: question declarations (``questions/``) and the graders (``grader/``)."""
