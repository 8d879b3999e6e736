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

Beside the bundle, the key of each entry's text is kept by what lstat says of its file (device, inode,
size, mtime, ctime), so that an unchanged file is not even read; only files last changed well before
the build began are remembered so, since two writes in one tick of the file system's clock would look
alike. A fresh checkout (CI) changes every ctime: its texts are read once for their keys.

FileCache does the same for the files of data/reports/ and data/register/: what reading one file (and
the files it names) gave, with that reading's own problems, under the hash of those files' bytes.
"""

from __future__ import annotations

import contextlib
import contextvars
import copyreg
import datetime
import hashlib
import io
import os
import pickle
import stat
import time
from pathlib import Path

from .buildcache import BuildCache, cache_dir, code_digest, files_digest
from .problems import Problem, Problems

KIND = "entries"
KEYS = "entry-keys"  # src_uri -> (lstat signature, key of its text): texts unchanged need not be read
_SETTLED = 2 * 10**9  # ns: a file changed this long before the build began has a signature of its own
PACKAGES = ("markdown", "pymdown-extensions", "mkdocs", "nh3", "google-re2", "pyyaml", "lxml", "chinesecalendar",
            "pyahocorasick")  # every library whose answer goes into an entry as read and checked
NOT_READ = ("data/reports/", "data/register/")  # reading an entry never opens these


def _shared(name: str):
    """Stands for an object pickled by its name (_Pickler); never called: the unpickler finds the object."""
    raise pickle.UnpicklingError(name)


class _Unpickler(pickle.Unpickler):
    """Builds nothing but the classes an entry is made of: a planted bundle runs no code.
    `shared`: objects pickled by name (FileCache), found again as the same objects."""

    def __init__(self, stored, classes: tuple[type, ...], shared: dict | None = None):
        super().__init__(stored)
        self.allowed = {(c.__module__, c.__qualname__): c for c in (*classes, Problem, datetime.date, frozenset, set)}
        found = dict(shared or {})
        self.allowed[(_shared.__module__, _shared.__qualname__)] = lambda name: found[name]  # KeyError: not loaded

    def find_class(self, module: str, name: str):
        found = self.allowed.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name}")
        return found


class _Pickler(pickle.Pickler):
    """Pickles the objects of `shared` (name -> object) by their names. Chosen by type in the pickler's
    own dispatch table (no Python call for every other object); one of those types that is not in
    `shared` is pickled as usual, and then not unpickled (its class is not allowed): read again."""

    def __init__(self, out, shared: dict):
        super().__init__(out, protocol=pickle.HIGHEST_PROTOCOL)
        names = {id(value): name for name, value in shared.items()}

        def by_name(obj):
            name = names.get(id(obj))
            return (_shared, (name,)) if name is not None else obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
        self.dispatch_table = copyreg.dispatch_table.copy()
        for value in shared.values():
            self.dispatch_table[type(value)] = by_name


class _CopyingPickler(pickle.Pickler):
    """Pickles the objects of `classes` with copies of their texts, one copy for each text, so that what
    objects share stays shared. CPython keeps a text's UTF-8 form inside the text once it has been
    pickled, for as long as the text lives: pickling the entries themselves would hold every entry's
    body twice through the rest of the build (0.2 GB at 100,000 entries)."""

    def __init__(self, out, classes: tuple[type, ...]):
        super().__init__(out, protocol=pickle.HIGHEST_PROTOCOL)
        copies: dict[int, str] = {}  # id of a text (alive while pickled) -> its copy

        def copy(text: str) -> str:
            found = copies.get(id(text))
            if found is None:
                found = copies[id(text)] = text.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")
            return found

        def with_copies(obj):
            func, args, state, *rest = obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
            if isinstance(state, dict):
                state = {name: copy(value) if type(value) is str and not value.isascii() else value
                         for name, value in state.items()}
            return (func, args, state, *rest)
        self.dispatch_table = copyreg.dispatch_table.copy()
        for kind in classes:
            self.dispatch_table[kind] = with_copies


_PASS: contextvars.ContextVar[dict | None] = contextvars.ContextVar("reading_pass", default=None)


@contextlib.contextmanager
def one_pass():
    """Within: the project is read in one pass (xxgk.project.load_project), so the caches made there
    digest data/ once between them."""
    token = _PASS.set({})
    try:
        yield
    finally:
        _PASS.reset(token)


def reading_digest(root: Path) -> hashlib._Hash:
    """What reading any file depends on besides the file: the code and libraries, mkdocs.yml, and
    data/ but for the reports' and registers' files."""
    done = _PASS.get()
    if done is not None and root in done:
        return done[root].copy()
    digest = hashlib.sha256(code_digest(PACKAGES).encode())
    files_digest(digest, root, ["mkdocs.yml", "data"], NOT_READ)
    if done is not None:
        done[root] = digest.copy()
    return digest


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
        try:
            if "snippets" in (root / "mkdocs.yml").read_text(encoding="utf-8"):
                self.enabled = False
        except (OSError, UnicodeError):
            pass
        self.bundle = reading_digest(root).hexdigest()
        self._classes = (*classes, Problem)
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
        # The key of each file's text as last read, by what lstat says of it (see known()).
        self._since = time.time_ns() - _SETTLED
        self._keys: dict[str, tuple] = {}
        if self._found:
            stored = self._store.get(KEYS, self.bundle)
            try:
                keys = _Unpickler(io.BytesIO(stored), ()).load() if stored is not None else {}
                self._keys = keys if isinstance(keys, dict) else {}
            except Exception:  # noqa: BLE001 — every text is read for its key
                self._keys = {}
        self._known: dict[str, tuple] = {}

    @staticmethod
    def signature(path: str) -> tuple | None:
        """What lstat says of a regular file, all of which changes when it is written (ctime even when its
        mtime is set back), or None."""
        try:
            info = os.lstat(path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns

    def known(self, src_uri: str, signature: tuple | None) -> str | None:
        """The key of the text of `src_uri`, if the file is as it was when its text was last read for it."""
        found = self._keys.get(src_uri)
        if (signature is None or not isinstance(found, tuple) or len(found) != 2 or found[0] != signature
                or not isinstance(found[1], str)):
            return None
        self._known[src_uri] = found
        return found[1]

    def learn(self, src_uri: str, signature: tuple | None, key: str) -> None:
        """Remember the key of the text read from `src_uri`, whose lstat before reading gave `signature`.
        Only of a file last changed well before this build began: a write in the same tick of the
        file system's clock as the one before it would leave the same signature."""
        if signature is not None and signature[4] < self._since:
            self._known[src_uri] = (signature, key)

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
                                   lambda out: _CopyingPickler(out, self._classes).dump(self._used))
        self._store.prune(KIND)  # the bundle read or written here is kept
        if self._known != self._keys:
            self._store.put(KEYS, self.bundle, pickle.dumps(self._known, protocol=pickle.HIGHEST_PROTOCOL))
        self._store.keep(KEYS, self.bundle)
        self._store.prune(KEYS)


