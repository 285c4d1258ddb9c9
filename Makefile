# Samenplan: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app samenplan
VENDOR := samenplan/static/vendor
HOST ?= 127.0.0.1
PORT ?= 5000

# Debian packages: WeasyPrint's libraries and fonts (PDF: DejaVu for text, Noto Color Emoji
# for the emoji in families' own words), poppler (PDF checks in tests), Chromium (browser
# tests). libharfbuzz-subset0 matters: without it PDFs are ~2.5x slower.
APT_RUN := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core fonts-noto-color-emoji
APT_TEST := $(APT_RUN) chromium poppler-utils wrk

.PHONY: run dev test test-fast lint format install install-test assets translations translations-extract migrate demo system-run system-test clean bench

# gunicorn (gunicorn.conf.py) and the queue worker side by side; Ctrl+C stops both.
run: install assets translations migrate demo
	@echo "Samenplan runs on http://$(HOST):$(PORT) with its queue worker  (stop with Ctrl+C)"
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python -m samenplan.serve

# Flask's debug server with the reloader; background work runs inside the request (no worker).
dev: install assets translations migrate demo
	QUEUE_IMMEDIATE=1 $(FLASK) run --debug --host $(HOST) --port $(PORT)

test: install-test assets translations system-test
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/bandit -q -c pyproject.toml -r samenplan migrations
	$(BIN)/lint-imports --no-cache
	$(BIN)/python tools/check_sizes.py samenplan 400

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,dev]'
	touch $(VENV)/.installed $@

install: system-run $(VENV)/.installed
install-test: system-test $(VENV)/.installed-test

# Install missing Debian packages only (apt needs root; CI and the dev machines are root).
define apt_install
	@missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

system-run:
	$(call apt_install,$(APT_RUN))

system-test:
	$(call apt_install,$(APT_TEST))

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/.copied: node_modules/.installed
	mkdir -p $(VENDOR)/utrecht $(VENDOR)/voorbeeld $(VENDOR)/axe
	cp node_modules/@utrecht/component-library-css/dist/index.css $(VENDOR)/utrecht/index.css
	cp node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css $(VENDOR)/voorbeeld/theme.css
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe/axe.min.js
	touch $@

assets: $(VENDOR)/.copied

translations: | $(BIN)/python
	$(BIN)/pybabel compile --statistics -d samenplan/translations -D messages >/dev/null

# Refresh the catalogue after changing user-facing text; then translate in the .po files.
translations-extract: install-test
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	  --project Samenplan -o samenplan/translations/messages.pot .
	$(BIN)/pybabel update -i samenplan/translations/messages.pot -d samenplan/translations \
	  --ignore-obsolete --no-fuzzy-matching
	$(BIN)/python -m samenplan.core.i18n_tools fill-english samenplan/translations/en/LC_MESSAGES/messages.po

migrate: install
	$(FLASK) db upgrade

demo: install
	$(FLASK) demo  # reads DEMO_PASSWORD from the environment when set

bench: install-test assets translations
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache .mypy_cache .ruff_cache
