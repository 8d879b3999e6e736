# xxgk — the two commands of the README, and what they stand on.
#   make serve   build and serve the demo portal at http://127.0.0.1:8000
#   make test    run the whole test suite (installs Debian's Chromium for the browser tests)
# Both create .venv and install everything they need on a fresh machine.

VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test check debian-deps clean

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

serve: $(STAMP)
	$(VENV)/bin/mkdocs serve --strict -a 127.0.0.1:8000

build: $(STAMP)
	$(VENV)/bin/mkdocs build --strict

check: $(STAMP)
	$(VENV)/bin/xxgk check

test: $(STAMP) debian-deps
	$(PY) -m pytest

clean:
	rm -rf site .pytest_cache
