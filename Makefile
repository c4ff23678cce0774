# One task runner for people and CI. `make run` sets up and starts the app;
# `make test` sets up and runs the whole suite (lint, unit, AppTest, browser).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench crowd browser-deps clean-cache

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m streamlit run app.py

# Debian's Chromium for the browser tests; Playwright's own browser download
# cannot work offline, so the tests drive /usr/bin/chromium.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Lint: ruff; the workflow and issue-form files against GitHub's schemas, and zizmor (the
# Actions security linter), all offline; mypy over geo/ (settings in pyproject.toml).
# TEMPORARY: geo/boundaries/__main__.py is left out of mypy until its two errors are fixed
# (a loop variable named like the `except ... as error` above it); then drop the --exclude.
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-issue-forms \
	  .github/ISSUE_TEMPLATE/correct-or-add-a-record.yml
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-issue-config \
	  .github/ISSUE_TEMPLATE/config.yml
	$(VENV)/bin/zizmor --offline --quiet .github/workflows/
	$(PY) -m mypy --exclude '^geo/boundaries/__main__\.py$$'

test: $(STAMP) browser-deps lint
	$(PY) -m pytest

# Benchmark: our app against a naive baseline and an empty page, on 127.0.0.1 only
# (4 to 8 minutes; needs ../shared/census; uses /usr/bin/chromium when present).
# Table and findings: BENCHMARKS.md.
bench: $(STAMP)
	$(PY) -m bench

# Load test: 50 readers x 3 waves on a cold server, on 127.0.0.1 only (about 2 minutes).
crowd: $(STAMP)
	$(PY) -m bench.crowd

clean-cache:
	rm -rf .cache

# The static edition into _site/ (README: "The static edition"); serve it with any static
# server, e.g. `python -m http.server -d _site`.
.PHONY: site
site: $(STAMP)
	$(PY) -m geo.site build _site
