# jichitai_dx: two commands for people — `make build` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := build

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | sha1sum | cut -c1-12)
RAW ?= ../shared/data/raw
REFERENCE ?= ../shared/reference/jri-2024-032

export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export GX_ANALYTICS_ENABLED := false
# the commit a build comes from, for the build_info table (-dirty when the tree has changes)
export JDX_GIT_COMMIT ?= $(shell git describe --always --dirty --abbrev=40 2>/dev/null)

WAREHOUSE := warehouse/jichitai_dx.duckdb
SCRATCH_DIR := build/scratch
SCRATCH_DB := $(SCRATCH_DIR)/jichitai_dx.duckdb
LINT_DIR := build/lint
# lint and GX run beside the tests at the lowest CPU priority: they take the CPU the tests leave idle
# (a browser check waiting for its page, a single-threaded test); pytest runs on 2 processes (2 cores here)
BESIDE ?= nice -n 19
PYTEST_WORKERS ?= 2
STAMP_FILE := build/build-stamp.json
# set by dbt-test when it takes the warehouse and site of the last `make build` (same inputs, see jdx build-stamp)
REUSED := $(SCRATCH_DIR)/.from-make-build

## bench: scale benchmark (not part of make test); rewrites docs/generated/benchmarks.md
.PHONY: bench
bench: venv sample
	$(BIN)/python -m jdx bench

## bench-site: only the site part of the benchmark (the Evidence site against its Evidence floor, 2 alternating
## rounds over the scratch warehouse of `make site-test`); rewrites the site section of docs/generated/benchmarks.md
.PHONY: bench-site
bench-site: venv
	$(BIN)/python -m jdx bench --site-only --runs 2 --db $(SCRATCH_DB)

.PHONY: build test venv sample lint dbt-test gx pytest report site-test browser-deps seeds-reference seeds-published seeds-survey card-evidence clean

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@echo "==> creating $(VENV) from pinned requirements.txt, then the jdx package (pyproject.toml)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install -qq --disable-pip-version-check --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

## sample: regenerate the calibrated sample answer seeds (deterministic, a few seconds)
sample: venv
	$(BIN)/python -m jdx sample --strict

## build: create the venv if needed, then build every model and run its data tests into warehouse/
## (its last step stamps what it built from which inputs: build/build-stamp.json, see `make test`)
build: venv sample
	$(BIN)/python -m jdx build-stamp begin --stamp $(STAMP_FILE)
	$(BIN)/python -m jdx publish
	$(BIN)/python -m jdx scorecard
	$(MAKE) --no-print-directory report
	$(BIN)/python -m jdx build-stamp write --stamp $(STAMP_FILE)

## report: the Evidence site (reports/) under build/site/ from the published warehouse, with the dbt docs
## (npm ci in reports/ when node_modules is missing; fails on any query error in Evidence's logs)
report: venv
	$(BIN)/dbt docs generate --static --target-path target/docs --quiet
	$(BIN)/python -m jdx.report.evidence_site --db $(WAREHOUSE) --out build/site --dbt-docs target/docs/static_index.html

## test: everything from nothing — the sample, lint, dbt build into a scratch database, GX, the site, pytest.
## Lint runs beside the rest (its own scratch database), GX beside pytest (both read the scratch database
## read-only), both at the lowest CPU priority (BESIDE: they take the CPU the tests leave idle); their output
## is printed at the end (build/logs/lint.log, build/logs/gx.log). PYTEST_WORKERS: pytest-xdist's processes.
## Right after a `make build` of the very same inputs (`jdx build-stamp check`: every input file, the
## warehouse and the site unchanged) it takes that build's sample seeds and tests a copy of its warehouse and
## its site instead of making them again (never under CI=true)
test: venv browser-deps
	@mkdir -p build/logs
	@if [ -z "$(CI)" ] && $(BIN)/python -m jdx build-stamp check --stamp $(STAMP_FILE) >/dev/null 2>&1; then \
		echo "test: the inputs are those \`make build\` stamped: its sample seeds stand (generated from the same generator and files)"; \
	else $(MAKE) --no-print-directory sample; fi
	@echo "==> lint runs beside the tests, GX beside pytest (their output at the end; build/logs/lint.log, build/logs/gx.log)"
	@rm -f build/logs/lint.rc build/logs/gx.rc build/logs/gx.log
	@( $(BESIDE) $(MAKE) --no-print-directory lint > build/logs/lint.log 2>&1; echo $$? > build/logs/lint.rc ) & \
	$(MAKE) --no-print-directory dbt-test site-test && { \
		( $(BESIDE) $(MAKE) --no-print-directory gx > build/logs/gx.log 2>&1; echo $$? > build/logs/gx.rc ) & \
		$(MAKE) --no-print-directory pytest; }; rc=$$?; wait; \
	echo "==> GX (ran beside pytest)"; cat build/logs/gx.log 2>/dev/null; gx_rc=$$(cat build/logs/gx.rc 2>/dev/null || echo "not run"); \
	echo "==> lint (ran beside the tests)"; cat build/logs/lint.log; lint_rc=$$(cat build/logs/lint.rc); \
	if [ "$$gx_rc" != 0 ]; then echo "GX failed (exit $$gx_rc)" >&2; fi; \
	if [ "$$lint_rc" != 0 ]; then echo "lint failed (exit $$lint_rc)" >&2; fi; \
	[ "$$rc" = 0 ] && [ "$$gx_rc" = 0 ] && [ "$$lint_rc" = 0 ]

