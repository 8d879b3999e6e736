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


# --- Text extraction -------------------------------------------------------------------------------

class Unreadable(Exception):
    """No text could be extracted; `reason` tells the editor why and what to do, in Chinese."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    max_decompressed: int = 200 * 1024 * 1024  # bytes of XML read from a package, or of text from a PDF
    timeout: float = 30  # seconds for one file


@dataclass
class Extracted:
    text: str
    notes: list[str] = field(default_factory=list)  # for the editor, e.g. the encoding used


_WAIVE = "或经人工核查后在条目的“隐私豁免”中登记 {文件: …, 理由: …}"
_REFUSED = {
    ".doc": "旧版 Word 文档（.doc）", ".wps": "WPS 文字文档（.wps）", ".et": "WPS 表格（.et）",
    ".xls": "旧版 Excel 表格（.xls）", ".dps": "WPS 演示文稿（.dps）", ".ppt": "旧版 PowerPoint 演示文稿（.ppt）",
    ".zip": "压缩包（.zip）", ".rar": "压缩包（.rar）", ".7z": "压缩包（.7z）",
    ".jpg": "图片（.jpg）", ".jpeg": "图片（.jpeg）", ".png": "图片（.png）", ".gif": "图片（.gif）",
    ".bmp": "图片（.bmp）", ".tif": "图片（.tif）", ".tiff": "图片（.tiff）",
}
_PLAIN = {".txt", ".csv", ".md", ".json", ".xml"}
_MARKUP = {".html", ".htm"}
_PACKAGES = {".docx", ".docm", ".dotx", ".xlsx", ".xlsm", ".pptx", ".ofd"}
_OLE = b"\xd0\xcf\x11\xe0"  # compound file: what Office writes for a document with an open password


def extract_text(path: Path, limits: Limits = Limits()) -> Extracted:
    """The text of a file that gets published, for the personal-data scan; Unreadable when there is none."""
    suffix = path.suffix.lower()
    if suffix in _REFUSED:
        raise Unreadable(f"{_REFUSED[suffix]}无法自动提取文字。请改为上传可提取文字的 .docx 或 .pdf，{_WAIVE}。")
    try:
        if suffix in _PLAIN or suffix in _MARKUP:
            text, notes = _decode(path.read_bytes())
            return Extracted(_html_text(text) if suffix in _MARKUP else text, notes)
        if suffix in _PACKAGES or suffix == ".pdf":
            with path.open("rb") as file:
                magic = file.read(4)
            if magic == _OLE:
                raise Unreadable("文件设置了打开密码（已加密），无法自动检查。请上传未加密的文件，" + _WAIVE + "。")
            return _isolated(_read_package if suffix in _PACKAGES else _read_pdf, path, limits)
    except OSError as exc:
        raise Unreadable(f"无法读取文件（{exc.strerror or exc}）。请检查文件是否完整。") from None
    raise Unreadable(f"不支持自动检查 {suffix or '无扩展名'} 格式的文件。请改为上传 .docx、.pdf、.xlsx 或 .txt，{_WAIVE}。")


def _decode(raw: bytes) -> tuple[str, list[str]]:
    """Bytes of a text file as text. The encoding is detected, never guessed silently."""
    for bom, codec, name in ((b"\xef\xbb\xbf", "utf-8-sig", None), (b"\xff\xfe", "utf-16", "UTF-16（小端）"),
                             (b"\xfe\xff", "utf-16", "UTF-16（大端）")):
        if raw.startswith(bom):
            return _strict(raw, codec, name)
    head = raw[:4096]
    if b"\x00" in head:  # UTF-16 without a BOM: ASCII characters leave a NUL in every other byte
        even, odd = head[0::2].count(0), head[1::2].count(0)
        pairs = len(head) // 2 or 1
        if odd > pairs * 0.3 and even < pairs * 0.05:
            return _strict(raw, "utf-16-le", "UTF-16（小端，无 BOM）")
        if even > pairs * 0.3 and odd < pairs * 0.05:
            return _strict(raw, "utf-16-be", "UTF-16（大端，无 BOM）")
        raise Unreadable("文件含有二进制内容，不是文本文件。请另存为 UTF-8 编码的文本，" + _WAIVE + "。")
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        return _strict(raw, "gb18030", "GB18030")


def _strict(raw: bytes, codec: str, name: str | None) -> tuple[str, list[str]]:
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError:
        raise Unreadable(f"无法识别文本编码（既不是 UTF-8，也不是{name or 'UTF-8'}）。请另存为 UTF-8 编码后重新上传。") from None
    return text, [f"按 {name} 编码读取"] if name else []


_SKIPPED = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")


def _html_text(markup: str) -> str:
    """Text of HTML: tags (and scripts, styles) dropped, entities decoded; line breaks are kept in
    place so findings keep their line numbers."""
    keep_lines = lambda m: "\n" * m.group(0).count("\n") or " "  # noqa: E731
    text = _TAG.sub(keep_lines, _SKIPPED.sub(keep_lines, markup))
    return _ENTITY.sub(lambda m: unescape(m.group(0)).replace("\n", " ").replace("\r", " "), text)


# Zip and PDF formats are read in a child process: a hostile file (a zip bomb, a PDF that loops) can
# then only cost the child its time and memory, never the build.
_pool: ProcessPoolExecutor | None = None
_pool_owner = 0  # pid that made _pool: a forked process inherits the object but not its threads
_CHILD_MEMORY = 1024 * 1024 * 1024  # address space a child may add to what it inherits


def _limit_memory() -> None:
    import resource

    try:
        with open("/proc/self/statm") as statm:  # a forked child inherits the parent's address space
            inherited = int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:
        inherited = 0
    resource.setrlimit(resource.RLIMIT_AS, (inherited + _CHILD_MEMORY, resource.RLIM_INFINITY))


def _isolated(read, path: Path, limits: Limits) -> Extracted:
    global _pool, _pool_owner
    if _pool is None or _pool_owner != os.getpid():
        # Forking is cheapest, but not safe in a process that runs other threads (mkdocs serve).
        method = "fork" if threading.active_count() == 1 else "spawn"
        _pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context(method), initializer=_limit_memory)
        _pool_owner = os.getpid()
        # A worker process of load_catalog waits for its children when it exits: stop ours first.
        multiprocessing.util.Finalize(None, close_pool, exitpriority=10)
    megabytes = limits.max_decompressed // (1024 * 1024)
    try:
        return _pool.submit(read, path, limits).result(timeout=limits.timeout)
    except FuturesTimeout:
        _kill_pool()
        raise Unreadable(f"提取文字超过 {limits.timeout:g} 秒仍未完成，可能是损坏或恶意构造的文件。"
                         f"请检查文件，{_WAIVE}。") from None
    except (MemoryError, BrokenProcessPool):
        _kill_pool()
        raise Unreadable(f"提取文字时内存超限（解压后超过 {megabytes} MB 或结构异常），可能是损坏或恶意构造的文件。"
                         f"请检查文件，{_WAIVE}。") from None


def close_pool() -> None:
    """Stop the extraction child, e.g. before forking: a process with the pool runs its threads."""
    if _pool is not None and _pool_owner == os.getpid():
        _kill_pool()


def _kill_pool() -> None:
    global _pool
    pool, _pool = _pool, None
    for process in list((pool._processes or {}).values()):  # no public way to stop a busy worker before 3.14
        process.kill()
    pool.shutdown(wait=True, cancel_futures=True)  # the workers are dead, so this only joins its threads


def _read_package(path: Path, limits: Limits) -> Extracted:
    """Every XML part of an OOXML (docx/xlsx/pptx) or OFD package, one line per paragraph or row.

    A generic walk over all parts with ElementTree finds more than python-docx would: headers,
    footers, footnotes, comments, text boxes, tracked deletions and document properties alike.
    Python >= 3.11's expat refuses entity-expansion bombs; sizes are bounded before and while reading."""
    megabytes = limits.max_decompressed // (1024 * 1024)
    too_big = f"解压后超过 {megabytes} MB，可能是损坏或恶意构造的文件。请检查文件，{_WAIVE}。"
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if _is_text_part(m.filename)]
            if sum(m.file_size for m in members) > limits.max_decompressed:
                raise Unreadable(too_big)
            shared = []
            strings = next((m for m in members if m.filename.lower() == "xl/sharedstrings.xml"), None)
            if strings:
                root = ET.fromstring(_read_member(archive, strings))
                shared = ["".join(si.itertext()) for si in root if _local(si.tag) == "si"]
            lines: list[str] = []
            for member in sorted(members, key=_part_order):
                if member is not strings:
                    _walk(ET.fromstring(_read_member(archive, member)), lines, shared)
            embedded = [m.filename for m in archive.infolist() if "/embeddings/" in m.filename]
    except Unreadable:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ET.ParseError, EOFError, ValueError, KeyError,
            RecursionError, NotImplementedError, OSError):
        raise Unreadable("文件已损坏或不是有效的 Office/OFD 文件，无法提取文字。请重新导出后上传，" + _WAIVE + "。") from None
    notes = [f"内嵌对象未检查：{'、'.join(embedded[:5])}{' 等' if len(embedded) > 5 else ''}，请人工核查"] if embedded else []
    return Extracted("\n".join(line for line in lines if line.strip()), notes)


