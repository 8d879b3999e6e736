"""Fast preview under `mkdocs serve`: an edit to the body of catalog entries re-renders only
those pages instead of the whole site.

`mkdocs serve` rebuilds every page on every change (minutes for a district's catalog). When the
only files that changed are entries whose front matter is unchanged, nothing else on the site
can differ (listings, feeds and facets show front matter only), so re-rendering the entry pages
is exact. Anything else — front matter, new or deleted files, data/, templates, mkdocs.yml,
or a problem found in the entry — takes MkDocs' full rebuild, with its checks and messages.
The search index keeps the entry's previous text until the next full build.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.xxgk")

active: Preview | None = None  # the running `mkdocs serve`'s preview, set by the xxgk plugin


def snapshot(paths: Iterable[str]) -> dict[str, int]:
    """Modification time of every file under `paths` (files or folders)."""
    found: dict[str, int] = {}
    for path in paths:
        if os.path.isfile(path):
            found[path] = os.stat(path).st_mtime_ns
            continue
        for folder, _, names in os.walk(path):
            for name in names:
                full = os.path.join(folder, name)
                try:
                    found[full] = os.stat(full).st_mtime_ns
                except FileNotFoundError:  # deleted while we looked: the next change sees it
                    pass
    return found


class Preview:
    """Stands in for the builder of `mkdocs serve`. `refresh(paths)` is the latest build's way to
    re-render changed files; it returns False when it cannot, and the full build runs."""

    def __init__(self, full_build: Callable[[], None], watched: Iterable[str]):
        self.full_build = full_build
        self.watched = sorted({os.path.abspath(p) for p in watched})
        self.refresh: Callable[[list[Path]], bool] | None = None  # set by each full build
        self._seen = snapshot(self.watched)

    def __call__(self) -> None:
        start = time.monotonic()
        now = snapshot(self.watched)
        changed = sorted(p for p in now.keys() | self._seen.keys() if now.get(p) != self._seen.get(p))
        self._seen = now
        refresh = self.refresh
        if changed and refresh is not None and set(changed) <= self._seen.keys() and refresh([Path(p) for p in changed]):
            log.info(f"预览：已重新生成 {len(changed)} 个条目页面（{time.monotonic() - start:.2f} 秒）；"
                     "站内搜索在下次完整构建时更新。")
            return
        self.refresh = None
        self.full_build()
        self._seen = snapshot(self.watched)
