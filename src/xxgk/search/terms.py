"""The query dictionary: the Chinese words Pagefind indexed, for segmenting queries the same way.

Pagefind's extended build segments page text with a dictionary (mostly two-character words:
营商|环境), while the browser segments the query with its own ICU dictionary (营|商|环境).
The words then disagree and multi-word queries find nothing. The search worker therefore
segments queries itself, against the words of the index, loaded from small shards so a
query only downloads the shards of its own characters. Each word carries how many pages hold
it (as a power of two), so the worker can leave out words that would not narrow the search but
would download the largest parts of the index.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..buildcache import BuildCache, code_digest
from .pagefind_files import IndexedWord, read_fragment

FOLDER = "xxgk-terms"  # inside the Pagefind bundle, next to the index it describes
MANIFEST = "xxgk-terms.json"
SHARD_BYTES = 2048  # small shards: a query touches one shard per distinct character
MAX_WORD = 8  # longer "words" are whole unsegmented runs, never useful to split a query
# Spelling: the portal's compounds (行政复议, 依申请公开) a mistyped query is corrected to. Read from
# this many pages at most (bounded work on a large portal; frequent compounds show in any sample),
# kept when on at least SPELL_MIN_PAGES pages, the SPELL_WORDS most frequent.
SPELL_PAGES = 500
SPELL_MIN_PAGES = 2
SPELL_WORDS = 2000
SPELL_LENGTHS = range(3, 7)
# A compound that starts or ends with one of these says nothing of its own (的通知, 个工作).
SPELL_EDGES = set("的和与及了在是个等对为将并或由于向从以之其也就都而把被按")
SPELL_KIND = "search-spelling"  # the build cache's spelling words, by the bytes of the pages read

_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+$")


def is_han(text: str) -> bool:
    return bool(_HAN.match(text))


def dictionary(words: Iterable[IndexedWord]) -> dict[str, dict[str, int]]:
    """{first character: {word: pages holding it}}. Only words from page text: metadata values
    are indexed whole (a title as one word), and segmenting a query into them would miss text."""
    by_first: dict[str, dict[str, int]] = {}
    for item in words:
        if item.in_content and len(item.word) <= MAX_WORD and is_han(item.word):
            by_first.setdefault(item.word[0], {})[item.word] = item.pages
    return {first: dict(sorted(found.items())) for first, found in sorted(by_first.items())}


def frequency_class(pages: int) -> str:
    """a: 1 page, b: 2-3, c: 4-7, … (floor of log2, as a letter)."""
    return chr(ord("a") + max(pages, 1).bit_length() - 1)


def encode(first: str, words: dict[str, int]) -> str:
    """Each word without its first character, then its frequency class: "营": "_a 业b 商e" is
    营 (1 page), 营业 (2-3 pages), 营商 (16-31 pages)."""
    return " ".join((word[1:] or "_") + frequency_class(pages) for word, pages in words.items())


def shard_of(char: str, shards: int) -> int:
    """Must equal shardOf() in docs/assets/xxgk-search-worker.js."""
    return ord(char) % shards


def spelling_words(bundle: Path, cache: BuildCache | None = None) -> list[str]:
    """Compounds of two or three adjacent Chinese words of the page text (行政|复议, 依|申请|公开),
    three to six characters long, most pages first. The worker loads them only when a query finds
    little, to offer “您是不是要找” for a query one character off. Read from the first SPELL_PAGES
    page fragments by name; `cache`: where they are kept by those fragments' bytes (an edit elsewhere
    leaves them as they are)."""
    read = [path.read_bytes() for path in sorted((bundle / "fragment").glob("*.pf_fragment"))[:SPELL_PAGES]]
    key = hashlib.sha256(code_digest(()).encode())
    for data in read:
        key.update(hashlib.sha256(data).digest())
    stored = cache.get(SPELL_KIND, key.hexdigest()) if cache is not None else None
    if stored is not None:
        try:
            words = json.loads(stored)
            if isinstance(words, list) and all(isinstance(word, str) for word in words):
                return words
        except ValueError:
            pass  # made again and stored over
    words = _spelling_words(read_fragment(data, "fragment") for data in read)
    if cache is not None:
        cache.put(SPELL_KIND, key.hexdigest(), json.dumps(words, ensure_ascii=False).encode())
    return words


def _spelling_words(fragments: Iterable[dict]) -> list[str]:
    pages: dict[str, int] = {}
    for fragment in fragments:
        # A space ends a block (a heading, a cell): a compound never spans one, but may end at one.
        tokens = fragment.get("content", "").split("\u200b")
        whole = [t if is_han(t) else None for t in tokens]
        last = [t.rstrip() if w is None and is_han(t.rstrip()) else w for t, w in zip(tokens, whole)]
        seen = set()
        for i in range(len(tokens) - 1):
            if whole[i] is None:
                continue
            for size in (2, 3):
                end = i + size - 1
                if end >= len(tokens) or last[end] is None or any(w is None for w in whole[i + 1:end]):
                    continue
                words = whole[i:end] + [last[end]]
                compound = "".join(words)
                if len(compound) in SPELL_LENGTHS and not {words[0], words[-1]} & SPELL_EDGES:
                    seen.add(compound)
        for compound in seen:
            pages[compound] = pages.get(compound, 0) + 1
    kept = [w for w, n in pages.items() if n >= SPELL_MIN_PAGES]
    kept.sort(key=lambda w: (-pages[w], -len(w), w))
    return kept[:SPELL_WORDS]


@dataclass
class TermsSummary:
    words: int
    shards: int
    bytes: int


def org_aliases(orgs) -> dict[str, tuple[str, str, str]]:
    """What a reader may type for an organisation -> (its full name, its 标识, its short name): the
    name, the short name, and a department's name without the district (示例区财政局, 区财政局, 财政局)."""
    names = [org.name for org in orgs]
    prefix = names[0] if names else ""
    for name in names:
        while not name.startswith(prefix):
            prefix = prefix[:-1]
    aliases = {}
    for org in orgs:
        found = {org.name, org.short_name}
        for name in (org.name[len(prefix):], org.short_name.removeprefix("区")):
            if name.endswith("局") and len(name) >= 3:  # not 政府: far too common on its own
                found.add(name)
        for alias in sorted(found):  # a set: sorted, so that two builds write the same bytes
            aliases.setdefault(alias, (org.name, org.id, org.short_name))
    return aliases


