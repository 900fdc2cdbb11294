# Two entry points, both self-contained on a fresh machine:
#   make build  - set up .venv and compile the PFM monitoring into build/
#   make test   - the same set-up plus test tools, Prometheus' binaries, then the whole suite
.DEFAULT_GOAL := build
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORPUS ?= $(abspath ../shared/corpus)

.PHONY: build test check lint tools browser reference schema-tools peer-client bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the project's metadata changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --only-binary=promql-parser --config-settings editable_mode=compat -e .
	$(BIN)/python -m compileall -q pfm_dash  # editable installs are not byte-compiled by pip
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet --only-binary=promql-parser --config-settings editable_mode=compat -e '.[test]'
	touch $@

build: $(VENV)/.installed
	$(BIN)/pfm-dash build

# promtool/prometheus and amtool/prometheus-alertmanager come from Debian's packages.
tools:
	@if command -v promtool >/dev/null && command -v amtool >/dev/null \
	    && command -v prometheus >/dev/null && command -v prometheus-alertmanager >/dev/null; then \
	  :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's prometheus and prometheus-alertmanager (promtool, amtool)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends prometheus prometheus-alertmanager >/dev/null; \
	else \
	  echo "error: promtool/amtool are missing and cannot be installed here (need root and apt-get)." >&2; \
	  echo "       Install Debian's packages 'prometheus' and 'prometheus-alertmanager', then re-run." >&2; \
	  exit 1; \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check pfm_dash tests bench dashboards alerts
	$(BIN)/ruff format --check pfm_dash tests bench dashboards alerts
	$(BIN)/mypy
	$(BIN)/mypy --strict dashboards alerts  # the declarations, as an editor checks them

# @grafana/schema and typescript (pinned in tests/schema/package-lock.json) for the schema
# check, npm ci'd into .cache/schema; skipped with a message where node/npm are missing.
schema-tools: $(BIN)/python
	$(BIN)/python tests/grafana_schema.py install

# grafana-client, a peer client the fake Grafana must satisfy (tests/testing/fake_grafana/
# test_peer_client.py), in a venv of its own: its niquests pulls in urllib3-future, which
# replaces urllib3 in any environment it is installed into, so it must stay out of .venv.
PEER_VENV := .cache/peer
$(PEER_VENV)/.installed:
	$(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/pip install --quiet 'grafana-client>=5,<6'
	touch $@

peer-client: $(PEER_VENV)/.installed

test: $(VENV)/.installed-test tools browser schema-tools peer-client
	$(BIN)/pfm-dash build --check --no-cache
	$(MAKE) --no-print-directory lint
	@if [ -z "$${PFM_DASH_CORPUS:-}" ] && [ -d "$(CORPUS)" ]; then export PFM_DASH_CORPUS="$(CORPUS)"; fi; \
	  $(BIN)/pytest -q

# Debian's chromium renders the preview pages in the browser test (tests/preview).
browser:
	@if command -v chromium >/dev/null; then \
	  :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium (headless browser for the preview tests)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends chromium >/dev/null; \
	else \
	  echo "error: chromium is missing and cannot be installed here (need root and apt-get)." >&2; \
	  echo "       Install Debian's package 'chromium', then re-run." >&2; \
	  exit 1; \
	fi

# docs/reference.md from the model (tests/test_reference.py fails when it is stale).
reference: $(VENV)/.installed
	$(BIN)/python -m pfm_dash.reference > docs/reference.md

# grafana-foundation-sdk, for bench/many_bench.py only, in a venv of its own (.cache/bench).
BENCH_VENV := .cache/bench
$(BENCH_VENV)/.installed:
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet 'grafana-foundation-sdk==1769699998!10.1.0'
	touch $@

bench: $(VENV)/.installed-test $(BENCH_VENV)/.installed
	$(BIN)/python bench/build_bench.py
	$(BIN)/python bench/many_bench.py

clean:
	rm -rf $(VENV) .pfm-dash .pytest_cache .mypy_cache .ruff_cache .cache
