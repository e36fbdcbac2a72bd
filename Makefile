# The two commands a newcomer needs: `make demo` and `make test`. Each sets up .venv itself.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.privrec-installed
PYTEST_ARGS ?=
# Two pytest-xdist workers (the machines have two cores); PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2
BENCH_JSON ?= artifacts/bench/he_scoring.json

.PHONY: install ui-deps web-deps demo reference-bundles test lint typecheck pytest bench bench-compare compare-deps quality clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "privrec needs Python >= 3.11")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# torch first, pinned: an unpinned torch would pull gigabytes of CUDA wheels.
	$(PY) -m pip install --quiet "torch==2.13.0"
	$(PY) -m pip install --quiet -e ".[server,ml,app,cluster,dev]"
	touch $(STAMP)

install: $(STAMP) ui-deps web-deps

# Debian packages $(1), needed by $(2): on a fresh Debian machine (CI runs as root) the missing
# ones are installed; elsewhere they are named.
define debian_packages
	@missing="$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done)"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing $$missing"; \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
		else \
			echo "these Debian packages are needed by $(2): $$missing (sudo apt-get install $$missing)"; \
		fi; \
	fi
endef

# The UI tests need a virtual display (Xvfb) and Mesa's software OpenGL.
UI_PACKAGES := xvfb xauth libgl1 libgl1-mesa-dri libegl1 libmtdev1 xclip
ui-deps:
	$(call debian_packages,$(UI_PACKAGES),the UI tests)

# The web pages' browser tests drive Debian's Chromium through Playwright (which never
# downloads a browser of its own here); fonts-dejavu-core gives its text a font.
WEB_PACKAGES := chromium fonts-dejavu-core
web-deps:
	$(call debian_packages,$(WEB_PACKAGES),the web tests)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy

pytest: install
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

test: lint typecheck pytest

# The embedded market, the reference models and a demo user; HEADLESS=1 stays in the terminal.
demo: install
	$(PY) -m privrec_cli demo $(if $(HEADLESS),--headless,)

# Rebuild the shipped reference bundles (deterministic: same bytes on a rebuild).
REFERENCE_MODELS := retail-two-tower retail-again retail-content books-two-tower books-popular places-nearby \
	web-two-tower web-content cross-books \
	music-two-tower music-content
reference-bundles: install
	rm -rf artifacts/reference && mkdir -p artifacts/reference
	for name in $(REFERENCE_MODELS); do \
		$(PY) -m privrec_cli model train $$name --out artifacts/reference/$$name --quiet && \
		$(PY) -m privrec_cli model export artifacts/reference/$$name \
			--out recommenders/data/reference/$$name.zip || exit 1; \
	done

bench: install
	$(PY) -m benchmarks.he_scoring --grid --real --json $(BENCH_JSON)

# OpenFHE, side by side with privrec (benchmarks/he_compare.py). Benchmark-only: the `compare`
# extra (OpenFHE's PyPI wheel, for its compiled libraries; its Python module does not import on
# 3.11) is installed here, never by `make install`, and nothing in the packages imports it. The
# driver is built from benchmarks/openfhe/ (OpenFHE's headers of the wheel's version) with g++
# and Debian's cereal headers.
COMPARE_JSON ?= artifacts/bench/he_compare.json
COMPARE_ITEMS ?= 100000
COMPARE_ARGS ?=
OPENFHE_BSGS := artifacts/openfhe/openfhe_bsgs
COMPARE_PACKAGES := g++ libcereal-dev
compare-deps: install
	$(PY) -m pip install --quiet -e ".[compare]"
	$(call debian_packages,$(COMPARE_PACKAGES),the OpenFHE comparison)

$(OPENFHE_BSGS): benchmarks/openfhe/openfhe_bsgs.cpp | compare-deps
	mkdir -p $(dir $@)
	# find_spec locates the wheel without importing it.
	lib="$$($(PY) -c 'import importlib.util, pathlib; print(pathlib.Path(importlib.util.find_spec("openfhe").origin).parent / "lib")')" && \
	g++ -std=c++17 -O2 -DMATHBACKEND=4 -fopenmp -w \
		-Ibenchmarks/openfhe/include/core -Ibenchmarks/openfhe/include/pke -Ibenchmarks/openfhe/include/binfhe \
		-o $@ $< "$$lib/libOPENFHEpke.so.1" "$$lib/libOPENFHEcore.so.1" -Wl,--disable-new-dtags,-rpath,"$$lib"

bench-compare: $(OPENFHE_BSGS)
	nice -n 5 $(PY) -m benchmarks.he_compare --openfhe $(OPENFHE_BSGS) --items $(COMPARE_ITEMS) \
		--json $(COMPARE_JSON) $(COMPARE_ARGS)

quality: install
	$(PY) -m benchmarks.quality --json artifacts/bench/quality.json

clean:
	rm -rf $(VENV) artifacts .pytest_cache .mypy_cache .ruff_cache
