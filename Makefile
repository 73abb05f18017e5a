# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
EXTRAS := detectors,gui,postgres,dev

.PHONY: run test check typecheck layers bench postgres screenshots clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall when the dependency list changes.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[$(EXTRAS)]"
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/jurist gui

# PostgreSQL binaries for the store's tests; the test run starts and stops its own cluster.
postgres:
	@bash .ci/ensure-postgres

test: $(STAMP) postgres
	QT_QPA_PLATFORM=offscreen JURIST_REQUIRE_POSTGRES=1 $(PY) -m pytest -q

# mypy and import-linter read the `jurist` package through a symlinked view (.ci/package-view).
typecheck: $(STAMP)
	@bash .ci/package-view
	$(VENV)/bin/mypy

layers: $(STAMP)
	@bash .ci/package-view
	cd build/package-view && PYTHONPATH=. ../../$(VENV)/bin/lint-imports --no-cache ../../pyproject.toml

check: $(STAMP)
	$(VENV)/bin/jurist check rulesets/

bench: $(STAMP)
	$(PY) -m pip install --quiet -e ".[$(EXTRAS),bench]"
	$(PY) bench/run_all.py

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) docs/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache
