"""Incremental builds: a catalog entry's page is rendered only when what it shows changed.

An entry page's HTML is kept in the build cache (xxgk.buildcache, kind "pages") under the hash of
everything it is made from:

- the site as a whole (`site_digest`): the package's code and templates, the versions of MkDocs,
  the theme and the Markdown libraries, mkdocs.yml, overrides/ (or the theme's custom_dir), macros/,
  data/ (but the reports' and registers' files, which no entry page shows), the nav, the portal's settings as read (the
  address may come from XXGK_SITE_URL) and the resolved site address, styles and scripts;
- the page: its URL, the entry as read (front matter and body) and the values its template is
  given (`entry_view`: organisation names, related entries, attachments' links).

Any change to one of these gives a new key: the page is rendered as in a full build and stored.
The listing pages, feeds, reports and portal pages are always rendered. A page taken from the cache
goes through MkDocs with an empty body and an empty template (templates/xxgk/cached.html), and the
plugin writes the stored HTML in its place (`settle`), so the search index and every other plugin
see the same page as in a full build.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import zlib
from pathlib import Path

from .buildcache import BuildCache, cache_dir, code_digest, files_digest

KIND = "pages"
TEMPLATE = "xxgk/cached.html"
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "mkdocs-macros-plugin", "jinja2", "nh3")
PROJECT_PARTS = ("mkdocs.yml", "overrides", "macros", "data")
NOT_SHOWN = ("data/reports/", "data/register/")  # entry pages show nothing of these


def _files_digest(digest, root: Path, parts) -> None:
    files_digest(digest, root, parts, NOT_SHOWN)


def _code_digest() -> str:
    return code_digest(PACKAGES)


def stable(value):
    """`value` as JSON-ready data that is the same in every process: `repr` of a set follows the
    string hashes, which Python draws anew for each process (PYTHONHASHSEED)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, {f.name: stable(getattr(value, f.name)) for f in dataclasses.fields(value)}]
    if isinstance(value, dict):
        return [[stable(k), stable(v)] for k, v in value.items()]
    if isinstance(value, (set, frozenset)):
        return sorted((stable(v) for v in value), key=lambda v: json.dumps(v, ensure_ascii=False, default=str))
    if isinstance(value, (list, tuple)):
        return [stable(v) for v in value]
    return value


def _nav_items(items) -> list:
    return [[getattr(i, "title", None), getattr(i, "url", None), _nav_items(getattr(i, "children", None) or [])]
            for i in items]


def site_digest(root: Path, config, nav, portal) -> str:
    digest = hashlib.sha256(_code_digest().encode())
    parts = list(PROJECT_PARTS)
    theme = Path(config.theme.custom_dir).resolve() if config.theme.custom_dir else None
    if theme and theme.is_relative_to(root.resolve()):  # the site's template overrides, whatever their folder
        parts.append(theme.relative_to(root.resolve()).as_posix())
    _files_digest(digest, root, dict.fromkeys(parts))
    resolved = [config.site_url, config.site_name, [str(c) for c in config.extra_css],
                [[str(getattr(s, "path", s)), getattr(s, "type", None)] for s in config.extra_javascript],
                _nav_items(nav.items), stable(portal.settings), stable(portal.edit)]
    digest.update(json.dumps(resolved, ensure_ascii=False, default=str).encode())
    return digest.hexdigest()


class PageCache:
    """Entry pages by key. A stored page is one line of JSON, its verdicts, then its HTML: what the
    build's scans of written pages found in it (the personal-data scan's raw findings, before the
    allowed values, which depend on other entries, are taken out; the built-page check's messages),
    so that a page from the cache is not scanned again. Both depend only on the page's HTML and on
    the code and data/ (in the site digest), i.e. on its key."""

    def __init__(self, root: Path, site: str):
        self._store = BuildCache(cache_dir(root))
        self._site = site
        self._keys: dict[str, str] = {}  # src_uri -> key, for pages rendered in this build
        self._found: dict[str, tuple[str, dict]] = {}  # src_uri -> (HTML, verdicts) taken from the cache
        self._scans: dict[str, list] = {}  # src_uri -> scan findings of a page rendered in this build
        self.hits = 0

    def lookup(self, src_uri: str, url: str, entry, view: dict) -> bool:
        """Whether this entry's page is in the cache; if not, its key is kept to store it once rendered."""
        text = json.dumps([self._site, url, stable(entry), stable(view)], ensure_ascii=False, default=str)
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()
        stored = self._store.get(KIND, key)
        if stored is not None:
            try:
                verdicts, _, html = zlib.decompress(stored).partition(b"\n")
                self._found[src_uri] = (html.decode("utf-8"), json.loads(verdicts))
                self.hits += 1
                return True
            except (zlib.error, ValueError):
                pass
        self._keys[src_uri] = key
        return False

    def settle(self, src_uri: str, output: str) -> tuple[str, list | None]:
        """The page's final HTML, and for a page from the cache the scan's findings stored with it
        ([kind, value] pairs; None for a page rendered now)."""
        found = self._found.get(src_uri)
        if found is not None:
            return found[0], found[1]["scan"]
        return output, None

    def checked(self, src_uri: str) -> list[str] | None:
        """The built-page check's messages stored with a page from the cache; None for others."""
        found = self._found.pop(src_uri, None)
        return found[1]["check"] if found is not None else None

    def scanned(self, src_uri: str, findings: list) -> None:
        """The scan's findings of a page rendered in this build, stored with it once it is checked."""
        if src_uri in self._keys:
            self._scans[src_uri] = findings

    def store(self, src_uri: str, output: str, check: list[str]) -> None:
        """Store a page rendered in this build (as written), with its verdicts."""
        key = self._keys.pop(src_uri, None)
        scan = self._scans.pop(src_uri, None)
        if key is None or scan is None:
            return
        verdicts = json.dumps({"scan": scan, "check": check}, ensure_ascii=False)
        self._store.put(KIND, key, zlib.compress(verdicts.encode("utf-8") + b"\n" + output.encode("utf-8"), 1))

    def rendered(self, src_uri: str) -> bool:
        """Whether this page is an entry page rendered now, to be stored."""
        return src_uri in self._keys

    def prune(self) -> None:
        self._store.prune(KIND)
