"""Every question of the series, declared once (``NN_topic.py``; see ``README.md`` here).

Files, not modules: their names start with a digit, so :func:`autograder.grader.incell.declarations`
loads them by path. ``expected/`` holds the reference's results on their calls (``make assign``).
"""
