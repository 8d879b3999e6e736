"""The build cache: files the build made before, found again by the hash of their inputs.

It lives in `.cache/xxgk/` at the project root (in .gitignore; the deploy workflows keep it between
runs). Deleting the folder gives a full build. The cache is only ever a shortcut: an entry that
cannot be read, or whose checksum does not match, is ignored and made again, and a folder that
cannot be written leaves the build as it would be without a cache.

An entry is `<kind>/<key>`: the SHA-256 of its bytes, then the bytes. Writes go to a temporary file
renamed into place, so a build killed halfway never leaves a half entry under a key. A plain file
(`put_file`) has no checksum of its own: whoever stores it keeps its checksum in an entry and checks
the file against it before use (xxgk.pagecache links a page's HTML into the site).
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

CACHE_DIR = ".cache/xxgk"
_DIGEST = 32


def cache_dir(root: Path) -> Path:
    return root / CACHE_DIR


def files_digest(digest, root: Path, parts, skip: tuple[str, ...] = ()) -> None:
    """Feed `digest` with the names and bytes of the files `parts` (files or folders under `root`),
    in a stable order, leaving out __pycache__ and names that start with one of `skip`."""
    for part in parts:
        path = root / part
        found = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path] if path.is_file() else []
        for file in found:
            name = file.relative_to(root).as_posix()
            if "__pycache__" in name or name.startswith(skip):
                continue
            digest.update(name.encode() + b"\0" + file.read_bytes() + b"\0")


@functools.cache
def code_digest(packages: tuple[str, ...]) -> str:
    """The package's own files and the versions of the libraries `packages`: a cached result made
    by other code is never used."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    files_digest(digest, package.parent, [package.name])
    for name in packages:
        try:
            digest.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=\0".encode())
    return digest.hexdigest()


_BLOCK = 1 << 20


@functools.cache
def _umask() -> int:
    mask = os.umask(0)  # read by setting it: put back at once
    os.umask(mask)
    return mask


class _Hashing:
    """A file to write to that also feeds what is written to a SHA-256."""

    def __init__(self, out):
        self.out, self.digest = out, hashlib.sha256()

    def write(self, data) -> int:
        self.digest.update(data)
        return self.out.write(data)


class BuildCache:
    def __init__(self, folder: Path):
        self.folder = folder
        self._top = str(folder)  # string paths for the per-page calls: pathlib costs more than the read
        self._used: dict[str, set[str]] = {}  # kind -> keys read or written by this build

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / key

    def get(self, kind: str, key: str) -> bytes | None:
        self._used.setdefault(kind, set()).add(key)
        return self._read(os.path.join(self._top, kind, key))

    @staticmethod
    def _read(path: str) -> bytes | None:
        try:
            with open(path, "rb") as stored:  # read in two, not sliced: no copy of a large entry
                digest, data = stored.read(_DIGEST), stored.read()
        except OSError:
            return None
        if len(digest) < _DIGEST or hashlib.sha256(data).digest() != digest:
            return None  # damaged: made again and written over
        return data

    def entries(self, kind: str) -> dict[str, bytes]:
        """Every entry of `kind` whose checksum holds, by key; not kept through `prune` by this (the
        caller keeps or replaces what it still needs)."""
        folder = os.path.join(self._top, kind)
        try:
            names = [name for name in os.listdir(folder) if not name.startswith(".tmp-")]
        except OSError:
            return {}
        found = {name: self._read(os.path.join(folder, name)) for name in sorted(names)}
        return {name: data for name, data in found.items() if data is not None}

    def open(self, kind: str, key: str):
        """The entry's bytes as a file to read from (its checksum checked first, block by block), or None:
        for a large entry read by a streaming reader, never held whole in memory. The caller closes it."""
        self._used.setdefault(kind, set()).add(key)
        try:
            stored = self._path(kind, key).open("rb")
        except OSError:
            return None
        try:
            digest, check = stored.read(_DIGEST), hashlib.sha256()
            while block := stored.read(_BLOCK):
                check.update(block)
            if len(digest) == _DIGEST and check.digest() == digest:
                stored.seek(_DIGEST)  # the same open file: a rename in between cannot swap the bytes checked
                return stored
        except OSError:
            pass
        stored.close()
        return None

    def keep(self, kind: str, key: str) -> None:
        """Keep the entry through `prune` without reading it (this build did not need it, the next may)."""
        self._used.setdefault(kind, set()).add(key)

    def holds(self, kind: str, key: str) -> bool:
        """Whether the entry is there (kept through `prune`); unread, so `get` may still find it damaged."""
        self.keep(kind, key)
        return self._path(kind, key).is_file()

    def put(self, kind: str, key: str, data: bytes) -> bool:
        return self.put_stream(kind, key, lambda out: out.write(data))

    def put_file(self, kind: str, key: str, data: bytes) -> bool:
        """Store `data` as it is, readable as any file the build writes (it may be linked into the site)."""
        self._used.setdefault(kind, set()).add(key)
        return self._replace(kind, key, lambda out: (os.fchmod(out.fileno(), 0o666 & ~_umask()), out.write(data)))

    def file(self, kind: str, key: str) -> Path:
        """Where the plain file `key` is (kept through `prune`); the caller checks its bytes."""
        self._used.setdefault(kind, set()).add(key)
        return self._path(kind, key)

    def where(self, kind: str, key: str) -> str:
        """`file` as a string path (for one call per page: a Path costs more than reading a small file)."""
        self._used.setdefault(kind, set()).add(key)
        return os.path.join(self._top, kind, key)

    def put_stream(self, kind: str, key: str, write) -> bool:
        """Store what `write(file)` writes into the file it is given: a large entry is written as it is
        made (pickle.dump), never held whole in memory; its checksum is computed on the way. False if
        the cache could not be written."""
        self._used.setdefault(kind, set()).add(key)

        def checksummed(out) -> None:
            out.write(bytes(_DIGEST))  # the checksum's place, filled in at the end
            hashing = _Hashing(out)
            write(hashing)
            out.seek(0)
            out.write(hashing.digest.digest())
        return self._replace(kind, key, checksummed)

    def _replace(self, kind: str, key: str, write) -> bool:
        """Write the file `kind/key` through a temporary file renamed into place; False if it cannot be."""
        folder = self.folder / kind
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as out:
                    write(out)
                os.replace(temporary, self._path(kind, key))
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            return False  # a cache that cannot be written only costs time
        return True

    def remove(self, kind: str, key: str) -> None:
        try:
            self._path(kind, key).unlink()
        except OSError:
            pass

    def prune(self, kind: str) -> None:
        """Remove the entries of `kind` this build did not use (older versions of the same files)."""
        used = self._used.get(kind, set())
        try:
            stale = [path for path in (self.folder / kind).iterdir() if path.name not in used]
        except OSError:
            return
        for path in stale:
            try:
                path.unlink()
            except OSError:
                pass
