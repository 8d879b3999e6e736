"""A planted slowdown, for checking that bench/guard.py fails: an MkDocs hook that the guard adds to its
generated throw-away project only (`bench/guard.py --hook bench/planted_slowdown.py --no-store`), never
to the portal's mkdocs.yml.

At the end of the build (after the search index is written) it keeps the processor busy for 30 % of the
processor time the build used so far, its own process and the children it waited for (Pagefind), so the
build's processor time grows by about 30 % whatever the load of the machine (its wall-clock time by about
as much on a quiet one).
"""

import os
import time

SHARE = 0.30


def _used() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def on_post_build(config):
    until = time.process_time() + SHARE * _used()
    while time.process_time() < until:
        pass