## lint: sqlfluff on the SQL, ruff and mypy on the Python (configured in pyproject.toml); sqlfluff's dbt
## templater compiles against an empty database of its own (build/lint), so lint can run beside dbt-test
lint: venv
	@mkdir -p $(LINT_DIR)
	$(BIN)/ruff check scripts tests/python
	$(BIN)/mypy
	JDX_DUCKDB_PATH=$(LINT_DIR)/jichitai_dx.duckdb $(BIN)/sqlfluff lint --processes 2 models tests/dbt analyses

dbt-test: venv
	@rm -rf $(SCRATCH_DIR) && mkdir -p $(SCRATCH_DIR)
	@if [ -z "$(CI)" ] && $(BIN)/python -m jdx build-stamp check --stamp $(STAMP_FILE); then \
		echo "dbt-test: testing a copy of the warehouse \`make build\` published from these inputs (its dbt build ran every data and unit test)"; \
		cp $(WAREHOUSE) $(SCRATCH_DB) && ln -s ../site $(SCRATCH_DIR)/site && touch $(REUSED); \
	else \
		echo "JDX_DUCKDB_PATH=$(SCRATCH_DB) $(BIN)/dbt build --full-refresh --target-path target/scratch"; \
		JDX_DUCKDB_PATH=$(SCRATCH_DB) $(BIN)/dbt build --full-refresh --target-path target/scratch; \
	fi

## browser-deps: Debian's chromium and CJK fonts for the browser tests (installed when missing and root)
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		if [ "$$(id -u)" = "0" ]; then \
			echo "==> installing chromium and fonts-noto-cjk (Debian)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
		else \
			echo "browser-deps: chromium or fonts-noto-cjk missing and not root: the browser tests will fail" >&2; \
		fi; \
	fi

site-test: venv
	@if [ -e $(REUSED) ]; then echo "site-test: the site tested is the one \`make build\` built (build/site)"; else \
		set -e; \
		JDX_DUCKDB_PATH=$(SCRATCH_DB) $(BIN)/dbt docs generate --static --target-path target/scratch-docs --quiet; \
		$(BIN)/python -m jdx.report.evidence_site --db $(SCRATCH_DB) --out $(SCRATCH_DIR)/site --dbt-docs target/scratch-docs/static_index.html; \
	fi

gx: venv
	$(BIN)/python -m jdx gx --db $(SCRATCH_DB) --docs build/gx/data_docs

pytest: venv
	JDX_DUCKDB_PATH=$(CURDIR)/$(SCRATCH_DB) JDX_SITE_DIR=$(CURDIR)/$(SCRATCH_DIR)/site $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup --no-loadscope-reorder --durations=25 tests/python

## seeds-reference: rebuild seeds/reference from the raw public files (needs ../shared)
seeds-reference: venv
	$(BIN)/python -m jdx reference --raw $(RAW)

## seeds-published: copy the report's published figures into seeds/published (needs ../shared)
seeds-published: venv
	$(BIN)/python -m jdx published --reference $(REFERENCE)

## seeds-survey: rebuild the raw answer seeds (dashboard, card issuance) from the raw files (needs ../shared)
seeds-survey: venv
	$(BIN)/python -m jdx survey --raw $(RAW)

## card-evidence: which card snapshot and aggregation reproduce figure 23 (reads the built warehouse)
card-evidence: venv
	$(BIN)/python -m jdx card-evidence

## clean: remove build outputs (target, build, logs, the Evidence build caches); keeps .venv, warehouse/ and node_modules
clean:
	rm -rf target build logs dbt_packages reports/build reports/.warehouse reports/.evidence reports/static/dbt
