"""Incremental builds: a page is rendered only when what it shows changed.

A page's HTML is kept in the build cache (xxgk.buildcache, kind "pages") under the hash of everything
it is made from:

- the site as a whole (`site_digest`): the package's code and templates, the versions of MkDocs,
  the theme and the Markdown libraries, mkdocs.yml, overrides/ (or the theme's custom_dir), macros/,
  data/ (but the reports' and registers' files, which pages show only through their Markdown or
  their template's values, both in the page's key), the nav, the portal's settings as read (the
  address may come from XXGK_SITE_URL) and the resolved site address, styles and scripts;
- a catalog entry's page: its URL, the entry as read (front matter and body) and the values its
  template is given (`entry_view`: organisation names, related entries, attachments' links);
- any other page (listings, reports, the portal's pages, hand-written pages): its URL, its settings,
  its Markdown as the plugins leave it (with our HTML in it), its report's template values, and the
  names of all the site's files (a link to a file that is gone must warn again).

Any change to one of these gives a new key: the page is rendered as in a full build and stored. A
build that logs a warning keeps none of the pages it stored. A page found in the cache never goes
through MkDocs' conversion and templates: the plugin links its stored HTML into the site (or writes
it), hands it to the search index, and reports what the scans stored with it
(mkdocs_plugin._use_stored). The pages of the nav are always rendered (the nav holds them); their
scans' verdicts are kept by their HTML.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import json
from pathlib import Path

from .buildcache import BuildCache, cache_dir, code_digest, files_digest

KIND = "pages"
HTML = ".html"  # a page's HTML beside its entry: pages/<key>.html
VERDICTS = "verdicts"  # of the pages rendered in every build, by their HTML
SUMS = "page-sums"  # a build's pages' sums (HTML digest, verdicts) in one bundle: one file read, not one a page
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
    kind = type(value)
    if kind in _PLAIN:
        return value
    names = _dataclass_fields(kind)
    if names is not None:
        return [kind.__name__, {name: stable(getattr(value, name)) for name in names}]
    if isinstance(value, dict):
        return [[stable(k), stable(v)] for k, v in value.items()]
    if isinstance(value, (set, frozenset)):
        return sorted((stable(v) for v in value), key=lambda v: json.dumps(v, ensure_ascii=False, default=str))
    if isinstance(value, (list, tuple)):
        return [stable(v) for v in value]
    return value


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _plain(value):
    """For json.dumps: what stable() makes of a set, a dataclass, a date; TypeError for anything else."""
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=lambda v: json.dumps(v, ensure_ascii=False, default=_plain))
    names = _dataclass_fields(type(value))
    if names is not None:
        return [type(value).__name__, {name: getattr(value, name) for name in names}]
    if isinstance(value, (datetime.date, Path)):
        return str(value)
    raise TypeError(type(value).__name__)


@functools.cache
def _dataclass_fields(kind: type) -> tuple[str, ...] | None:
    return tuple(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else None


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


@dataclasses.dataclass(frozen=True)
class Stored:
    """A page as a build wrote it, and what the scans of written pages found in it."""
    html: bytes  # as MkDocs writes it (UTF-8)
    scan: list  # the personal-data scan's raw findings, [kind, value] pairs
    check: list[str]  # the built-page check's messages
    path: str  # the cache's file of exactly these bytes, which a fresh site may link to
    digest: str  # the SHA-256 of `html` (checked at fetch): what the search index knows the page by

    @property
    def text(self) -> str:
        """The HTML decoded (made only when asked: the search index mostly needs only the digest)."""
        return self.html.decode("utf-8")


class PageCache:
    """Pages by key. A stored page is two files: `<key>.html`, its HTML (UTF-8) as it is, which a fresh
    site folder links to instead of holding a copy (mkdocs_plugin._write_stored), and `<key>`, a cache
    entry with the HTML's SHA-256 (checked at every use: a site file written over in place changes the
    cache's file too, and is then rendered again) and its verdicts: what the build's scans of written
    pages found in it (the personal-data scan's raw findings, before the allowed values, which depend
    on other entries, are taken out; the built-page check's messages), so that a page from the cache
    is not scanned again. Both depend only on the page's HTML and on
    the code and data/ (in the site digest), i.e. on its key. A build that went through also keeps
    the entries' contents of all its pages in one bundle (kind "page-sums", named by its bytes), so
    that the next build reads one file, not one a page; a page missing from it, or whose HTML does
    not match it, is looked up in its own entry. The other pages are rendered in every
    build; their verdicts are kept too (kind "verdicts"), by the hash of the site digest and the HTML."""

    def __init__(self, root: Path, site: str):
        self._store = BuildCache(cache_dir(root))
        self._site = site
        self._keys: dict[str, str] = {}  # src_uri -> key, for pages rendered in this build and then stored
        self._verdict_keys: dict[str, str] = {}  # src_uri -> key of the verdicts of another page rendered now
        self._verdicts: dict[str, dict] = {}  # src_uri -> verdicts found in the cache for a page rendered now
        self._stored: list[str] = []  # keys of the pages this build stored
        self._sums: dict[str, list] = {}  # key -> [HTML SHA-256, scan, check] of the pages of this build
        self._bundles: set[str] | None = None  # the names of the bundles found (read when first asked)
        self._bundle: dict[str, list] = {}  # their sums, together

    def key(self, url: str, *made_of) -> str:
        """The key of a page: the site, its address, and what it is made of (an entry page: the entry as
        read and its template's values; another page: its settings, its Markdown and the values its
        template is given)."""
        try:  # plain data (an entry page's values): JSON's own encoder, a fifth of the time of stable()
            text = json.dumps([self._site, url, *made_of], ensure_ascii=False, default=_plain)
        except TypeError:  # keys that JSON cannot hold (an entry's `lines`): the generic encoding
            text = json.dumps(["stable", self._site, url, *(stable(part) for part in made_of)],
                              ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def fetch(self, key: str) -> Stored | None:
        """The page stored under `key`, if any and its HTML as stored. One thread at a time."""
        path = self._store.where(KIND, key + HTML)
        sums = self._bundled().get(key)
        if sums is not None:  # the last build's bundle: no entry of its own to open
            stored = _checked(path, sums)
            if stored is not None:
                self._store.keep(KIND, key)  # for a build that finds no bundle (the entry is the source)
                self._sums[key] = sums
                return stored
        entry = self._store.get(KIND, key)
        if entry is None:
            return None
        try:
            found = json.loads(entry)
            sums = [found["html"], found["scan"], found["check"]]
        except (ValueError, KeyError, TypeError):
            return None  # damaged: rendered again and stored over
        stored = _checked(path, sums)
        if stored is not None:
            self._sums[key] = sums
        return stored

    def _bundled(self) -> dict[str, list]:
        """The sums of the pages of the last builds, read once: from the bundle of each (a merge job
        finds one per shard job). Any page's sums depend on its key only, so bundles never disagree;
        the HTML is still checked against them page by page."""
        if self._bundles is None:
            self._bundles = set()
            for name, data in self._store.entries(SUMS).items():
                try:
                    found = json.loads(data)
                except ValueError:
                    continue
                if isinstance(found, dict):
                    self._bundles.add(name)
                    self._bundle.update(found)  # one table for all (10 shards' tables held 10 MB more at 100,000)
        return self._bundle

    def _write_bundle(self) -> None:
        """This build's pages' sums as one bundle for the next build, named by its bytes (shard jobs'
        bundles never share a name); the older bundles are pruned."""
        data = json.dumps(self._sums, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
        name = hashlib.sha256(data).hexdigest()
        if name in (self._bundles or {}):
            self._store.keep(SUMS, name)  # nothing changed
        else:
            self._store.put(SUMS, name, data)

    def missed(self, src_uri: str, key: str) -> None:
        """The page is not in the cache: rendered now, then stored under `key`."""
        self._keys[src_uri] = key

    def scanned_before(self, src_uri: str, output: str) -> list | None:
        """The scan's findings stored for a page MkDocs rendered ([kind, value] pairs); None when the page
        must be scanned: an entry page, or another page seen with this HTML for the first time."""
        if src_uri in self._keys:
            return None
        key = hashlib.sha256(self._site.encode() + b"\0" + output.encode("utf-8")).hexdigest()
        try:  # a page rendered in every build: its verdicts by its HTML
            self._verdicts[src_uri] = json.loads(self._store.get(VERDICTS, key))
            return self._verdicts[src_uri]["scan"]
        except (TypeError, ValueError, KeyError):
            self._verdicts.pop(src_uri, None)
            self._verdict_keys[src_uri] = key
            return None

    def checked(self, src_uri: str) -> list[str] | None:
        """The built-page check's messages stored for the page; None when it must be checked."""
        found = self._verdicts.pop(src_uri, None)
        return found["check"] if found is not None else None

    def to_store(self, src_uri: str) -> ToStore | None:
        """Where what a page scanned now is stored (an entry page: its HTML too), for `write`; None for a
        page this build does not scan (its verdicts came from the cache)."""
        key, verdict_key = self._keys.pop(src_uri, None), self._verdict_keys.pop(src_uri, None)
        if key is None and verdict_key is None:
            return None
        return ToStore(str(self._store.folder), key, verdict_key)

    def stored(self, to_store: ToStore, sums: list | None) -> str | None:
        """`write` is done (here or in a worker process): what it stored is this build's, kept through
        `prune`; the cache's file of an entry page's HTML."""
        if to_store.key is None:
            self._store.keep(VERDICTS, to_store.verdict_key)
            return None
        key = to_store.key
        self._store.keep(KIND, key)
        self._stored.append(key)
        if sums is None:  # the cache could not be written
            return None
        self._sums[key] = sums
        return self._store.where(KIND, key + HTML)

    def forget(self) -> None:
        """Drop the pages this build stored: it logged warnings (a link that leads nowhere), which a page
        taken from the cache would no longer repeat."""
        for key in self._stored:
            self._store.remove(KIND, key)
            self._store.remove(KIND, key + HTML)
            self._sums.pop(key, None)
        self._stored.clear()

    def prune(self) -> None:
        """After a build that went through: its bundle of sums, and nothing older."""
        self._write_bundle()
        self._store.prune(KIND)
        self._store.prune(VERDICTS)
        self._store.prune(SUMS)


@dataclasses.dataclass(frozen=True)
class ToStore:
    """Where the scans' verdicts of a page rendered now go (sent to a worker process: plain values)."""
    folder: str  # the build cache's folder
    key: str | None  # an entry page: its HTML and sums, under its page key
    verdict_key: str | None  # another page: its verdicts, by its HTML


def write(to_store: ToStore, output: str, scan: list, check: list[str]) -> list | None:
    """Store what the scans found in a page (an entry page: with its HTML, as it is written); in the
    build's process or a worker beside it (xxgk.pagework). An entry page's sums ([HTML SHA-256, scan,
    check]), None for another page or when the cache cannot be written."""
    store = _cache_at(to_store.folder)
    if to_store.key is None:
        verdicts = json.dumps({"scan": scan, "check": check}, ensure_ascii=False).encode("utf-8")
        store.put(VERDICTS, to_store.verdict_key, verdicts)
        return None
    # Not compressed: deflating costs more than rendering the page's template (0.3 ms a page); the
    # deploy workflows' cache compresses the folder anyway. The HTML first: an entry never names a
    # file that is not there yet.
    html = output.encode("utf-8")
    if not store.put_file(KIND, to_store.key + HTML, html):
        return None
    found = {"scan": scan, "check": check, "html": hashlib.sha256(html).hexdigest()}
    if not store.put(KIND, to_store.key, json.dumps(found, ensure_ascii=False).encode("utf-8")):
        return None
    return [found["html"], scan, check]


@functools.lru_cache(maxsize=4)
def _cache_at(folder: str) -> BuildCache:
    return BuildCache(Path(folder))


def _checked(path: str, sums: list) -> Stored | None:
    """The page whose HTML is the file `path`, if its bytes are those of `sums` ([SHA-256, scan, check])."""
    try:
        with open(path, "rb") as stored:
            html = stored.read()
        digest = hashlib.sha256(html).hexdigest()
        if digest != sums[0]:
            return None  # written over since (through a site's link to it): rendered again, stored anew
        return Stored(html, sums[1], sums[2], path, digest)
    except (OSError, IndexError, TypeError, KeyError):
        return None  # gone, or sums not as this code writes them: rendered again and stored over
