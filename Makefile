# The README's two commands: `make site` builds the example playbook's site,
# `make test` runs the tests. Both set up .venv on a fresh machine first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The exact versions CI tested (`make lock` writes it); every install here goes through it.
CONSTRAINTS := constraints.txt
PIP_INSTALL = python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS)
# The second engine: ProperDocs, in a venv of its own so that .venv stays what a MkDocs
# user has (Material prints a different notice when ProperDocs is installed beside MkDocs).
PD_VENV := .venv-properdocs
PD_BIN := $(PD_VENV)/bin
PD_STAMP := $(PD_VENV)/.installed
# The build tests that run again under ProperDocs: the example, the corpus, the plugin,
# the audiences, `serve` reloading, builds swapped in whole, the MkDocs/ProperDocs
# byte-for-byte comparison, and the version check of MkDocs' private API.
# The export's engine: Zensical, which builds `playbook render`'s output (it runs no MkDocs
# plugin), in a venv of its own as a user would install it. Its tests run from .venv.
ZS_VENV := .venv-zensical
ZS_BIN := $(ZS_VENV)/bin
ZS_STAMP := $(ZS_VENV)/.installed
PD_TESTS := tests/test_engines.py tests/test_plugin.py tests/test_corpus.py \
	tests/test_audience.py tests/test_serve.py tests/test_publish.py tests/test_dependencies.py \
	tests/test_mkdocs_internals.py

.PHONY: site site-internal test test-properdocs test-zensical test-browser check serve screenshots \
	bench lock outdated clean

site: $(STAMP)
	$(BIN)/mkdocs build --strict
	@echo "Site built: $(CURDIR)/site/index.html"

# The owner's build: private notes, rates and the planning pages. Never publish it.
site-internal: $(STAMP)
	PLAYBOOK_AUDIENCE=internal $(BIN)/mkdocs build --strict -d site-internal
	@echo "Internal site built: $(CURDIR)/site-internal/index.html"

test: $(STAMP)
	$(BIN)/ruff check generator tests bench scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest
	$(MAKE) test-properdocs
	$(MAKE) test-zensical

# The build tests again, with ProperDocs as the engine (tests/runner.py).
test-properdocs: $(PD_STAMP)
	PLAYBOOK_RUNNER=properdocs $(PD_BIN)/python -m pytest -m "properdocs or not properdocs" \
		$(PD_TESTS)

# The export built by Zensical: strict, then crawled in the browser under /playbook/.
test-zensical: $(STAMP) $(ZS_STAMP)
	PLAYBOOK_ZENSICAL=$(CURDIR)/$(ZS_BIN)/zensical $(BIN)/python -m pytest -m zensical \
		tests/test_zensical.py tests/browser/test_crawl.py

# Only the real-browser tests (Debian's chromium); screenshots in test-artifacts/browser/.
test-browser: $(STAMP)
	$(BIN)/python -m pytest tests/browser

check: $(STAMP)
	$(BIN)/playbook check playbook --strict

serve: $(STAMP)
	$(BIN)/playbook serve

# The README's screenshots, from the real build; needs Debian's chromium.
screenshots: site site-internal
	$(BIN)/$(PIP_INSTALL) -e ".[browser]"
	$(BIN)/python scripts/screenshots.py site screenshots

$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/$(PIP_INSTALL) --upgrade pip
	$(BIN)/$(PIP_INSTALL) -e ".[test]"
	touch $(STAMP)

$(PD_STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(PD_BIN)/python || $(PYTHON) -m venv $(PD_VENV)
	$(PD_BIN)/$(PIP_INSTALL) --upgrade pip
	$(PD_BIN)/$(PIP_INSTALL) -e ".[test,properdocs]"
	touch $(PD_STAMP)

$(ZS_STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(ZS_BIN)/python || $(PYTHON) -m venv $(ZS_VENV)
	$(ZS_BIN)/$(PIP_INSTALL) --upgrade pip
	$(ZS_BIN)/$(PIP_INSTALL) -e ".[zensical]"
	touch $(ZS_STAMP)

# Re-lock: the newest releases that pyproject.toml allows, installed into a fresh venv and
# written to constraints.txt (the project itself and setuptools left out). Then `make test`.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check \
		-e ".[test,properdocs,zensical]"
	echo "# The exact versions CI tested; the Makefile installs through them (pip -c)." \
		> $(CONSTRAINTS).new
	echo "# Written by make lock on Python $$(.venv-lock/bin/python -c \
		'import platform; print(platform.python_version())'); make outdated lists newer releases." \
		>> $(CONSTRAINTS).new
	.venv-lock/bin/python -m pip freeze --all --exclude-editable \
		| grep -v -i -e '^setuptools==' >> $(CONSTRAINTS).new
	mv $(CONSTRAINTS).new $(CONSTRAINTS)
	rm -rf .venv-lock

# Which pinned dependencies have a newer release; it reports and never fails (offline too).
outdated: $(PD_STAMP)
	$(PD_BIN)/python scripts/outdated.py $(CONSTRAINTS)

# Speed and memory against plain MkDocs building the same pages (writes bench/RESULTS.md),
# then the cost of the Changes sections: 1,000 roles with and without 200 commits of history.
bench: $(STAMP) $(ZS_STAMP)
	PLAYBOOK_ZENSICAL=$(CURDIR)/$(ZS_BIN)/zensical $(BIN)/python bench/run.py
	$(BIN)/python bench/history.py

clean:
	rm -rf $(VENV) $(PD_VENV) $(ZS_VENV) site site-internal
