# Every target creates .venv on first use, so a fresh clone needs only `make dev` or `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: dev test lint bench indexes serverless clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@command -v $(PY) >/dev/null || { echo "need $(PY)"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

dev: $(STAMP)
	$(BIN)/python -m infra.local.devserver

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python infra/serverless_gen.py --check
	$(BIN)/python -m pytest -n 2 --dist loadfile
	@# mini-program: helper and page-tree tests, then render tests (miniprogram-simulate + jsdom, dev-only npm
	@# packages pinned in miniprogram/package-lock.json; the mini-program itself ships no npm code)
	@if command -v node >/dev/null; then npm ci --prefix miniprogram --no-audit --no-fund --loglevel=error \
		&& node --test miniprogram/tests/; else echo "node not found: mini-program tests skipped"; fi

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python bench/cold_start.py

indexes: $(STAMP)
	$(BIN)/python -m infra.mongo.indexes

serverless: $(STAMP)
	$(BIN)/python infra/serverless_gen.py

clean:
	rm -rf $(VENV) .data .build
