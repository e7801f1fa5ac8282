# Two commands: `make demo` and `make test`. Both install what they need.
SHELL := /bin/bash
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
DEMO_WORKSPACE ?= demo-workspace
DEMO_DATA ?= demo-data

.PHONY: demo test install lint typecheck contracts unit clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q --disable-pip-version-check uv==0.13.8

install: $(UV)
	$(UV) sync --frozen --extra spark --python $(PYTHON)

demo: install
	.venv/bin/crossline --workspace $(DEMO_WORKSPACE) demo --data $(DEMO_DATA)

lint: install
	.venv/bin/ruff check src tests bench
	.venv/bin/ruff format --check src tests bench

typecheck: install
	.venv/bin/mypy

contracts: install
	.venv/bin/lint-imports

unit: install
	.venv/bin/pytest

test: lint typecheck contracts unit

clean:
	rm -rf .venv $(TOOLS) $(DEMO_WORKSPACE) $(DEMO_DATA)
