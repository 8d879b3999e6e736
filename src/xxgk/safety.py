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

# Separators a reader skips between digit groups, after NFKC (which turns NBSP, the ideographic space
# and full-width forms into ASCII): runs of spaces, dots, middle dots, hyphens and dashes, slashes,
# backslashes, underscores and asterisks (all digits shown: nothing is masked), of any length. Not tabs or line breaks: those part table cells and lines.
_DASH = "\\-\u2010-\u2015\u2212"
_SEP_CHARS = f" .*\u00b7\u30fb/\\\\_{_DASH}"
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")
# Digit groups joined by separators; an ID's check character X may close the last group. A letter
# glued before the first digit (“ID440306…”, “Tel138…”) does not hide the number.
_CHAIN = re.compile(f"[0-9]+(?:[{_SEP_CHARS}]+[0-9]+)*[Xx]?")
_GROUP = re.compile("[0-9]+[Xx]?")
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


# What NFKC turns into a digit, a letter or a separator: full-width digits, letters and separators,
# NBSP, the ideographic space, small forms, invisible and other special spaces. Not the full-width
# punctuation and quotes of every Chinese text (，。：“”), which would make every page pay for NFKC.
_NEEDS_NFKC = re.compile("[\uff0a\uff0d-\uff19\uff21-\uff3a\uff3c\uff3f\uff41-\uff5a\u00a0\u00ad\u2000-\u200f"
                         "\u2028-\u202f\u205f-\u206f\u3000\ufe50-\ufe6f\ufeff]")


@dataclass(frozen=True)
class Rules:
    """What decides that a run of digits is personal data, declared in data/safety.yml (识别规则).
    The defaults are those of the shipped data/safety.yml, for scans outside a project."""
    # Issuer prefixes of bank cards: (low, high) of equal length, inclusive ("62", "62"), ("51", "55").
    card_prefixes: tuple[tuple[str, str], ...] = (
        ("62", "62"), ("4", "4"), ("51", "55"), ("2221", "2720"), ("34", "34"), ("37", "37"),
        ("3528", "3589"), ("6011", "6011"), ("6013", "6013"), ("65", "65"), ("9558", "9558"),
        ("95595", "95599"), ("9400", "9400"), ("9988", "9988"))
    amount_after: tuple[str, ...] = ("元", "万元", "亿元", "元整", "千元", "百元")  # a number before these is an amount
    registration_before: tuple[str, ...] = (  # a 15-digit number after these is a registration number
        "营业执照", "注册号", "注册码", "统一社会信用代码", "信用代码", "识别号", "税号", "编号", "编码", "代码",
        "订单号", "流水号")
    personal_before: tuple[str, ...] = ("身份证", "身份号码", "证件号", "手机", "卡号", "银行卡")  # these keep it found
    window: int = 12  # characters before a number (on its line) that are its context

    def card_prefix(self, number: str) -> bool:
        return any(low <= number[:len(low)] <= high for low, high in self.card_prefixes)

    def is_amount(self, text: str, end: int) -> bool:
        after = _AFTER.match(text, end)
        return bool(after) and text.startswith(self.amount_after, after.end())

    def before(self, text: str, start: int) -> str:
        head = text[max(0, start - self.window):start]
        return head[head.rfind("\n") + 1:]


RULES = Rules()
_AFTER = re.compile(r"(?:\.[0-9]+)? *")  # decimals and spaces between an amount and its unit


def scan(text: str, rules: Rules = RULES, markings: bool = True) -> list[Finding]:
    """Personal data (and, with `markings`, secrecy markings) in `text`, with their line numbers."""
    found: list[Finding] = []
    if _DIGITS_HINT.search(text):
        _scan_numbers(normalise(text), rules, found)
    if markings and _MARKING_HINT.search(text):
        for m in MARKINGS.finditer(text):
            found.append(Finding("密级标志", m.group(0), text.count("\n", 0, m.start()) + 1))
    return found


# Cheap first looks: most texts hold no digit and no marking. \d also matches full-width digits;
# entities always get the full look.
_DIGITS_HINT = re.compile(r"\d|&#")
_MARKING_HINT = re.compile("★|绝密|内部|涉密|不予公开|机密|秘密")
_PRIORITY = {"居民身份证号18": 0, "居民身份证号15": 1, "银行卡号": 2, "手机号码": 3}


def _kind(number: str, single: bool, rules: Rules) -> str | None:
    """The kind of personal number that `number` (digits, maybe a final X) is, if any."""
    length = len(number)
    if number[-1] in "Xx":
        return "居民身份证号18" if length == 18 and _valid_id(number) else None
    if length == 18 and _valid_id(number):
        return "居民身份证号18"
    if length == 15 and _valid_id15(number):
        return "居民身份证号15"
    if 16 <= length <= 19 and rules.card_prefix(number) and _luhn(number):
        return "银行卡号"
    if length == 11 and number[0] == "1" and number[1] in "3456789":
        return "手机号码"
    if single and length in (13, 15) and number.startswith(("86", "0086")[length == 15]) and number[-11] == "1" \
            and number[-10] in "3456789":
        return "手机号码"  # +86 written without a separator
    return None


def _sep_kind(sep: str) -> str:
    """Separators count as the same when they differ only in spaces: “ - ” and “-”, “  ” and “ ”."""
    return sep.replace(" ", "") or " "


