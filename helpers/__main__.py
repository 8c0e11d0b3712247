"""``python -m helpers``: record the JVM class archive that makes Spark start faster (once).

``make setup`` runs it; conda users run it once after ``conda env create``.
"""

from helpers.session import build_class_archive

if __name__ == "__main__":  # not when pytest's doctest collection imports this file
    build_class_archive()
