# One task runner for people and CI. `make run` sets up and starts the app;
# `make test` sets up and runs the whole suite (lint, unit, AppTest, browser).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Installs come from the lock files, every file checked against its hash: `make run` installs
# the app's set (requirements.lock); the tests, lint and bench the whole set
# (requirements-dev.lock). `make lock` rewrites both from requirements*.txt.
RUN_STAMP := $(VENV)/.installed-run
STAMP := $(VENV)/.installed
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check --require-hashes

.PHONY: run run-dev test test-fast lint lock fetch-census bench crowd lighthouse browser-deps clean-cache

$(RUN_STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements.lock
	touch $(RUN_STAMP)

$(STAMP): requirements.lock requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements-dev.lock
	touch $(RUN_STAMP) $(STAMP)

LOCK_FLAGS := --generate-hashes --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
  --no-annotate --quiet --custom-compile-command "make lock"
lock: $(STAMP)
	$(VENV)/bin/uv pip compile requirements.txt $(LOCK_FLAGS) -o requirements.lock
	$(VENV)/bin/uv pip compile requirements-dev.txt $(LOCK_FLAGS) -o requirements-dev.lock

# The server does not watch files (.streamlit/config.toml), so it prints its address and
# nothing else; `make run-dev` reloads the app when a file changes.
# `PORT=8600 make run` serves on another port (default 8501).
PORT_FLAG = $(if $(PORT),--server.port $(PORT))
run: $(RUN_STAMP)
	$(PY) -m streamlit run app.py $(PORT_FLAG)

run-dev: $(RUN_STAMP)
	$(PY) -m streamlit run app.py $(PORT_FLAG) --server.fileWatcherType auto --server.runOnSave true

# The browser tests drive Chromium (bench/browser.py finds it on the PATH) and audit pages with
# axe-core, Lighthouse and html-validate from the npm registry (tests/browser/axe and tests/tools,
# each pinned by its lock file; never a CDN).
# A person installs Chromium once (Debian/Ubuntu: `sudo apt install chromium`; README); only CI
# (CI=true, as root) installs it here. Neither step needs root on a machine that has Chromium.
AXE := tests/browser/axe/node_modules/axe-core/axe.min.js
LIGHTHOUSE := tests/tools/node_modules/.bin/lighthouse
browser-deps: $(AXE) $(LIGHTHOUSE)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ -n "$$CI" ] && [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is needed for the browser tests: sudo apt install chromium (Debian/Ubuntu)" >&2; \
	    exit 1; \
	  fi; }

$(AXE): tests/browser/axe/package.json tests/browser/axe/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  if [ -n "$$CI" ] && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  else \
	    echo "npm is needed to install axe-core: sudo apt install npm (Debian/Ubuntu)" >&2; \
	    exit 1; \
	  fi; }
	npm ci --prefix tests/browser/axe --no-audit --no-fund --loglevel=error
	touch $(AXE)

$(LIGHTHOUSE): tests/tools/package.json tests/tools/package-lock.json $(AXE)
	npm ci --prefix tests/tools --no-audit --no-fund --loglevel=error
	touch $(LIGHTHOUSE)

# Lint: ruff; the workflow and issue-form files against GitHub's schemas, and zizmor (the
# Actions security linter), all offline; mypy over geo/ (settings in pyproject.toml).
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-issue-forms \
	  .github/ISSUE_TEMPLATE/correct-or-add-a-record.yml
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-issue-config \
	  .github/ISSUE_TEMPLATE/config.yml
	$(VENV)/bin/zizmor --offline --quiet .github/workflows/
	$(PY) -m mypy

test: $(STAMP) browser-deps lint
	$(PY) -m pytest

# The fast loop while working: no browser, no server or subprocess, no Streamlit script run,
# no Census files (tiers: tests/conftest.py). Under a minute; `make test` is what CI runs.
test-fast: $(STAMP)
	$(PY) -m pytest -m "not browser and not server and not census and not app" -q

# Benchmark: our app against a naive baseline and an empty page, on 127.0.0.1 only
# (4 to 8 minutes; needs ../shared/census; uses /usr/bin/chromium when present).
# Table and findings: BENCHMARKS.md.
bench: $(STAMP)
	$(PY) -m bench

# Lighthouse 12.2.3 on the static pages, the app's map page and the empty page, mobile and
# desktop (about 5 minutes; needs ../shared/census and Chromium); the table goes into
# BENCHMARKS.md ("Lighthouse") and every report's figures into artifacts/lighthouse.json.
lighthouse: $(STAMP) browser-deps
	$(PY) -m bench.lighthouse

# Load test: 50 readers x 3 waves on a cold server, on 127.0.0.1 only (about 2 minutes).
# With URL=http://127.0.0.1:8080 the readers go to a server already running (`make replicas`);
# CROWD_ARGS passes more options, e.g. CROWD_ARGS="--sessions 200 --rss-pid 1234".
crowd: $(STAMP)
	$(PY) -m bench.crowd $(if $(URL),--url $(URL)) $(CROWD_ARGS)

# More than one core: N replicas of the app (`streamlit run app.py`, 127.0.0.1) behind Debian's
# nginx on one port, readers kept on one replica (deploy/nginx.conf.template); until Ctrl-C.
# Needs nginx: `sudo apt-get install -y nginx`. BENCHMARKS.md "Replicas" has the figures.
# (PORT is read here with its own default: a global `PORT ?= 8080` would move `make run` too.)
N ?= 2
.PHONY: replicas
replicas: $(STAMP)
	$(PY) -m deploy.replicas --replicas $(N) --port $(or $(PORT),8080)

# The Census place files the tests use (2015, checksums in geo/boundaries/census-2015.sha256),
# from the Census Bureau into CENSUS_DIR; files already there and intact are kept.
CENSUS_DIR ?= ../shared/census
fetch-census: $(RUN_STAMP)
	$(PY) -m geo.boundaries fetch $(CENSUS_DIR)

clean-cache:
	rm -rf .cache

# The static edition into _site/ (README: "The static edition"); serve it with any static
# server, e.g. `python -m http.server -d _site`.
.PHONY: site
site: $(STAMP)
	$(PY) -m geo.site build _site
