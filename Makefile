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

EXAMPLE_QUERY := select f.period_type, f.period_end, f.value as first_published, f.published_at as first_at, l.value as latest, l.published_at as latest_at from v_first_release f join v_latest l using (series_key, period_type, period_start, period_end) where f.series_key = 'IIP.VN._T._Z._Z.INDEX_YOY.INDEX' and f.period_end between date '2024-07-31' and date '2024-09-30' order by f.period_type, f.period_end

.PHONY: run test test-fast lint bench docs clean serve stop status

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

REGISTERS := flows/reference/registers

run: $(STAMP)
	CHISO_MIRROR=bundled PREFECT_LOGGING_LEVEL=WARNING $(BIN)/chiso run
	PREFECT_LOGGING_LEVEL=WARNING $(BIN)/chiso ingest files --published-at 2024-10-15 \
	  --file $(REGISTERS)/haiphong_industrial_parks.csv --mapping $(REGISTERS)/haiphong_industrial_parks.toml
	PREFECT_LOGGING_LEVEL=WARNING $(BIN)/chiso ingest files --published-at 2024-10-15 \
	  --file $(REGISTERS)/haiphong_industrial_park_totals.csv --mapping $(REGISTERS)/haiphong_industrial_park_totals.toml
	$(BIN)/chiso sql "$(EXAMPLE_QUERY)"
	$(BIN)/chiso report

# Everything but `live` (the publishers over the network), with the service, lake, browser,
# crash-safety, install and extended tests, on two pytest-xdist workers (the modules that share
# a server run on one: LANES in tests/conftest.py): 7-10 minutes on 2 cores, against 12-16 in
# one process (`.venv/bin/python -m pytest`, as for one file or `-s`).
TEST_WORKERS ?= 2

test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

# The quick loop while working (~3 minutes on 2 cores, ~4 in one process): no Prefect harness
# or service, PostgreSQL, Chromium, SIGKILL, wheel install, shared releases or slow tests (each
# a marker in pyproject.toml; `make test` runs them all).
FAST := not live and not flow and not service and not lake and not browser and not kill and not install and not extended and not slow

test-fast: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m '$(FAST)'

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# The scheduled service (flows/orchestration/service.py): Prefect server on 127.0.0.1:$(SERVE_PORT), the
# chiso work pool, every deployment of prefect.yaml, the alerts and a worker, in the background.
SERVE_PORT ?= 4200

serve: $(STAMP)
	$(BIN)/python -m flows.orchestration.service serve --port $(SERVE_PORT)

stop:
	$(BIN)/python -m flows.orchestration.service stop

status:
	$(BIN)/python -m flows.orchestration.service status

# Every benchmark at full size (tests/benchmarks/run_all.py: backfill, bulk_load, noop_poll,
# release_day, queries; backfill needs ../shared/releases/gso; bulk_load and queries take
# several minutes and a few GB of disk), then a table of their figures.
bench: $(STAMP)
	$(BIN)/python tests/benchmarks/run_all.py

# docs/data-dictionary.md from the warehouse's COMMENT ONs (tests/test_dictionary.py keeps it current)
# and docs/codes.md from flows/reference/codes.csv (tests/test_codes.py).
docs: $(STAMP)
	$(BIN)/python -m warehouse.dictionary --output docs/data-dictionary.md
	$(BIN)/python -m flows.core.codes --output docs/codes.md

clean:
	-$(BIN)/python -m flows.orchestration.service stop
	rm -rf $(VENV) .prefect warehouse/*.duckdb* warehouse/*.lock warehouse/archive
