# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
EXTRAS := detectors,gui,postgres,dev,backtest
# BlazeFace's model file (Apache-2.0) comes from this wheel.  Without its dependencies: we never import
# mediapipe, and they would bring JAX and OpenCV's full build, whose Qt clashes with PySide6.
MEDIAPIPE := mediapipe==0.10.14

.PHONY: run test check typecheck layers bench fuzz stress postgres qt-libs display screenshots translations clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall when the dependency list changes.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[$(EXTRAS)]"
	$(PY) -m pip install --quiet --no-deps $(MEDIAPIPE)
	touch $(STAMP)

# Qt's window needs system libraries the wheel does not bring: installed (or named) before the store is touched.
run: qt-libs
	$(VENV)/bin/jurist gui

qt-libs: $(STAMP)
	@bash .ci/ensure-qt-libs $(PY)

# The same, and Xvfb: the real-window test opens the GUI on a virtual display of its own.
display: $(STAMP)
	@bash .ci/ensure-qt-libs $(PY) --xvfb

# PostgreSQL binaries for the store's tests; the test run starts and stops its own cluster.
postgres:
	@bash .ci/ensure-postgres

# Types and layers first (seconds), then the suite.
test: $(STAMP) postgres display typecheck layers
	QT_QPA_PLATFORM=offscreen JURIST_REQUIRE_POSTGRES=1 JURIST_REQUIRE_DISPLAY=1 $(PY) -m pytest -q

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

# The suite fuzzes a few hundred examples; this runs the same properties for MINUTES (default 10).
MINUTES ?= 10
fuzz: $(STAMP)
	$(PY) fuzz/run.py --minutes $(MINUTES)

# Issue 15's stress run: pathological compiles, 100,000 fuzzed requests, hostile images (bounded, no network).
stress: $(STAMP)
	$(PY) bench/stress.py

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) docs/screenshots.py

# The GUI's French: refresh the catalogue from the code (new strings come in unfinished, gone ones go), then
# compile it.  Both files are committed, so installing needs no Qt tools; a test fails when they fall behind.
TS := gui/translations/jurist_fr.ts
translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate $$(find gui -name '*.py' | sort) -no-obsolete -locations none -ts $(TS)
	$(VENV)/bin/pyside6-lrelease $(TS) -qm $(TS:.ts=.qm)

clean:
	rm -rf $(VENV) .pytest_cache