def write_dictionary(bundle: Path, words: Iterable[IndexedWord], pages: int,
                     orgs: dict[str, tuple[str, str, str]] | None = None,
                     grouped: dict[str, str] | None = None, citizen: dict | None = None,
                     cache: BuildCache | None = None) -> TermsSummary:
    """Write the manifest and shards into the Pagefind bundle folder. `orgs`: see org_aliases;
    `grouped`: the 信息类别 whose pages the search shows as one group, and the page listing them;
    `citizen`: citizens' words (search.words.load_words), with which the worker rewrites queries;
    `cache`: see spelling_words."""
    by_first = {first: encode(first, found) for first, found in dictionary(words).items()}
    total = sum(len(text.encode()) + 8 for text in by_first.values())
    shards = max(1, math.ceil(total / SHARD_BYTES))
    parts: list[dict[str, str]] = [{} for _ in range(shards)]
    for first, text in by_first.items():
        parts[shard_of(first, shards)][first] = text
    texts = [json.dumps(part, ensure_ascii=False, separators=(",", ":")) for part in parts]
    spelling = " ".join(spelling_words(bundle, cache)) if pages else ""
    version = hashlib.sha256("\n".join(texts + [spelling]).encode()).hexdigest()[:10]
    folder = bundle / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for number, text in enumerate(texts):
        (folder / f"{version}-{number}.json").write_text(text, encoding="utf-8")
    (folder / f"{version}-spell.json").write_text(json.dumps(spelling, ensure_ascii=False), encoding="utf-8")
    count = sum(len(text.split(" ")) for text in by_first.values())
    # The worker needs not spare a small index: at worst a query downloads all of it.
    index_bytes = sum(f.stat().st_size for f in (bundle / "index").glob("*.pf_index"))
    manifest = {"version": version, "shards": shards, "words": count, "pages": pages, "index_bytes": index_bytes,
                "orgs": orgs or {}, "grouped": grouped, "citizen": citizen or {}}
    (bundle / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return TermsSummary(count, shards, sum(len(t.encode()) for t in texts))


def read_summary(bundle: Path) -> TermsSummary:
    """The summary of a dictionary written before (a bundle from the build cache)."""
    manifest = json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))
    texts = [bundle / FOLDER / f"{manifest['version']}-{number}.json" for number in range(manifest["shards"])]
    return TermsSummary(manifest["words"], manifest["shards"], sum(path.stat().st_size for path in texts))

