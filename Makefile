# Two commands on a fresh machine with Python 3.11+ and make: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test unit service e2e deployed test-tools clean install bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## make run: the whole system on embedded defaults, replaying the Đồng Du conference (ONCE=1 exits after the summary)
# `exec`: the recipe's shell becomes `dialogue up`, so the SIGTERM make passes to its child reaches it
# (GNU make forwards SIGTERM only; a SIGINT or SIGHUP sent to make's process alone is not passed on,
# while Ctrl-C in the terminal reaches the whole group; send SIGTERM to stop `make run` from a script).
run: $(STAMP)
	exec $(BIN)/dialogue up --demo $(if $(ONCE),--once,)

# Real servers and tools the tests start: Prometheus, Alertmanager, docker-compose (apt, as root) and the
# MongoDB-compatible test server in its own .venv-mongo (never a project dependency).
test-tools:
	@bash scripts/install-test-tools.sh
	@bash scripts/install-mongo-test-server.sh

## make test: ruff, mypy and every test layer (the deployment layer included)
test: $(STAMP) test-tools
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -q

unit: $(STAMP)
	$(BIN)/pytest -q -m unit

service: $(STAMP)
	$(BIN)/pytest -q -m service

e2e: $(STAMP)
	$(BIN)/pytest -q -m e2e

## make deployed: the stack started from deploy/ itself (NATS config and accounts, compose environment,
## read-only roots, MongoDB-compatible server and SQLite, Prometheus and Alertmanager); needs root
deployed: $(STAMP) test-tools
	$(BIN)/pytest -q -m deployed

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache

## make bench: throughput and latency against raw nats-py and FastStream baselines → docs/benchmarks.md, then the
## portal's pages under wrk beside a bare Starlette app → docs/benchmarks-portal.md (not part of `make test`)
bench: $(STAMP) test-tools
	$(BIN)/python -m bench
	$(BIN)/python -m bench.portal_web