def _stored_dict(store: BuildCache, kind: str, name: str, valid) -> dict:
    """The dict pickled as `kind/name`, read through the unpickler that builds only plain data, if it
    loads and each value is `valid`; else empty (the work is done again)."""
    stored = store.get(kind, name)
    if stored is None:
        return {}
    try:
        found = _Unpickler(io.BytesIO(stored), ()).load()
    except Exception:  # noqa: BLE001 — a bundle that does not load is only the work done again
        return {}
    return found if isinstance(found, dict) and all(valid(v) for v in found.values()) else {}


def file_key(root: Path, files: list[str]) -> str | None:
    """The hash of the names and bytes of `files` (under root; one that is not there counts as such),
    or None when one is a link, a pipe or anything but a regular file: those are read, never keyed."""
    digest = hashlib.sha256()
    for file in files:
        path = root / file
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            digest.update(file.encode() + b"\0absent\0")
            continue
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        digest.update(file.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    return digest.hexdigest()


class FileCache:
    """What reading a file of data/ gave (its objects and its own problems), found again by file_key.

    One bundle per kind, keyed by reading_digest: a dict of file key -> pickled (result, problems).
    Each result is pickled when it is put, so what the build changes in it later is not kept, and
    unpickled on each get, so no two builds' objects are shared. `shared` (name -> object): objects
    the results point to but do not own (a report's format), pickled by name. A bundle or a result
    that does not load is ignored: the file is read again."""

    def __init__(self, root: Path, kind: str, result: type, classes: tuple[type, ...], shared: dict | None = None):
        """`result`: the type of a result (or None); `classes`: all it may be made of."""
        self._store = BuildCache(cache_dir(root))
        self.kind, self.result, self.classes, self.shared = kind, result, classes, shared or {}
        self._bundle = reading_digest(root).hexdigest()
        self._found: dict[str, bytes] = _stored_dict(self._store, kind, self._bundle, lambda v: isinstance(v, bytes))
        self._used: dict[str, bytes] = {}
        self.hits = 0

    def get(self, key: str | None):
        """(result, its problems) as read before, or None."""
        stored = self._found.get(key) if key else None
        found = self._load(stored) if stored is not None else None
        if found is not None:
            self._used[key] = stored
            self.hits += 1
        return found

    def put(self, key: str | None, result, problems: list) -> tuple:
        """Keep (result, problems) under `key`, and give them back as a later get will (unpickled again):
        what this build goes on with is what the next one finds, down to which objects are one object."""
        if not key:
            return result, problems
        out = io.BytesIO()
        try:
            _Pickler(out, self.shared).dump((result, list(problems)))
        except (pickle.PicklingError, TypeError, AttributeError):
            return result, problems  # not kept: read again next time
        stored = out.getvalue()
        again = self._load(stored)
        if again is None:
            return result, problems
        self._used[key] = stored
        return again

    def _load(self, stored: bytes):
        try:
            result, problems = _Unpickler(io.BytesIO(stored), self.classes, self.shared).load()
        except Exception:  # noqa: BLE001 — read again
            return None
        if result is not None and not isinstance(result, self.result):
            return None
        if not isinstance(problems, list) or not all(isinstance(p, Problem) for p in problems):
            return None
        return result, Problems(problems)

    def made_of(self, key: str | None) -> str | None:
        """The hash of all that the result under `key` is made of: `key`, data/ and the code; None without a key."""
        return hashlib.sha256(f"{self._bundle}\0{key}".encode()).hexdigest() if key else None

    def state_key(self, *objects) -> str | None:
        """The hash of `objects` as pickled here (every attribute, all the way down): the key of what a
        computation that reads nothing else (but data/ and the code) made of them; None if they do not pickle."""
        out = io.BytesIO()
        try:
            _Pickler(out, self.shared).dump(objects)
        except (pickle.PicklingError, TypeError, AttributeError):
            return None
        return hashlib.sha256(out.getvalue()).hexdigest()

    def save(self) -> None:
        """Write this build's bundle (if it differs from the one read) and remove older ones."""
        if self._used.keys() != self._found.keys():
            self._store.put(self.kind, self._bundle, pickle.dumps(self._used, protocol=pickle.HIGHEST_PROTOCOL))
        self._store.prune(self.kind)


class ProblemCache:
    """The problems a check found in a text, by the hash of everything the check read there, for a check
    whose answer is nothing but problems (frozen: kept and given out as they are) and whose rules are in
    data/ (xxgk.wording): one bundle per kind, keyed by reading_digest, loaded at once."""

    def __init__(self, root: Path, kind: str):
        self._store = BuildCache(cache_dir(root))
        self.kind = kind
        self._bundle = reading_digest(root).hexdigest()
        self._found: dict[str, tuple] = _stored_dict(
            self._store, kind, self._bundle, lambda v: isinstance(v, tuple) and all(isinstance(p, Problem) for p in v))
        self._used: dict[str, tuple] = {}
        self.hits = 0

    @staticmethod
    def key(*parts) -> str:
        """The hash of `parts` (texts, numbers, dates, lists of them), by their repr: pickling a text keeps
        a UTF-8 copy inside the string for as long as it lives (CPython), 0.2 GB of entry bodies at 100,000."""
        return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()

    def get(self, key: str) -> tuple | None:
        found = self._found.get(key)
        if found is not None:
            self._used[key] = found
            self.hits += 1
        return found

    def put(self, key: str, problems) -> None:
        self._used[key] = tuple(problems)

    def save(self) -> None:
        if self._used.keys() != self._found.keys():
            self._store.put(self.kind, self._bundle, pickle.dumps(self._used, protocol=pickle.HIGHEST_PROTOCOL))
        self._store.prune(self.kind)
