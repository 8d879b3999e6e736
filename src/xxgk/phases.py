"""Where a build's time goes, for the benchmark guard (bench/guard.py).

With XXGK_PHASES=<file> in the environment, the build notes when it enters each phase (reading the
project, checks, rendering, reports' downloads, search index, writing) and writes the seconds spent
in each as JSON to that file when it ends. Without it every call returns at once.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

ENV = "XXGK_PHASES"

_spent: dict[str, float] = {}
_current: str | None = None
_since = 0.0


def start(phase: str) -> None:
    """A build begins (again, under `mkdocs serve`): earlier figures are dropped."""
    global _current, _since
    _spent.clear()
    _current = phase if os.environ.get(ENV) else None
    _since = time.perf_counter()


def enter(phase: str) -> None:
    """The time since the last call belongs to the phase we were in; from now on to `phase`."""
    global _current, _since
    if _current is None or phase == _current:
        return
    now = time.perf_counter()
    _spent[_current] = _spent.get(_current, 0.0) + now - _since
    _current, _since = phase, now


def write() -> None:
    """At the end of the build: {phase: seconds} into the file named by XXGK_PHASES."""
    global _current
    target = os.environ.get(ENV)
    if _current is None or not target:
        return
    enter("")  # closes the phase we are in
    _current = None
    _spent.pop("", None)
    Path(target).write_text(json.dumps({k: round(v, 3) for k, v in _spent.items()}), encoding="utf-8")
