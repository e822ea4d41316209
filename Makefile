# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint setup clean vocab

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the project's declared dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/newsclaims extract examples/trade-figures.txt

test: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/python -m pytest

# Regenerate rules/currencies.yaml (Unicode CLDR via Babel) and rules/units.yaml (pint); the dev extra pins both.
vocab: $(STAMP)
	$(BIN)/python tools/generate_vocab.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
