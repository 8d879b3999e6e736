"""Reading the catalog again without parsing it again: each entry as read and checked, kept in the
build cache (xxgk.buildcache, kind "entries") under the hash of its path and text.

What `catalog.read_entry` makes of a file depends on the file, the reference data (data/, but the
reports' and registers' files, which it never reads), the Markdown extensions of mkdocs.yml (its
rendered-text scan) and the code. The last three give the key of one bundle holding every entry of
the build; the path and the text give the entry's place in it. An entry is kept only when nothing
else on disk went into it: no 附件 in its front matter (their files are checked and scanned) and no
link to a file in its body (its existence is checked). Snippets read other files, so a site whose
mkdocs.yml names them is read without this cache.

The bundle is a pickle read back through an unpickler that builds nothing but entries, problems,
dates and sets (a damaged or planted file cannot run code); one that does not load is ignored.
It is written atomically (BuildCache), only when this build read an entry that it lacked or left
one out, and older bundles are removed.
"""

from __future__ import annotations

import datetime
import hashlib
import pickle
from pathlib import Path

from .buildcache import BuildCache, cache_dir, code_digest, files_digest
from .problems import Problem

KIND = "entries"
PACKAGES = ("markdown", "pymdown-extensions", "mkdocs", "nh3", "google-re2", "pyyaml", "lxml", "chinesecalendar",
            "pyahocorasick")  # every library whose answer goes into an entry as read and checked
NOT_READ = ("data/reports/", "data/register/")  # reading an entry never opens these


class _Unpickler(pickle.Unpickler):
    """Builds nothing but the classes an entry is made of: a planted bundle runs no code."""

    def __init__(self, stored, classes: tuple[type, ...]):
        super().__init__(stored)
        self.allowed = {(c.__module__, c.__qualname__): c for c in (*classes, Problem, datetime.date, frozenset, set)}

    def find_class(self, module: str, name: str):
        found = self.allowed.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name}")
        return found


def entry_key(src_uri: str, text: str) -> str:
    return hashlib.sha256(src_uri.encode("utf-8") + b"\0" + text.encode("utf-8")).hexdigest()


def cacheable(entry) -> bool:
    """Whether the entry was made of its own text alone (see the module's text)."""
    from .content import local_links

    return not any(key[:1] == ("附件",) for key in entry.lines) and not local_links(entry.body)


class EntryCache:
    def __init__(self, root: Path, classes: tuple[type, ...]):
        """`classes`: what an entry is made of (catalog's Entry, Attachment), the only classes a bundle may hold."""
        self._store = BuildCache(cache_dir(root))
        self.enabled = True
        digest = hashlib.sha256(code_digest(PACKAGES).encode())
        try:
            if "snippets" in (root / "mkdocs.yml").read_text(encoding="utf-8"):
                self.enabled = False
        except (OSError, UnicodeError):
            pass
        files_digest(digest, root, ["mkdocs.yml", "data"], NOT_READ)
        self.bundle = digest.hexdigest()
        self._found: dict[str, tuple] = {}
        # Read from the file as it is unpickled: the bundle's bytes (300 MB at 100,000 entries) are never
        # held beside the entries made of them.
        stored = self._store.open(KIND, self.bundle) if self.enabled else None
        if stored is not None:
            with stored:
                try:
                    found = _Unpickler(stored, classes).load()
                    if isinstance(found, dict):
                        self._found = found
                except Exception:  # noqa: BLE001 — a bundle that does not load is only a full read
                    self._found = {}
        self._used: dict[str, tuple] = {}
        self.hits = 0

    @property
    def empty(self) -> bool:
        """Nothing to find here (no bundle, or one that did not load): no text need be read for its key."""
        return not self._found

    def get(self, key: str):
        """(entry, its problems) as read before, or None."""
        found = self._found.get(key)
        if found is None:
            return None
        self._used[key] = found  # saved (by load_catalog) before the build changes anything
        self.hits += 1
        return found

    def put(self, key: str, entry, problems: list) -> bool:
        """Keep the entry; True if it is kept (made of its own text alone)."""
        if self.enabled and cacheable(entry):
            self._used[key] = (entry, list(problems))
            return True
        return False

    def save(self) -> None:
        """Write this build's bundle (if it differs from the one read) and remove older ones."""
        if not self.enabled:
            return
        if self._used.keys() != self._found.keys():
            self._store.put_stream(KIND, self.bundle,
                                   lambda out: pickle.dump(self._used, out, protocol=pickle.HIGHEST_PROTOCOL))
        self._store.prune(KIND)  # the bundle read or written here is kept
