# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test install lint types contracts pytest messages compile clean bench

run: $(STAMP) compile
	$(BIN)/python -m bot migrate
	$(BIN)/python -m bot run

test: $(STAMP) compile lint types contracts pytest

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP) compile

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP) compile
	$(BIN)/pytest -q $(PYTEST_ARGS)

# Translations: `make messages` extracts the texts from the code and updates every catalog;
# `make compile` builds the .mo files (not committed; built at install). After translating, run
# `make messages` again: it also rewrites docs/glossary.md from the catalogs.
messages: $(STAMP)
	$(BIN)/python -m bot.catalogs extract
	$(BIN)/python -m bot.catalogs update
	$(BIN)/python -m bot.catalogs glossary

compile: $(STAMP)
	$(BIN)/python -m bot.catalogs compile

# Benchmarks report numbers (they are not timed tests): see bench/.
bench: $(STAMP) compile
	$(BIN)/python -m bench.language_guess
	$(BIN)/python -m bench.matching
	$(BIN)/python -m bench.checkins

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
