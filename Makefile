# smscloud: `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
# Bytecode is compiled at install: where PYTHONDONTWRITEBYTECODE is set (as on CI machines) every
# process would otherwise compile every module it imports, and `serve` starts three of them.
PYTEST_ARGS ?=
SMSCLOUD_TEST_POSTGRES ?= postgresql://root@127.0.0.1:5432/test
NODE_PEER := tests/peers/node_smsc

.PHONY: help
help: ## Show this list
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-16s %s\n", $$1, $$2}'

.PHONY: uv
uv: ## Install uv (the package manager) if it is missing
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || \
	  python3 -m pip install --quiet uv 2>/dev/null || \
	  python3 -m pip install --quiet --user --break-system-packages uv || \
	  { echo "smscloud needs uv and could not install it with pip: install pip (apt-get install python3-pip) or uv"; exit 1; }

.PHONY: install
install: uv ## Install smscloud and its runtime dependencies into .venv (keeps other packages there)
	$(UV) sync --frozen --no-dev --inexact --compile-bytecode
	@$(UV) run --frozen --no-dev python -m compileall -q -j 0 src >/dev/null

.PHONY: run
run: install ## Install and start the whole platform on the embedded defaults (SQLite, built-in simulator)
	$(UV) run --frozen --no-dev smscloud serve

.PHONY: dev
dev: uv ## Install everything needed to develop and test (Python dev deps, the node SMPP test peer)
	$(UV) sync --frozen --compile-bytecode
	@$(UV) run --frozen python -m compileall -q -j 0 src >/dev/null
	@command -v node >/dev/null 2>&1 || { echo "node and npm are needed for the SMPP peer tests (apt-get install nodejs npm)"; exit 1; }
	cd $(NODE_PEER) && npm ci --no-audit --no-fund --loglevel=error

.PHONY: check
check: dev ## Lint, format check, types (mypy strict), import contracts
	$(UV) run --frozen ruff check src tests benchmarks
	$(UV) run --frozen ruff format --check src tests benchmarks
	$(UV) run --frozen mypy
	$(UV) run --frozen lint-imports

.PHONY: test-sqlite
test-sqlite: dev ## Run the test suite on SQLite
	SMSCLOUD_TEST_DATABASE=sqlite PYTHONASYNCIODEBUG=1 $(UV) run --frozen pytest $(PYTEST_ARGS)

.PHONY: test-postgres
test-postgres: dev ## Run the test suite on PostgreSQL (the server in SMSCLOUD_TEST_POSTGRES)
	SMSCLOUD_TEST_DATABASE=$(SMSCLOUD_TEST_POSTGRES) PYTHONASYNCIODEBUG=1 $(UV) run --frozen pytest $(PYTEST_ARGS)

.PHONY: test
test: check test-sqlite test-postgres ## Install and run every check and the whole suite on SQLite and PostgreSQL

# The PostgreSQL benchmarks empty every smscloud table of this database (it is created if missing).
# Set it empty (`make bench SMSCLOUD_BENCH_POSTGRES=`) to run on SQLite only.
SMSCLOUD_BENCH_POSTGRES ?= postgresql://root@127.0.0.1:5432/smscloud_bench

.PHONY: bench
bench: dev ## Run the benchmarks on SQLite, then on SMSCLOUD_BENCH_POSTGRES, which they empty (needs wrk)
	@command -v wrk >/dev/null 2>&1 || { echo "wrk is needed for the API benchmark: apt-get install wrk"; exit 1; }
	$(UV) run --frozen python -m benchmarks.run_all $(if $(SMSCLOUD_BENCH_POSTGRES),--postgres $(SMSCLOUD_BENCH_POSTGRES))
