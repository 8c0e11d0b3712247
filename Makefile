# distml-notebooks: every command a newcomer needs. `make lab` to learn, `make test` to check.
# Each target does its own set-up, is idempotent, and is fast the second time.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# Spark's Python workers must run the environment's Python, not whatever python3 is on PATH.
export PYSPARK_PYTHON := $(abspath $(BIN)/python)
export PYSPARK_DRIVER_PYTHON := $(abspath $(BIN)/python)
# Hash randomisation off so reruns partition and grade identically.
export PYTHONHASHSEED := 0

# JupyterLab: `make lab PORT=8899 BROWSER=no`; NOTEBOOK_DIR= serves another folder
# (the browser tests serve a copy, since JupyterLab autosaves).
PORT    ?= 8888
BROWSER ?= yes
NOTEBOOK_DIR ?= notebooks
# Tests: `make test PYTEST_ARGS="-k closed_form"`; WORKERS=1 to run serially.
WORKERS ?= 2
PYTEST_ARGS ?=

.PHONY: help setup setup-dev check-env data lab test test-quick test-notebooks test-grading test-system test-machines assign gradescope grade bench cluster-up cluster-down clean

help:
	@echo "make lab      set up and open JupyterLab on notebooks/  (PORT=, BROWSER=no, NOTEBOOK_DIR=)"
	@echo "make setup    the student's environment in .venv (requirements.txt); setup-dev adds the test tools"
	@echo "make test     set up and run the whole test suite (what CI runs)"
	@echo "make test-quick | test-notebooks | test-grading | test-system   one tier of it"
	@echo "make test-machines   every master on 8 cores and on a cluster (.ci/run runs it too)"
	@echo "make assign   rebuild student notebooks, autograder and samples from the masters"
	@echo "make gradescope   the autograder zips to upload to Gradescope, data included (build/gradescope/)"
	@echo "make grade SUBMISSIONS=DIR [OUT=grades.csv]   grade a folder of notebooks, sandboxed"
	@echo "make bench    measure the course's code against numpy and MLlib (bench/results.json)"
	@echo "make cluster-up / cluster-down   a local Spark standalone cluster (master + 2 workers)"
	@echo "make clean    remove the virtual environment"

check-env:
	@$(PYTHON) helpers/environment.py

# uv installs the same pinned wheels as pip (checked: the same `pip freeze`) in a quarter of the
# time, which is most of a clean clone's set-up; pip itself stays in the environment for students.
# --compile-bytecode writes the .pyc files as pip does by default (uv does not): where
# PYTHONDONTWRITEBYTECODE is set (CI here, some hubs) nothing else writes them, and every Python
# process (kernel, Spark worker daemon, grader sandbox, test) compiled pyspark, pandas and numpy
# from source again: importing helpers and pyspark.mllib took 3.4 s instead of 0.6 here.
UV_VERSION := 0.13.9
INSTALL = $(BIN)/python -m uv pip install --quiet --compile-bytecode --python $(BIN)/python

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@$(PYTHON) helpers/environment.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv==$(UV_VERSION)
	$(INSTALL) -r requirements.txt -c constraints.txt
	$(INSTALL) --no-deps -e .
	@touch $@

# Test, browser and benchmark tooling (requirements-dev.txt) on top of the student's environment.
$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(INSTALL) -r requirements-dev.txt -c constraints.txt
	@touch $@

setup: check-env $(STAMP) data
	@$(BIN)/python -m helpers

setup-dev: setup $(DEV_STAMP)

data: $(STAMP)
	@$(BIN)/python -c "import sys; from helpers.datafiles import main; sys.exit(main(['locate']))"

lab: setup
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
	  --ServerApp.root_dir=$(NOTEBOOK_DIR) $(if $(filter no,$(BROWSER)),--no-browser,) \
	  $(if $(filter 0,$(shell id -u)),--allow-root,)

