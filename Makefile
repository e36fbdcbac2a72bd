# The two commands a newcomer needs: `make test` and (later) `make demo`. Each sets up .venv itself.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.privrec-installed
PYTEST_ARGS ?=
BENCH_JSON ?= artifacts/bench/he_scoring.json

.PHONY: install test lint typecheck pytest bench quality clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "privrec needs Python >= 3.11")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# torch first, pinned: an unpinned torch would pull gigabytes of CUDA wheels.
	$(PY) -m pip install --quiet "torch==2.13.0"
	$(PY) -m pip install --quiet -e ".[server,ml,app,dev]"
	touch $(STAMP)

install: $(STAMP)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy

pytest: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

bench: install
	$(PY) -m benchmarks.he_scoring --grid --real --json $(BENCH_JSON)

quality: install
	$(PY) -m benchmarks.quality --json artifacts/bench/quality.json

clean:
	rm -rf $(VENV) artifacts .pytest_cache .mypy_cache .ruff_cache
