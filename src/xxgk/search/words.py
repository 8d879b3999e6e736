"""Citizens' words (data/search-words.yml): what people type -> the words this portal uses.

Read at build time and written into the query dictionary's manifest, which the search worker
loads anyway: the worker rewrites a query with it before segmenting (docs/assets/xxgk-search-worker.js).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..problems import ERROR, InputError, Problem
from ..yamlio import load_yaml_file

FILE = "data/search-words.yml"
PHRASES, FILLERS = "说法", "虚词"
MAX_PHRASE = 12  # characters: a longer "everyday word" is a sentence, never matched
MAX_MEANINGS = 4  # each meaning is searched once
_WORD = re.compile(r"^[^\s\x00-\x1f]+$")


def _fail(line: int | None, field: str | None, message: str):
    raise InputError(Problem(ERROR, FILE, line, field, message))


def _text(value, line, field) -> str:
    if value is None:
        _fail(line, field, "不能为空：请在冒号后写上本站用语，例如“年报: 年度报告”。")
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        _fail(line, field, "应为文字，例如“年报: 年度报告”。")
    text = " ".join(str(value).split())
    if not text:
        _fail(line, field, "不能为空：请在冒号后写上本站用语，例如“年报: 年度报告”。")
    return text


def load_words(root: Path) -> dict:
    """{"phrases": {everyday phrase: [meaning, …]}, "fillers": [word, …]}; empty without the file.
    Raises InputError naming the line and what to fix."""
    path = root / FILE
    if not path.is_file():
        return {"phrases": {}, "fillers": []}
    data, lines = load_yaml_file(path, FILE)
    data = data or {}
    if not isinstance(data, dict):
        _fail(1, None, f"应为“{PHRASES}:”和“{FILLERS}:”两部分。")
    unknown = [str(k) for k in data if k not in (PHRASES, FILLERS)]
    if unknown:
        _fail(lines.get((unknown[0],)), unknown[0], f"不认识的部分“{unknown[0]}”，可用：{PHRASES}、{FILLERS}。")
    phrases: dict[str, list[str]] = {}
    mapping = data.get(PHRASES) or {}
    if not isinstance(mapping, dict):
        _fail(lines.get((PHRASES,)), PHRASES, "应为“市民的说法: 本站用语”形式的一行一条。")
    for key, value in mapping.items():
        line = lines.get((PHRASES, key))
        phrase = _text(key, line, PHRASES)
        if not _WORD.match(phrase) or len(phrase) > MAX_PHRASE:
            _fail(line, phrase, f"说法“{phrase}”应为不含空格、不超过 {MAX_PHRASE} 个字的词语。")
        meanings = value if isinstance(value, list) else [value]
        if not meanings or len(meanings) > MAX_MEANINGS:
            _fail(line, phrase, f"说法“{phrase}”应有 1 到 {MAX_MEANINGS} 种本站用语。")
        phrases[phrase.lower()] = [_text(m, line, phrase).lower() for m in meanings]
    fillers = data.get(FILLERS) or []
    if not isinstance(fillers, list):
        _fail(lines.get((FILLERS,)), FILLERS, "应为列表，例如 [怎么, 如何, 吗]。")
    words = []
    for i, filler in enumerate(fillers):
        word = _text(filler, lines.get((FILLERS, i), lines.get((FILLERS,))), FILLERS)
        if not _WORD.match(word) or len(word) > MAX_PHRASE:
            _fail(lines.get((FILLERS,)), FILLERS, f"虚词“{word}”应为不含空格的短词。")
        words.append(word.lower())
    return {"phrases": phrases, "fillers": words}
