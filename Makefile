# `make run` and `make test` set everything up by themselves on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DSFR := node_modules/@gouvfr/dsfr/dist/dsfr.min.css

.PHONY: run test setup lint schema migration bench check-schema clean

run: setup
	$(BIN)/soprano serve

test: setup
	$(BIN)/pytest $(PYTEST_ARGS)

setup: $(STAMP) $(DSFR)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

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

clean:
	rm -rf $(VENV) node_modules var .pytest_cache
