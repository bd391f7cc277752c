# The two commands of the README: `make run` (the portal on a laptop) and `make test`.
# Both install the Debian packages they need when missing (scripts/system-packages.sh).
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: install run test lint docs bench clean

$(VENV)/.installed: pyproject.toml
	PYTHON=$(PYTHON) ./scripts/system-packages.sh run
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	./scripts/run-dev.sh

test: install
	./scripts/test.sh

lint: install
	$(VENV)/bin/ruff check .

docs: install
	$(VENV)/bin/mkdocs build --strict

bench: install
	.venv/bin/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf var build *.egg-info
