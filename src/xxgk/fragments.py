"""Generated pages and files made again only when their inputs change: listing pages, report
tables and charts, open data, feeds and the sitemap are the same in most builds, yet rendering them
took seconds at 10,000 entries.

A fragment is kept in the build cache (xxgk.buildcache, one kind per user, e.g. "listings") under
the hash of exactly what makes it:
- the code: the package's files (its templates among them), the versions of Jinja, MarkupSafe and Python;
- the site's template overrides (overrides/, which xxgk.templating puts before the package's);
- its name (the template or the file it is) and its inputs: the plain data a template is given, or
  that a file is written from.

Inputs must be plain data (str, int, float, bool, None, and lists, tuples and dicts of them): their
`repr` is the key, which tells a tuple from a list and 1 from "1" or True, the way a template prints
them. A value of another type would be keyed by its repr, which may not show all it holds: never
pass one. A template that fails raises as before and nothing is stored; an entry that
is damaged (its checksum does not match) is made again and stored over.

Each user keeps one `Fragments` for the fragments of a build and calls `prune` once they are all made:
the entries of its kind this build did not use (older versions) are removed.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Callable

from .buildcache import BuildCache, cache_dir, code_digest, files_digest
from .templating import OVERRIDES, render

PACKAGES = ("jinja2", "markupsafe")
_TEXT, _BYTES = b"s", b"b"


def overrides_digest(root: Path) -> str:
    digest = hashlib.sha256()
    files_digest(digest, root, [OVERRIDES])
    return digest.hexdigest()


class Fragments:
    def __init__(self, root: Path | None, kind: str):
        """`root`: the project (None: nothing is cached); `kind`: the cache folder of this user's fragments."""
        self.root, self.kind = root, kind
        self._store = BuildCache(cache_dir(root)) if root is not None else None
        # Python's too: the files written by its json, csv and ElementTree modules follow its version.
        self._base = f"{code_digest(PACKAGES)}\0{sys.version}\0{overrides_digest(root)}" if root is not None else ""

    def made(self, name: str, inputs, make: Callable[[], str | bytes]) -> str | bytes:
        """What `make()` returns, from the cache when `name` was made of the same `inputs` before."""
        if self._store is None:
            return make()
        key = hashlib.sha256(f"{self._base}\0{name}\0{inputs!r}".encode("utf-8", "surrogatepass")).hexdigest()
        stored = self._store.get(self.kind, key)
        if stored is not None:
            if stored[:1] == _BYTES:
                return stored[1:]
            if stored[:1] == _TEXT:
                try:
                    return stored[1:].decode("utf-8")
                except UnicodeDecodeError:
                    pass  # made again below
        value = make()
        try:
            data = _TEXT + value.encode("utf-8") if isinstance(value, str) else _BYTES + bytes(value)
        except UnicodeEncodeError:
            return value  # a lone surrogate: written as MkDocs writes it, never stored
        self._store.put(self.kind, key, data)
        return value

    def render(self, name: str, **data) -> str:
        """templating.render(root, name, **data), from the cache when it was rendered with the same data."""
        return self.made("template " + name, data, lambda: render(self.root, name, **data))

    def prune(self) -> None:
        if self._store is not None:
            self._store.prune(self.kind)
