"""The words of reports as published: amount units, tolerant label matching, blanks.

The vocabulary lives in data/report-words.yml; this module only interprets it.
- amounts: “83.8778万元”, “251000元” read exactly (Decimal) and converted to a column's unit;
- labels: NFKC, no whitespace, numbering styles 1. / 1、/ （1）/ (1) made equal, then an
  edit distance of at most N (a warning names the published and the official label); a numbered
  row of a known group may differ more (match_numbered).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..problems import InputError, Problems
from ..yamlio import load_yaml_file

WORDS_FILE = "data/report-words.yml"
UNIT_KEY = "金额单位"  # the top-level field of a report file that declares its amounts' unit


@dataclass
class Words:
    units: dict[str, Decimal] = field(default_factory=lambda: {"元": Decimal(1), "万元": Decimal(10000)})
    max_distance: int = 2
    numbered_ratio: float = 0.3  # a numbered row in its group: see match_numbered
    blanks: tuple[str, ...] = ("", "-", "—", "/")
    count_words: tuple[str, ...] = ("件",)
    page_ends: tuple[str, ...] = ()  # texts after the report on a saved page (版权所有 …)
    page_labels: tuple[str, ...] = ()  # a saved page's lines under the title: 来源：… 时间：… (页面信息)
    aliases: dict[str, str] = field(default_factory=dict)  # another format's label -> this one's (标签别称)
    place_suffixes: tuple[str, ...] = ("省", "市", "县", "区")  # 行政区划后缀: 淮安市 + 洪泽区人民政府

    # --- amounts ---------------------------------------------------------------------------------

    def split_amount(self, text: str) -> tuple[Decimal, str | None] | None:
        """“251000元” -> (Decimal('251000'), '元'); “83.8778” -> (…, None); None if not an amount."""
        text = unicodedata.normalize("NFKC", str(text)).replace(",", "").replace(" ", "").strip()
        for unit in sorted(self.units, key=len, reverse=True):
            if text.endswith(unit):
                number, found = text[: -len(unit)], unit
                break
        else:
            number, found = text, None
        if not re.fullmatch(r"-?\d+(\.\d+)?", number):
            return None
        try:
            return Decimal(number), found
        except InvalidOperation:
            return None

    def convert(self, value: Decimal, unit: str, target: str) -> Decimal:
        """Exact: 251000元 in 万元 is 25.1."""
        result = value * self.units[unit] / self.units[target]
        return result.normalize() if result == result.to_integral_value() else result

    def unit_names(self) -> str:
        return "、".join(self.units)

    # --- labels ----------------------------------------------------------------------------------

    def is_blank(self, text: str) -> bool:
        return normalize(text) in {normalize(b) for b in self.blanks}

    def match(self, text: str, labels) -> tuple[str | None, int]:
        """(official label, distance): 0 for an exact or normalised match; None when none is near."""
        labels = list(labels)
        if text in labels:
            return text, 0
        key = normalize(text)
        keys = {}
        for label in labels:
            keys.setdefault(normalize(label), label)
        if key in keys:
            return keys[key], 0
        alias = self.aliases.get(key)
        if alias is not None and normalize(alias) in keys:  # 规范性文件 in a 2021 report: declared, not guessed
            return keys[normalize(alias)], max(distance(key, normalize(alias)), 1)
        best, distance_found = nearest(key, _same_number(key, keys))
        # Short labels are not guessed: 其他 and 总计 are two edits apart.
        if best is not None and distance_found <= min(self.max_distance, len(best) // 4):
            return keys[best], distance_found
        return None, distance_found

    def match_numbered(self, text: str, labels) -> tuple[str | None, int]:
        """(official label, distance) for a numbered label that `match` refused: among `labels`
        (the rows of the group being read) the one with the same number, if the published text
        differs from it by at most `numbered_ratio` of its length after the number."""
        key = normalize(text)
        number = re.match(r"\d+\.", key)
        if not number:
            return None, 0
        same = [label for label in labels if normalize(label).startswith(number[0])]
        if len(same) != 1:
            return None, 0
        official = normalize(same[0])
        found = distance(key, official)
        if found <= (len(official) - len(number[0])) * self.numbered_ratio:
            return same[0], found
        return None, found

    def same_organs(self, names) -> dict[str, str]:
        """Each name -> the shortest of the names that it equals with a place before it:
        “淮安市洪泽区人民政府” -> “洪泽区人民政府”, when both occur."""
        names = sorted(set(names), key=len)
        suffixes = "|".join(re.escape(s) for s in sorted(self.place_suffixes, key=len, reverse=True))
        canonical = {}
        for name in names:
            canonical[name] = next((canonical[short] for short in names if len(short) < len(name)
                                    and name.endswith(short) and suffixes
                                    and re.fullmatch(rf".+?(?:{suffixes})", name[: -len(short)])), name)
        return canonical

    def is_page_line(self, text: str) -> bool:
        """“来源：区政府办　时间：2025-03-10”: a saved page's furniture, not the report's text."""
        labels = "|".join(re.escape(label) for label in self.page_labels)
        return bool(labels) and re.match(rf"\s*(?:{labels})\s*[:：]", text) is not None

    def nearest_label(self, text: str, labels) -> str | None:
        keys = {}
        for label in labels:
            keys.setdefault(normalize(label), label)
        best, _ = nearest(normalize(text), _same_number(normalize(text), keys))
        return keys[best] if best is not None else None


_NUMBERING = re.compile(r"^(?:\((\d+)\)|(\d+)[、.．,，])")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "、": ",", "，": ","})


def _same_number(key: str, keys) -> list[str]:
    """The keys not numbered otherwise than `key`: a typo is never taken for a row of another
    number (“2.其他” is not “3.其他”, one edit away)."""
    number = re.match(r"\d+\.", key)
    return [k for k in keys if not number or not re.match(r"\d+\.", k) or k.startswith(number[0])]


def normalize(text) -> str:
    """The comparison key of a label: NFKC, no whitespace, one numbering style, plain quotes."""
    text = unicodedata.normalize("NFKC", str(text))
    text = re.sub(r"\s+", "", text)
    text = _NUMBERING.sub(lambda m: f"{m[1] or m[2]}.", text)
    return text.translate(_QUOTES).rstrip(":")


def distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def nearest(key: str, keys) -> tuple[str | None, int]:
    best, best_distance = None, 10**9
    for candidate in keys:
        d = distance(key, candidate)
        if d < best_distance:
            best, best_distance = candidate, d
    return best, best_distance


def load_words(root: Path, problems: Problems | None = None) -> Words:
    """data/report-words.yml; the defaults above when the project has none."""
    path = root / WORDS_FILE
    words = Words()
    if not path.is_file():
        return words
    try:
        data, lines = load_yaml_file(path, WORDS_FILE)
    except InputError as exc:
        if problems is not None:
            problems.append(exc.problem)
        return words
    data = data if isinstance(data, dict) else {}
    units = data.get("金额单位")
    if isinstance(units, dict) and units:
        try:
            words.units = {str(k): Decimal(str(v)) for k, v in units.items()}
        except InvalidOperation:
            if problems is not None:
                problems.error(WORDS_FILE, lines.get(("金额单位",), 1), "金额单位", "每个单位应写折合的元数，例如 万元: 10000。")
    if isinstance(data.get("标签最大编辑距离"), int) and not isinstance(data.get("标签最大编辑距离"), bool):
        words.max_distance = data["标签最大编辑距离"]
    ratio = data.get("编号标签最大差异比例")
    if isinstance(ratio, (int, float)) and not isinstance(ratio, bool) and 0 <= ratio < 1:
        words.numbered_ratio = float(ratio)
    if isinstance(data.get("空白写法"), list):
        words.blanks = tuple(str(b) for b in data["空白写法"])
    if isinstance(data.get("页面信息"), list):
        words.page_labels = tuple(str(b) for b in data["页面信息"] if b)
    if isinstance(data.get("页面结尾"), list):
        words.page_ends = tuple(str(b) for b in data["页面结尾"])
    aliases = data.get("标签别称")
    if isinstance(aliases, dict):
        words.aliases = {normalize(k): str(v) for k, v in aliases.items() if v is not None}
    if isinstance(data.get("行政区划后缀"), list):
        words.place_suffixes = tuple(str(b) for b in data["行政区划后缀"] if b)
    if isinstance(data.get("计数量词"), list):
        words.count_words = tuple(str(b) for b in data["计数量词"])
    return words
