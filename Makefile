# The two commands: `make run` (the demo) and `make test` (everything). See README.md.
SHELL := /bin/bash
PORT ?= 8000
export PORT

.PHONY: run test bench lint format messages

run:
	scripts/run.sh

test:
	scripts/test.sh

bench:
	scripts/bench.sh

lint:
	. scripts/lib.sh && python_env && .venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

messages:
	.venv/bin/python scripts/translate.py