# Tests, in four tiers (pytest markers, see conftest.py); `make test` runs them all in one pytest
# run, which is what .ci/run calls. -rs: every skip says why.
#   test-quick      unit tests and doctests (helpers, the grader's parts, tools/assign.py) and the
#                   generated-files check: the loop to run after every change
#   test-notebooks  every master top to bottom (nbval, in a kernel on one core with the songs as
#                   `make lab` prepares them from the UCI archive: conftest.py) and the student
#                   notebooks' set-up cells
#   test-grading    otter and the sandboxed grader on the corpus and the hostile set
#   test-system     the standalone cluster and the browser
# and, not in `make test` (.ci/run runs it after), one more tier:
#   test-machines   every master top to bottom on 8 cores (local[8], the shared songs) and on the
#                   standalone cluster (the UCI-prepared songs): the structures and the data path
#                   nbval's one-core run does not have, every printed model-vs-measurement pair
#                   asserted
# A notebook's cells stay on one xdist worker (conftest.py); the rest spread out, the longest
# groups first (conftest.py orders them; xdist would order them by their number of tests).
# Test JVMs live for a minute or two: the quick JIT and one GC thread start them sooner.
PYTEST = $(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup --no-loadscope-reorder -rs
NBVAL  = --nbval-lax autograder/source
test test-quick test-notebooks test-grading test-system test-machines: export DISTML_JAVA_OPTIONS := -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
# A printed model-vs-measurement pair that disagrees fails its cell (helpers/meter.py), so every
# notebook run of the suite (nbval, the notebook-models runs, the cluster) asserts its pairs.
test test-quick test-notebooks test-grading test-system test-machines: export DISTML_STRICT_MODELS := 1

test: setup-dev
	$(PYTEST) -m "not machines" tests helpers $(NBVAL) $(PYTEST_ARGS)

test-quick: setup-dev
	$(PYTEST) -m quick tests helpers $(PYTEST_ARGS)

test-notebooks: setup-dev
	$(PYTEST) -m notebooks tests $(NBVAL) $(PYTEST_ARGS)

test-grading: setup-dev
	$(PYTEST) -m grading tests $(PYTEST_ARGS)

test-system: setup-dev
	$(PYTEST) -m system tests $(PYTEST_ARGS)

test-machines: setup-dev
	$(PYTEST) -m machines tests $(PYTEST_ARGS)

assign: $(STAMP)
	$(BIN)/python tools/assign.py $(NOTEBOOKS)

# The zips to upload to Gradescope: each committed autograder zip (rebuilt first, so never stale)
# plus the data file, which is never committed: build/gradescope/NN_topic-autograder.zip.
# Takes the data from DISTML_DATA_DIR or data/cache/ and never downloads (`make data` does).
gradescope: assign
	$(BIN)/python tools/gradescope.py $(NOTEBOOKS)

# Instructors: every .ipynb under SUBMISSIONS, each in its own sandbox (bubblewrap when present);
# a CSV row per file in OUT, feedback for students in <OUT stem>-feedback/ and the instructor's
# reports in <OUT stem>-report/. GRADE_ARGS= passes more options (--reveal, --shard K/N: see
# `.venv/bin/python -m autograder.grader --help`).
SUBMISSIONS ?=
OUT ?= grades.csv
GRADE_ARGS ?=
grade: setup
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder-of-notebooks [OUT=grades.csv]"; exit 2; }
	$(BIN)/python -m autograder.grader "$(SUBMISSIONS)" --out "$(OUT)" $(GRADE_ARGS)

# Not part of `make test`: timings are measured here and never asserted.
bench: setup-dev
	DISTML_DRIVER_MEMORY=$(or $(DISTML_DRIVER_MEMORY),12g) $(BIN)/python bench/run.py $(BENCH_ARGS)

cluster-up: $(STAMP)
	@$(BIN)/python tools/cluster.py up

cluster-down: $(STAMP)
	@$(BIN)/python tools/cluster.py down

clean:
	rm -rf $(VENV)