def _is_text_part(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(".xml") and lower != "[content_types].xml" and "_rels/" not in lower


def _part_order(member: zipfile.ZipInfo) -> tuple:
    """The body first (document, sheets in order, slides in order), properties last."""
    name = member.filename.lower()
    number = int(re.sub(r"\D", "", posixpath.basename(name)) or 0)
    rank = 0 if re.match(r"(word/document|xl/worksheets/|ppt/slides/|doc_\d+/pages/)", name) else (
        2 if name.startswith(("docprops/", "meta")) or name.endswith("ofd.xml") else 1)
    return rank, posixpath.dirname(name), number, name


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """A member's bytes, never more than it declares (a lying header must fail, not grow)."""
    chunks, size = [], 0
    with archive.open(member) as stream:
        while chunk := stream.read(1024 * 1024):
            size += len(chunk)
            if size > member.file_size:
                raise zipfile.BadZipFile("member larger than declared")
            chunks.append(chunk)
    return b"".join(chunks)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# Elements that are a line of their own: paragraphs (w:p, a:p, text:p/h), spreadsheet rows, OFD text.
_BLOCKS = {"p", "h", "row", "si", "TextObject"}
_BREAKS = {"tab", "br", "cr", "s", "line-break"}  # inside a paragraph: a space, so words stay apart


def _walk(elem, lines: list[str], shared: list[str]) -> None:
    if _local(elem.tag) in _BLOCKS:
        out: list[str] = []
        _inline(elem, out, lines, shared)
        lines.append(re.sub(r"[\r\n]+", " ", "".join(out)))
        return
    if elem.text and elem.text.strip():  # e.g. dc:creator in docProps/core.xml
        lines.append(re.sub(r"[\r\n]+", " ", elem.text.strip()))
    for child in elem:
        _walk(child, lines, shared)
        if child.tail and child.tail.strip():
            lines.append(child.tail.strip())


def _inline(elem, out: list[str], lines: list[str], shared: list[str]) -> None:
    """Text of a paragraph with all its runs joined (Word splits “13812345678” into runs at will)."""
    if elem.text and (len(elem) == 0 or elem.text.strip()):
        out.append(elem.text)
    for child in elem:
        name = _local(child.tag)
        if name in _BLOCKS:  # a text box inside a paragraph: its paragraphs are lines of their own
            _walk(child, lines, shared)
        elif name in _BREAKS:
            out.append(" ")
        elif name == "c":  # a spreadsheet cell: cells of a row are kept apart by a tab
            out.append("\t" + _cell(child, shared))
        else:
            _inline(child, out, lines, shared)
        if child.tail and child.tail.strip():
            out.append(child.tail)


def _cell(cell, shared: list[str]) -> str:
    kind = cell.get("t")
    value = next((c.text or "" for c in cell if _local(c.tag) == "v"), "")
    if kind == "s":
        return shared[int(value)] if value.isdigit() and int(value) < len(shared) else ""
    if kind == "inlineStr":
        return "".join(cell.itertext())
    if kind in (None, "n") and re.fullmatch(r"-?\d+(\.\d+)?[eE][+-]?\d+|-?\d+\.0+", value):
        number = float(value)  # 1.3812345678E10 is how Excel stores 13812345678
        if number.is_integer() and abs(number) < 1e20:
            return str(int(number))
    return value


def _read_pdf(path: Path, limits: Limits) -> Extracted:
    """Page text and document metadata (info dictionary and XMP). pypdf bounds each stream's
    decompression itself (pypdf.Configuration: 75 MB per FlateDecode/LZW stream by default)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    megabytes = limits.max_decompressed // (1024 * 1024)
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):  # an owner password alone still lets us read
            raise Unreadable("PDF 设置了打开密码（已加密），无法自动检查。请上传未加密的文件，" + _WAIVE + "。")
        pages, size = [], 0
        for page in reader.pages:
            text = page.extract_text() or ""
            size += len(text)
            if size > limits.max_decompressed:
                raise Unreadable(f"提取的文字超过 {megabytes} MB，可能是损坏或恶意构造的文件。请检查文件，{_WAIVE}。")
            pages.append(text)
        if not any(text.strip() for text in pages):
            raise Unreadable("PDF 是扫描件或图片，没有文字层，无法自动检查个人信息。请上传带文字层的 PDF，"
                             "或请人工核查后在隐私豁免中登记 {文件: …, 理由: …}。")
        meta = [f"{key.lstrip('/')}: {value}" for key, value in (reader.metadata or {}).items()]
        xmp = reader.trailer["/Root"].get("/Metadata")
        if xmp is not None:
            _walk(ET.fromstring(xmp.get_object().get_data()), meta, [])
    except Unreadable:
        raise
    except (PyPdfError, PdfReadError, ET.ParseError, ValueError, KeyError, TypeError, RecursionError,
            NotImplementedError, OSError):
        raise Unreadable("PDF 文件已损坏或无法解析，无法提取文字。请重新导出后上传，" + _WAIVE + "。") from None
    return Extracted("\n".join(pages + [re.sub(r"[\r\n]+", " ", line) for line in meta]), [])


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
