# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements/dev.txt
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)

.PHONY: run test install lint types contracts pytest messages compile clean bench browser lock reliability

run: $(STAMP) compile
	$(BIN)/python -m bot migrate
	$(BIN)/python -m bot run

test: $(STAMP) compile browser lint types contracts pytest

# Everything comes from the lock file, checked against its hashes; the project itself is installed on top,
# editable and without fetching anything more.
$(STAMP): pyproject.toml $(LOCK)
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
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

# The dashboard's browser test drives Debian's chromium through Playwright (installed with the dev extras).
# Installed here when missing and we may (root with apt-get); otherwise that one test is skipped with the
# reason, and .ci/run (REQUIRE_BROWSER=1) turns such a skip into a failure.
CHROMIUM ?= /usr/bin/chromium
browser:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the dashboard's browser test ..."; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >/dev/null \
		|| { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends chromium >/dev/null; } \
		|| echo "Could not install chromium: the browser test will be skipped."; \
	else echo "No $(CHROMIUM) and no root to install it: the browser test will be skipped."; fi

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
	$(BIN)/python -m bench.dashboard
	$(BIN)/python -m bench.safety
	$(BIN)/python -m bench.throughput

# Pin every dependency (with hashes) again from pyproject.toml: see requirements/README.md.
UV_COMPILE = $(BIN)/uv pip compile --quiet --python-version 3.11 --universal --generate-hashes
lock: $(STAMP)
	$(UV_COMPILE) pyproject.toml requirements/build.in -o requirements/main.txt
	$(UV_COMPILE) pyproject.toml requirements/build.in --extra dev -o requirements/dev.txt

# The fault-injection suite at full counts (20 SIGKILLs, 20 pairs x 10 messages both ways, 20,000 random
# updates); `make test` runs it with small counts. Prints the counts for the README's Reliability table.
reliability: $(STAMP) compile
	RELIABILITY=full $(BIN)/pytest -q -s tests/faults

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
