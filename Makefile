# jichitai_dx: two commands for people — `make build` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := build

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)
RAW ?= ../shared/data/raw
REFERENCE ?= ../shared/reference/jri-2024-032

export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export GX_ANALYTICS_ENABLED := false
export PYTHONPATH := $(CURDIR)/scripts

WAREHOUSE := warehouse/jichitai_dx.duckdb
SCRATCH_DIR := build/scratch
SCRATCH_DB := $(SCRATCH_DIR)/jichitai_dx.duckdb

.PHONY: build test venv sample lint dbt-test gx pytest seeds-reference seeds-published seeds-survey card-evidence clean

venv: $(STAMP)

$(STAMP): requirements.txt
	@echo "==> creating $(VENV) from pinned requirements.txt"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

## sample: regenerate the calibrated sample answer seeds (deterministic, a few seconds)
sample: venv
	$(BIN)/python -m jdx sample --strict

## build: create the venv if needed, then build every model and run its data tests into warehouse/
build: venv sample
	@mkdir -p warehouse
	$(BIN)/dbt build --full-refresh
	$(BIN)/python -m jdx scorecard

## test: everything from nothing — lint, dbt build into a scratch database, pytest
test: venv sample lint dbt-test gx pytest

lint: venv sample
	@mkdir -p $(SCRATCH_DIR)
	JDX_DUCKDB_PATH=$(SCRATCH_DB) $(BIN)/sqlfluff lint models tests/dbt analyses

dbt-test: venv sample
	@rm -rf $(SCRATCH_DIR) && mkdir -p $(SCRATCH_DIR)
	JDX_DUCKDB_PATH=$(SCRATCH_DB) $(BIN)/dbt build --full-refresh --target-path target/scratch

gx: venv
	$(BIN)/python -m jdx gx --db $(SCRATCH_DB) --docs build/gx/data_docs

pytest: venv
	JDX_DUCKDB_PATH=$(CURDIR)/$(SCRATCH_DB) $(BIN)/python -m pytest tests/python

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

clean:
	rm -rf target build logs dbt_packages
