# `make run` and `make test` set everything up by themselves on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DSFR := node_modules/@gouvfr/dsfr/dist/dsfr.min.css
# Every machine installs the versions of constraints.txt (`make constraints` writes it from a working venv).
PIP_INSTALL := $(BIN)/python -m pip install --quiet --constraint constraints.txt
# Debian's chromium drives the browser tests (never a browser downloaded by Playwright).
CHROMIUM ?= $(or $(shell command -v chromium 2>/dev/null),/usr/bin/chromium)
export CHROMIUM

.PHONY: run test setup browser lint schema migration bench constraints check-schema clean

run: setup
	$(BIN)/soprano serve

test: setup browser
	$(BIN)/pytest $(PYTEST_ARGS)

setup: $(STAMP) $(DSFR)

# setuptools comes from the constraints too (no build isolation), so the package is built the same everywhere.
$(STAMP): pyproject.toml setup.py constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --upgrade pip setuptools
	$(PIP_INSTALL) --no-build-isolation -e '.[dev,test]'
	touch $(STAMP)

# Without Chromium, it is installed where that can be done (root, apt, Debian's path); elsewhere the suite runs without
# the browser tests and its last line says so and how to get them (in CI, CI=true, a left-out test fails the run).
browser:
	@if [ ! -x "$(CHROMIUM)" ] && [ "$(CHROMIUM)" = /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] \
	    && command -v apt-get >/dev/null 2>&1; then \
	  echo "== installation de Chromium (paquet Debian) pour les tests navigateur"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	    || echo "Chromium n'a pas pu être installé : les tests navigateur seront laissés de côté."; \
	fi

# The DSFR's install script wants a project configuration we do not use: its files are served as they are.
$(DSFR): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $(DSFR)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

schema: $(STAMP)
	$(BIN)/python -m backend.api.export_schema > schema.graphql.tmp && mv schema.graphql.tmp schema.graphql

migration: $(STAMP)
	@test -n "$(m)" || (echo 'usage: make migration m="what changed"' && exit 2)
	DATA_DIR=$$(mktemp -d) sh -c '$(BIN)/alembic upgrade head && $(BIN)/alembic revision --autogenerate -m "$(m)"'

bench: setup
	$(BIN)/python -m bench

# After a deliberate upgrade (pip install -U …) that passes the tests: the versions every machine will install.
constraints: $(STAMP)
	{ echo "# Versions installed by make (pip install --constraint constraints.txt); regenerate with make constraints."; \
	  $(BIN)/python -m pip freeze --all --exclude-editable; } > constraints.txt.tmp && mv constraints.txt.tmp constraints.txt

clean:
	rm -rf $(VENV) node_modules var .pytest_cache
