"""Publication safety: personal data and secrecy markings in anything that is published.

“上网信息不涉密，涉密信息不上网”：a finding is an error that stops the build, with the
file, the line and the value masked, unless the value is an official number declared in
data/ or the entry waives it with a written reason.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import date
from html import unescape
from pathlib import Path

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx])(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9])(?:\+?86[ -]?)?(1[3-9]\d[ -]?\d{4}[ -]?\d{4})(?![0-9])")
CARD = re.compile(r"(?<![0-9])([3-6]\d{3}(?:[ -]?\d{3,4}){3,4})(?![0-9])")  # 16–19 digits, grouped or not

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
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def _luhn(number: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(number)):
        d = int(char)
        if index % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def scan(text: str) -> list[Finding]:
    """Personal data and secrecy markings in `text`, with their line numbers."""
    found: list[Finding] = []
    line_of = lambda pos: text.count("\n", 0, pos) + 1  # noqa: E731  (only for the rare finding)
    if _DIGITS_HINT.search(text):
        _scan_numbers(text, line_of, found)
    if _MARKING_HINT.search(text):
        for m in MARKINGS.finditer(text):
            found.append(Finding("密级标志", m.group(0), line_of(m.start())))
    return found


# Cheap first looks: most texts hold no long number and no marking, so the full patterns rarely run.
_DIGITS_HINT = re.compile(r"\d{3}[ -]?\d{4}")
_MARKING_HINT = re.compile("★|绝密|内部|涉密|不予公开|机密|秘密")


def _scan_numbers(text: str, line_of, found: list) -> None:
    ids = set()
    for m in ID_NUMBER.finditer(text):
        if _valid_id(m.group(1)):
            ids.add(m.group(1).upper())
            found.append(Finding("居民身份证号", m.group(1).upper(), line_of(m.start())))
    for m in MOBILE.finditer(text):
        found.append(Finding("手机号码", digits(m.group(1)), line_of(m.start())))
    for m in CARD.finditer(text):
        number = digits(m.group(1))
        if 16 <= len(number) <= 19 and number not in ids and _luhn(number):
            found.append(Finding("银行卡号", number, line_of(m.start())))


def _strip_tags(markup: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", markup))


def attachment_text(path: Path) -> str | None:
    """The text of an attachment, or None where none can be extracted (scans, images…)."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".txt", ".md", ".csv", ".json", ".xml"):
            return path.read_bytes().decode("utf-8-sig", errors="replace")
        if suffix in (".html", ".htm"):
            return _strip_tags(path.read_bytes().decode("utf-8", errors="replace"))
        if suffix in (".docx", ".xlsx", ".pptx"):
            with zipfile.ZipFile(path) as archive:
                parts = [n for n in archive.namelist() if n.endswith(".xml") and
                         n.startswith(("word/", "xl/sharedStrings", "xl/worksheets/", "ppt/slides/"))]
                # Paragraph ends become line breaks, so findings get a rough line number.
                return "\n".join(_strip_tags(archive.read(n).decode("utf-8", errors="replace")
                                             .replace("</w:p>", "</w:p>\n")) for n in parts)
        if suffix == ".pdf":
            from pypdf import PdfReader

            text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
            return text if text.strip() else None
    except Exception:  # a damaged file is reported as unreadable, never crashes the check
        return None
    return None


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