def _scan_numbers(text: str, rules: Rules, found: list) -> None:
    """Candidates are runs of whole digit groups in a chain (a number never starts or ends inside a
    group). A candidate of several groups has one kind of separator throughout, and each group but the
    last has at least 3 digits. Chains that look like table figures or thousands are no numbers."""
    candidates = []  # (priority, start, end, kind, value, chain, first group, last group)
    chains = []
    for m in _CHAIN.finditer(text):
        if m.end() - m.start() < 11:
            continue  # fewer characters than the shortest number
        groups = [(g.start(), g.end(), g.group(0)) for g in _GROUP.finditer(text, m.start(), m.end())]
        seps = [_sep_kind(text[a[1]:b[0]]) for a, b in zip(groups, groups[1:])]
        # Letters right after the digits (“…5678AB”) make a code: no number ends there.
        glued = m.end() < len(text) and text[m.end()].isascii() and text[m.end()].isalpha()
        chain = len(chains)
        chains.append((groups, seps))
        for i in range(len(groups)):
            number = ""
            for j in range(i, len(groups)):
                if j > i and (seps[j - 1] != seps[i] or len(groups[j - 1][2]) < 3):
                    break
                number += groups[j][2]
                if len(number) > 19:
                    break
                if len(number) < 11 or (glued and j == len(groups) - 1):
                    continue
                kind = _kind(number, i == j, rules)
                if kind:
                    value = number[-11:] if kind == "手机号码" else number.upper()
                    candidates.append((_PRIORITY[kind], groups[i][0], groups[j][1], kind, value, chain, i, j))
    if not candidates:
        return
    taken: list[tuple[int, int]] = []
    free = lambda a, b: all(b <= x or a >= y for x, y in taken)  # noqa: E731
    for _, start, end, kind, number, chain, i, j in sorted(candidates):
        if not free(start, end):
            continue
        groups, seps = chains[chain]
        if (i > 0 and seps[i - 1] == ".") or (j < len(seps) and seps[j] == "."):
            continue  # part of a decimal: 13812345678.00
        if i < j and kind != "居民身份证号18" and _figures(groups, seps, i, j, free):
            continue  # an 18-digit ID's check digit and birth date are proof enough, even in a row of figures
        context = rules.before(text, start)
        if not any(word in context for word in rules.personal_before):
            if rules.is_amount(text, end):
                continue
            if kind == "居民身份证号15" and any(word in context for word in rules.registration_before):
                continue
        taken.append((start, end))
        found.append(Finding(kind.rstrip("0123456789"), number, text.count("\n", 0, start) + 1))


def _figures(groups, seps, i: int, j: int, free) -> bool:
    """True when a grouped candidate is part of a run of figures rather than a number of its own:
    its separator joins it to two more free groups on one side (“合计 138 1234 5678 2345 12”; one
    neighbour is allowed: a row number, the next column's value), or it continues a number written
    in thousands (“12 345 678 901 234 567”)."""
    sep = seps[i]
    free_group = lambda k: free(groups[k][0], groups[k][1])  # noqa: E731
    if i >= 2 and seps[i - 1] == sep and seps[i - 2] == sep and free_group(i - 1) and free_group(i - 2):
        return True
    if j + 2 < len(groups) and seps[j] == sep and seps[j + 1] == sep:
        return True
    threes = all(len(g[2]) == 3 for g in groups[i + 1:j + 1])
    return threes and (len(groups[i][2]) < 3 or (i > 0 and seps[i - 1] == sep))


# --- Text extraction: in attachments.py; its names stay importable from here for callers ---------------

from .attachments import Dangerous, Extracted, Limits, Unreadable, close_pool, extract_text  # noqa: E402,F401


class Screen:
    """Applies the allow-list and an entry's waivers to findings and reports the rest."""

    def __init__(self, allowed: set[str], waivers: dict[str, str], problems, rules: Rules = RULES):
        self.allowed = allowed  # official numbers, digits only
        self.waivers = waivers  # value (digits, or marking text) -> written reason
        self.used: set[str] = set()
        self.problems = problems
        self.rules = rules

    def check(self, text: str, file: str, first_line: int, field: str | None) -> None:
        """Scan `text`, which starts at line `first_line` of `file`."""
        for finding in scan(text, self.rules):
            self.report(finding, file, first_line + finding.line - 1, field)

    def passes(self, finding: Finding) -> bool:
        """An official number, or a value that the entry waives."""
        return (finding.kind != "密级标志" and finding.value in self.allowed) or finding.value in self.waivers

    def report(self, finding: Finding, file: str, line: int | None, field: str | None, how: str = "") -> None:
        """One finding at its place; `how` tells how the page shows what the source hides."""
        if finding.kind != "密级标志" and finding.value in self.allowed:
            return
        if finding.value in self.waivers:
            self.used.add(finding.value)
            self.problems.note(file, line, field, f"{finding.kind}“{finding.masked}”{how}已豁免："
                               f"{self.waivers[finding.value]}")
        elif finding.kind == "密级标志":
            self.problems.error(file, line, field, f"出现密级或内部标志“{finding.value}”。涉密信息不上网："
                                "请删除该信息或标志，确属误报的在“隐私豁免”中写明理由。")
        else:
            self.problems.error(file, line, field, f"疑似{finding.kind}“{finding.masked}”{how}。公开信息不得包含个人信息："
                                "请删除或隐去（如 110101********1234），确属误报的在“隐私豁免”中写明理由。")
