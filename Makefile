# The README's two commands: `make site` builds the example playbook's site,
# `make test` runs the tests. Both set up .venv on a fresh machine first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site site-internal test test-browser check serve screenshots clean

site: $(STAMP)
	$(BIN)/mkdocs build --strict
	@echo "Site built: $(CURDIR)/site/index.html"

# The owner's build: private notes, rates and the planning pages. Never publish it.
site-internal: $(STAMP)
	PLAYBOOK_AUDIENCE=internal $(BIN)/mkdocs build --strict -d site-internal
	@echo "Internal site built: $(CURDIR)/site-internal/index.html"

test: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

# Only the real-browser tests (Debian's chromium); screenshots in test-artifacts/browser/.
test-browser: $(STAMP)
	$(BIN)/python -m pytest tests/browser

check: $(STAMP)
	$(BIN)/playbook check playbook --strict

serve: $(STAMP)
	$(BIN)/mkdocs serve

# The README's screenshots, from the real build; needs Debian's chromium.
screenshots: site site-internal
	$(BIN)/python -m pip install --quiet -e ".[browser]"
	$(BIN)/python scripts/screenshots.py site screenshots

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Speed and memory against plain MkDocs building the same pages; writes bench/RESULTS.md.
bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) site site-internal
