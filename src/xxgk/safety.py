"""Publication safety: personal data and secrecy markings in anything that is published.

“上网信息不涉密，涉密信息不上网”：a finding is an error that stops the build, with the
file, the line and the value masked, unless the value is an official number declared in
data/ or the entry waives it with a written reason.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import os
import posixpath
import re
import threading
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from html import unescape
from pathlib import Path

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# First two digits of a region code (GB/T 2260), for 15-digit IDs, which have no check digit.
_PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
              50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}

# Separators tolerated between digit groups, after NFKC (which turns NBSP, the ideographic space and
# full-width forms into ASCII): a space, a dot, a middle dot, or a hyphen/dash with optional spaces.
_DASH = "\\-\u2010-\u2015\u2212"
_SEP = f"(?: ?[{_DASH}] ?|[ .\u00b7\u30fb])"
# Invisible characters that can sit between digits without being seen.
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")


def _grouped(name: str, *shapes: str, last: str = r"\d") -> str:
    """Alternatives of digit groups such as "3 4 4": one separator, the same throughout a candidate.
    A group size may be a range ("1,3"); `last` is the class of the very last character."""
    alternatives = []
    for n, shape in enumerate(shapes):
        sizes = shape.split()
        groups = [r"\d{%s}" % s for s in sizes]
        if last != r"\d":
            groups[-1] = r"\d{%d}%s" % (int(sizes[-1]) - 1, last)
        sep = f"(?P<{name}{n}>{_SEP})"
        alternatives.append(groups[0] + "".join((sep if i == 0 else f"(?P={name}{n})") + g
                                                for i, g in enumerate(groups[1:])))
    return "|".join(alternatives)


_NOT_AFTER = r"(?<![0-9A-Za-z])(?<![0-9]\.)"  # not inside a longer number, code or decimal
_NOT_BEFORE = r"(?![0-9A-Za-z])(?!\.[0-9])"
ID18 = re.compile(_NOT_AFTER + r"(?=[1-9])(?:" +
                  _grouped("i", "18", "6 8 4", "6 4 4 4", "4 4 4 4 2", last="[0-9Xx]") + ")" + _NOT_BEFORE)
ID15 = re.compile(_NOT_AFTER + r"(?=[1-9])(?:" + _grouped("o", "15", "6 6 3") + ")" + _NOT_BEFORE)
MOBILE = re.compile(r"(?<![0-9])(?<![0-9]\.)(?:\(?(?:\+|00)?86\)?" + _SEP + r"?)?(?P<number>(?=1[3-9])(?:"
                    + _grouped("m", "11", "3 4 4", "3 8", "7 4") + r"))(?![0-9])(?!\.[0-9])")
CARD = re.compile(r"(?<![0-9])(?<![0-9]\.)(?=[3-6])(?:" + _grouped("c", "16,19", "4 4 4 4 1,3", "4 4 4 4", "6 13")
                  + r")(?![0-9])(?!\.[0-9])")
# Business registration numbers have 15 digits too and often look like an old ID.
_NOT_ID15 = re.compile("(?:注册号|注册码|信用代码|识别号|税号|编号|编码|代码|订单号|流水号)[:：\\s]*$")

# Secrecy markings (密级标志) and internal-only labels. 涉密 and 不予公开 also occur in ordinary
# prose (“除涉密内容外”, “不予公开3件”), so they count only in the form of a label: bracketed,
# after 密级/公开属性, or alone on a line as a stamp.
_LABELS = "涉密|不予公开|内部资料|内部文件|机密|秘密"
MARKINGS = re.compile(
    r"(?:绝密|机密|秘密)\s*★|★\s*(?:绝密|机密|秘密)|绝密|内部资料"
    rf"|[【\[［（(〔]\s*(?:{_LABELS})\s*[】\]］）)〕]"
    rf"|(?:密级|公开属性|公开方式)\s*[:：]\s*(?:{_LABELS})"
    rf"|^[ \t　*#>]*(?:{_LABELS})[ \t　*]*$",
    re.M,
)


@dataclass(frozen=True)
class Finding:
    kind: str  # 居民身份证号 / 手机号码 / 银行卡号 / 密级标志
    value: str  # as found, digits normalised; compared with waivers and the allow-list
    line: int  # 1-based within the scanned text

    @property
    def masked(self) -> str:
        v = self.value
        if self.kind == "密级标志":
            return v
        keep = (3, 4) if self.kind == "手机号码" else (6, 4) if self.kind == "居民身份证号" else (4, 4)
        return v[: keep[0]] + "*" * (len(v) - sum(keep)) + v[-keep[1]:]


def digits(text: str) -> str:
    return re.sub(r"[^0-9Xx]", "", text).upper()


def _valid_id(number: str) -> bool:
    if len(number) != 18:
        return False
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def _valid_id15(number: str) -> bool:
    """The old 15-digit number: region code of a real province, birth date 19YYMMDD, no check digit."""
    if int(number[:2]) not in _PROVINCES:
        return False
    try:
        date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:
        return False
    return True


def _luhn(number: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(number)):
        d = int(char)
        if index % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def normalise(text: str) -> str:
    """Text as a reader sees it: entities decoded, NFKC (full-width digits and letters), invisible
    characters removed. Never adds or removes a line break, so line numbers stay right."""
    if "&" in text:
        text = _ENTITY.sub(lambda m: unescape(m.group(0)).replace("\n", " ").replace("\r", " "), text)
    if _NEEDS_NFKC.search(text):  # NFKC costs as much as the scan itself: only where it changes digits
        text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return text


# Full-width forms, NBSP, the ideographic space, invisible and other special spaces.
_NEEDS_NFKC = re.compile("[\uff01-\uffef\u00a0\u00ad\u2000-\u206f\u3000\ufe50-\ufe6f\ufeff]")
# At least 11 digits joined by single separators: nothing shorter can be any of the numbers we look for.
_LONG_RUN = re.compile(f"\\d(?:{_SEP}?\\d){{10}}")


def scan(text: str) -> list[Finding]:
    """Personal data and secrecy markings in `text`, with their line numbers."""
    found: list[Finding] = []
    if _DIGITS_HINT.search(text):
        plain = normalise(text)
        if _LONG_RUN.search(plain):
            _scan_numbers(plain, found)
    if _MARKING_HINT.search(text):
        for m in MARKINGS.finditer(text):
            found.append(Finding("密级标志", m.group(0), text.count("\n", 0, m.start()) + 1))
    return found


# Cheap first looks: most texts hold no long number and no marking, so the full patterns rarely run.
# \d also matches full-width digits; entities and invisible characters always get the full look.
_DIGITS_HINT = re.compile(f"\\d{{3}}(?:{_SEP}|[\u00a0\u3000\ufe63\uff0d\uff0e])?\\d{{4}}|&#|\\d&[A-Za-z]+;"
                          "|[\u200b-\u200d\u2060\ufeff\u00ad]")
_MARKING_HINT = re.compile("★|绝密|内部|涉密|不予公开|机密|秘密")


def _separator(match: re.Match) -> str:
    return next((v for k, v in match.groupdict().items() if v and k != "number"), "")


def _in_chain(text: str, match: re.Match, taken: list[tuple[int, int]]) -> bool:
    """True when the separator of a grouped candidate also joins it to two more digit groups on one
    side, as in the runs of a statistical table (“合计 138 1234 5678 2345 12”): not a number of its own.
    One neighbour is allowed: a row number before it, or the next column's number; a number already
    reported (an ID in the column before) is no neighbour."""
    sep = _separator(match)
    if not sep:
        return False
    start, end = match.span()
    floor = max([b for a, b in taken if b <= start], default=0)
    s = re.escape(sep)
    return bool(re.search(f"\\d{s}\\d+{s}$", text[max(floor, start - 40):start])
                or re.match(f"{s}\\d+{s}\\d", text[end:end + 40]))


def _candidates(pattern: re.Pattern, text: str, accept) -> None:
    """Each match of `pattern` that `accept` takes; after a refusal the search goes on from the next
    character, so a refused candidate (“3007 6228 4800 0012”) cannot hide the number it overlaps."""
    match = pattern.search(text)
    while match:
        match = pattern.search(text, match.end() if accept(match) else match.start() + 1)


def _scan_numbers(text: str, found: list) -> None:
    taken: list[tuple[int, int]] = []  # spans already reported, so one number is one finding
    line_of = lambda pos: text.count("\n", 0, pos) + 1  # noqa: E731  (only for the rare finding)
    free = lambda m: all(m.end() <= a or m.start() >= b for a, b in taken)  # noqa: E731

    def report(kind: str, value: str, match: re.Match) -> bool:
        taken.append(match.span())
        found.append(Finding(kind, value, line_of(match.start())))
        return True

    def id18(m: re.Match) -> bool:
        return _valid_id(digits(m.group(0))) and report("居民身份证号", digits(m.group(0)), m)

    def id15(m: re.Match) -> bool:
        number = digits(m.group(0))
        return (free(m) and _valid_id15(number) and not _in_chain(text, m, taken)
                and not _NOT_ID15.search(text, max(0, m.start() - 20), m.start())
                and report("居民身份证号", number, m))

    def card(m: re.Match) -> bool:
        number = digits(m.group(0))
        return (16 <= len(number) <= 19 and free(m) and _luhn(number) and not _in_chain(text, m, taken)
                and report("银行卡号", number, m))

    def mobile(m: re.Match) -> bool:
        return free(m) and not _in_chain(text, m, taken) and report("手机号码", digits(m.group("number")), m)

    for pattern, accept in ((ID18, id18), (ID15, id15), (CARD, card), (MOBILE, mobile)):
        _candidates(pattern, text, accept)


# --- Text extraction: in attachments.py; its names stay importable from here for callers ---------------

from .attachments import Dangerous, Extracted, Limits, Unreadable, close_pool, extract_text  # noqa: E402,F401


class Screen:
    """Applies the allow-list and an entry's waivers to findings and reports the rest."""

    def __init__(self, allowed: set[str], waivers: dict[str, str], problems):
        self.allowed = allowed  # official numbers, digits only
        self.waivers = waivers  # value (digits, or marking text) -> written reason
        self.used: set[str] = set()
        self.problems = problems

    def check(self, text: str, file: str, first_line: int, field: str | None) -> None:
        """Scan `text`, which starts at line `first_line` of `file`."""
        for finding in scan(text):
            line = first_line + finding.line - 1
            if finding.kind != "密级标志" and finding.value in self.allowed:
                continue
            if finding.value in self.waivers:
                self.used.add(finding.value)
                self.problems.note(file, line, field, f"{finding.kind}“{finding.masked}”已豁免："
                                   f"{self.waivers[finding.value]}")
            elif finding.kind == "密级标志":
                self.problems.error(file, line, field, f"出现密级或内部标志“{finding.value}”。涉密信息不上网："
                                    "请删除该信息或标志，确属误报的在“隐私豁免”中写明理由。")
            else:
                self.problems.error(file, line, field, f"疑似{finding.kind}“{finding.masked}”。公开信息不得包含个人信息："
                                    "请删除或隐去（如 110101********1234），确属误报的在“隐私豁免”中写明理由。")
