# Two commands on a fresh machine: `make run` (the demo) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Prefect without a server starts a temporary one; its first migrations take ~30 s.
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 120
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export DO_NOT_TRACK ?= 1
export PREFECT_HOME ?= $(CURDIR)/.prefect

EXAMPLE_QUERY := select indicator, industry, measure, period_type, period_start, value, status, published_at from v_latest where series_key like 'IIP.VN._T.%' and period_start = date '2024-09-01' order by measure, period_type

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(STAMP)
	CHISO_MIRROR=bundled $(BIN)/chiso run
	$(BIN)/chiso sql "$(EXAMPLE_QUERY)"

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python tests/benchmarks/backfill.py

clean:
	rm -rf $(VENV) .prefect warehouse/*.duckdb* warehouse/*.lock warehouse/archive
