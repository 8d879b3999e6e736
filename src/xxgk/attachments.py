"""The text of a published file, for the personal-data scan: every part of it that a visitor can see.

Office packages (docx/xlsx/pptx) and OFD: every XML part wherever its content type or the package's
relationships put it, the text held in attributes (image descriptions, sheet names, field codes),
the targets of external links (tel:, mailto:, URLs), altChunk parts and embedded files, recursively.
PDF: page text, digits that are placed apart joined again, form fields, annotations, bookmarks,
metadata and embedded files. A PDF that carries JavaScript, a launch action or a program is refused.

A part that cannot be read makes the whole file Unreadable (with the text that was read, so that a
reviewed exemption still scans the rest). Work is bounded by Limits: bytes decompressed, parts,
depth of nesting and time, in a child process that has its own memory limit.
"""

from __future__ import annotations

import io
import multiprocessing
import multiprocessing.util
import os
import posixpath
import re
import threading
import xml.etree.ElementTree as ET
import zipfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import unquote


class Unreadable(Exception):
    """Not all text could be extracted; `reason` tells the editor why and what to do, in Chinese.
    `partial` is the text that was read, when only some parts failed."""

    def __init__(self, reason: str, partial: Extracted | None = None):
        super().__init__(reason, partial)  # both in args, so that the exception survives pickling
        self.reason = reason
        self.partial = partial

    def __str__(self) -> str:
        return self.reason


class Dangerous(Unreadable):
    """The file carries active content (JavaScript, a launch action, a program): never published,
    whatever an exemption says."""


@dataclass(frozen=True)
class Limits:
    max_decompressed: int = 200 * 1024 * 1024  # bytes read from packages, or of text from PDFs, in all
    timeout: float = 30  # seconds for one file
    max_depth: int = 3  # files embedded in files (a workbook in a document in a PDF): levels read
    max_parts: int = 10_000  # parts of one package, objects of one PDF in thousands


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
_OLE = b"\xd0\xcf\x11\xe0"  # compound file: an encrypted Office document, a .doc/.xls, an OLE object
# Programs that a reader could be asked to open: refused inside a published file.
_PROGRAMS = {".exe", ".com", ".bat", ".cmd", ".scr", ".pif", ".msi", ".dll", ".cpl", ".js", ".jse", ".vbs", ".vbe",
             ".wsf", ".wsh", ".hta", ".ps1", ".psm1", ".jar", ".sh", ".app", ".lnk", ".reg", ".apk"}
_PROGRAM_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe")
_REPRINT = "请用“打印为 PDF”重新生成（在阅读器中打开后选择“打印”→“另存为 PDF”），替换后再发布"


def extract_text(path: Path, limits: Limits = Limits()) -> Extracted:
    """The text of a file that gets published, for the personal-data scan.
    Unreadable when some of it cannot be read; Dangerous when it must not be published at all."""
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
            return _isolated(_read_file, path, limits)
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
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")


def _html_text(markup: str) -> str:
    """Text of HTML: tags (and scripts, styles) dropped, entities decoded; line breaks are kept in
    place so findings keep their line numbers."""
    keep_lines = lambda m: "\n" * m.group(0).count("\n") or " "  # noqa: E731
    text = _TAG.sub(keep_lines, _SKIPPED.sub(keep_lines, markup))
    return _ENTITY.sub(lambda m: unescape(m.group(0)).replace("\n", " ").replace("\r", " "), text)


# --- The child process -------------------------------------------------------------------------------
# Zip and PDF formats are read in a child process: a hostile file (a zip bomb, a PDF that loops) can
# then only cost the child its time and memory, never the build.
_pool: ProcessPoolExecutor | None = None
_pool_owner = 0  # pid that made _pool: a forked process inherits the object but not its threads
_CHILD_MEMORY = 1024 * 1024 * 1024  # address space a child may add to what it inherits


def _limit_memory() -> None:
    """Our own cap on the child's address space, never above what the process is allowed already
    (under `ulimit -v` the hard limit cannot be raised, and the soft one must stay below it)."""
    import resource

    try:
        with open("/proc/self/statm") as statm:  # a forked child inherits the parent's address space
            inherited = int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:
        inherited = 0
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    ours = inherited + _CHILD_MEMORY
    if soft != resource.RLIM_INFINITY:
        ours = min(ours, soft)
    if hard != resource.RLIM_INFINITY:
        ours = min(ours, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (ours, hard))
    except (ValueError, OSError):
        pass  # the limit that the process already has stays in force


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
    except Unreadable:
        raise
    except Exception:  # a reader library failing in a way that it does not document: never a traceback
        raise Unreadable(f"文件结构异常，无法提取文字。请重新导出后上传，{_WAIVE}。") from None


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


# --- Reading, in the child ---------------------------------------------------------------------------

class _Reading:
    """What one file's reading has used and found: shared by the files embedded in it."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.budget = limits.max_decompressed  # bytes still allowed
        self.unread: list[str] = []  # parts that could not be read, as the editor should see them

    def spend(self, size: int) -> None:
        self.budget -= size
        if self.budget < 0:
            megabytes = self.limits.max_decompressed // (1024 * 1024)
            raise Unreadable(f"解压后超过 {megabytes} MB（含内嵌文件），可能是损坏或恶意构造的文件。请检查文件，{_WAIVE}。")


def _read_file(path: Path, limits: Limits) -> Extracted:
    reading = _Reading(limits)
    lines: list[str] = []
    data = path.read_bytes()
    if path.suffix.lower() == ".pdf":
        _read_pdf(data, reading, lines, depth=0, where="")
    else:
        _read_package(data, reading, lines, depth=0, where="")
    text = "\n".join(line for line in lines if line.strip())
    if reading.unread:
        shown = "；".join(reading.unread[:5]) + (f" 等 {len(reading.unread)} 处" if len(reading.unread) > 5 else "")
        raise Unreadable(f"以下部分无法自动读取：{shown}。请删除或改为可读取的格式后重新上传，{_WAIVE}。",
                         Extracted(text))
    return Extracted(text)


def _read_embedded(name: str, data: bytes, reading: _Reading, lines: list[str], depth: int, where: str) -> None:
    """A file inside a file (an embedded workbook, an altChunk, a PDF's attachment): read like any
    attachment, down to Limits.max_depth levels."""
    shown = f"{where}{name}"
    lower = name.lower()
    suffix = posixpath.splitext(lower)[1]
    if data.startswith(_PROGRAM_MAGIC) or suffix in _PROGRAMS and not data.startswith(_OLE):
        raise Dangerous(f"内嵌了可执行程序“{shown}”。网站不发布带程序的文件：请从文件中删除它后重新上传；如果是 PDF，{_REPRINT}。")
    if depth >= reading.limits.max_depth:
        reading.unread.append(f"“{shown}”（内嵌超过 {reading.limits.max_depth} 层）")
        return
    lines.append(f"（内嵌文件 {name}）")
    try:
        _read_embedded_as(name, suffix, shown, data, reading, lines, depth)
    except (Unreadable, RecursionError, MemoryError):
        raise
    except Exception:  # text of an unusual encoding or structure: that part is unread, never a traceback
        reading.unread.append(f"“{shown}”（无法解析）")


def _read_embedded_as(name, suffix, shown, data: bytes, reading: _Reading, lines: list[str], depth: int) -> None:
    if data.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        _read_pdf(data, reading, lines, depth + 1, shown + " 中的")
    elif data.startswith(b"PK\x03\x04"):
        _read_package(data, reading, lines, depth + 1, shown + " 中的")
    elif data.startswith(_OLE):
        reading.unread.append(f"“{shown}”（旧版 Office/OLE 嵌入对象）")
    elif suffix in (".rtf",) or data.startswith(b"{\\rtf"):
        lines.extend(_rtf_text(data.decode("latin-1")).splitlines())
    elif suffix in (".mht", ".mhtml") or data[:200].lower().lstrip().startswith((b"mime-version", b"content-")):
        lines.extend(_mht_text(data).splitlines())
    elif suffix in _PLAIN or suffix in _MARKUP or suffix in (".xhtml", ".txt") or not suffix and _looks_textual(data):
        try:
            text, _ = _decode(data)
        except Unreadable:
            reading.unread.append(f"“{shown}”（无法识别的文本编码）")
            return
        is_markup = suffix in _MARKUP or suffix == ".xhtml" or re.search(r"(?i)<(html|body|p|table|div)\b", text[:4096])
        lines.extend((_html_text(text) if is_markup else text).splitlines())
    else:
        reading.unread.append(f"“{shown}”（不支持的格式）")


def _looks_textual(data: bytes) -> bool:
    return b"\x00" not in data[:4096]


def _mht_text(data: bytes) -> str:
    import email
    import email.policy

    message = email.message_from_bytes(data, policy=email.policy.default)
    texts = []
    for part in message.walk():
        if part.get_content_maintype() == "text":
            content = part.get_content()
            texts.append(_html_text(content) if part.get_content_subtype() in ("html", "xml") else content)
    return "\n".join(texts)


_RTF_HEX = re.compile(r"\\'([0-9a-fA-F]{2})")
_RTF_UNICODE = re.compile(r"\\u(-?\d+) ?(?:\\'[0-9a-fA-F]{2}|\?)?")
_RTF_WORD = re.compile(r"\\[a-zA-Z]+-?\d* ?|\\[^a-zA-Z']|[{}]")


def _rtf_text(rtf: str) -> str:
    """Visible text of RTF, roughly: enough to scan, never to render. \\par becomes a line break."""
    rtf = re.sub(r"\\par[d]?\b ?", "\n", rtf)
    rtf = _RTF_UNICODE.sub(lambda m: chr(int(m.group(1)) % 65536), rtf)
    rtf = _RTF_HEX.sub(lambda m: bytes([int(m.group(1), 16)]).decode("latin-1"), rtf)
    return _RTF_WORD.sub("", rtf)


# --- Office packages and OFD ---------------------------------------------------------------------------

_XML_TYPE = re.compile(r"[/+]xml$|^application/xml$|^text/xml$")
_MEDIA = re.compile(r"^(image|video|audio|font)/|obfuscatedFont|printerSettings|/x-font", re.I)
_MEDIA_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".svg", ".ico",
                   ".wdp", ".jfif", ".webp", ".odttf", ".ttf", ".otf", ".fntdata", ".mp3", ".mp4", ".wav", ".avi",
                   ".wmv", ".m4a", ".jbig2", ".jb2", ".pfb"}
# Digital signatures (OFD seals, signed values): no text a reader sees.
_SIGNATURE = re.compile(r"(?i)(^|/)signs?/|signature|\.(dat|esl|sig|p7s)$")


def _read_package(data: bytes, reading: _Reading, lines: list[str], depth: int, where: str) -> None:
    """Every part of an OOXML (docx/xlsx/pptx) or OFD package, one line per paragraph or row.

    A generic walk over all parts with ElementTree finds more than python-docx would: headers,
    footers, footnotes, comments, text boxes, tracked deletions and document properties alike.
    Which parts are XML is read from [Content_Types].xml, not guessed from names, so that a main part
    named anything is read; every other part is an embedded file, a medium (not read: text in images
    is beyond us) or a part that cannot be read. Python >= 3.11's expat refuses entity-expansion
    bombs; sizes are bounded before and while reading."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) > reading.limits.max_parts:
                raise Unreadable(f"{where}文件包含 {len(members)} 个部件，超过 {reading.limits.max_parts} 个，"
                                 f"可能是损坏或恶意构造的文件。请检查文件，{_WAIVE}。")
            types = _content_types(archive, reading)
            main = _main_part(archive, reading)
            xml_parts, others = [], []
            for member in members:
                name = member.filename
                kind = types(name)
                if name.lower() == "[content_types].xml":
                    continue
                if _is_xml(name, kind):
                    xml_parts.append(member)
                elif not (_MEDIA.search(kind) or posixpath.splitext(name.lower())[1] in _MEDIA_SUFFIXES
                          or _SIGNATURE.search(name)):
                    others.append(member)
            reading.spend(sum(m.file_size for m in xml_parts))
            shared = []
            strings = next((m for m in xml_parts if m.filename.lower() == "xl/sharedstrings.xml"), None)
            if strings:
                root = ET.fromstring(_read_member(archive, strings))
                shared = ["".join(si.itertext()) for si in root if _local(si.tag) == "si"]
            for member in sorted(xml_parts, key=lambda m: _part_order(m, main)):
                if member is strings:
                    continue
                raw = _read_member(archive, member)
                if raw.startswith((b"PK\x03\x04", b"%PDF", _OLE)):  # a package or PDF named as XML (altChunk of a .docx)
                    _read_embedded(member.filename, raw, reading, lines, depth, where)
                    continue
                root = ET.fromstring(raw)
                if member.filename.lower().endswith(".rels"):
                    _external_targets(root, lines)
                else:
                    _walk(root, lines, shared)
            for member in others:
                reading.spend(member.file_size)
                _read_embedded(member.filename, _read_member(archive, member), reading, lines, depth, where)
    except Unreadable:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ET.ParseError, EOFError, ValueError, KeyError,
            RecursionError, NotImplementedError, OSError, RuntimeError):
        if not where:
            raise Unreadable("文件已损坏或不是有效的 Office/OFD 文件，无法提取文字。请重新导出后上传，" + _WAIVE + "。") from None
        reading.unread.append(f"“{where.removesuffix(' 中的')}”（已损坏或不是有效的 Office/OFD 文件）")


def _content_types(archive: zipfile.ZipFile, reading: _Reading):
    """The content type of each part: [Content_Types].xml's Override by part name, else Default by suffix."""
    defaults, overrides = {}, {}
    member = next((m for m in archive.infolist() if m.filename.lower() == "[content_types].xml"), None)
    if member is not None:
        reading.spend(member.file_size)
        for item in ET.fromstring(_read_member(archive, member)):
            if _local(item.tag) == "Default":
                defaults[(item.get("Extension") or "").lower()] = item.get("ContentType") or ""
            elif _local(item.tag) == "Override":
                overrides[(item.get("PartName") or "").lstrip("/").lower()] = item.get("ContentType") or ""
    return lambda name: overrides.get(name.lower(), defaults.get(posixpath.splitext(name)[1].lstrip(".").lower(), ""))


def _main_part(archive: zipfile.ZipFile, reading: _Reading) -> str:
    """The part that the package's own relationships name as the document (lower case), or ""."""
    member = next((m for m in archive.infolist() if m.filename.lower() == "_rels/.rels"), None)
    if member is None:
        return ""
    reading.spend(member.file_size)
    for rel in ET.fromstring(_read_member(archive, member)):
        if (rel.get("Type") or "").endswith("/officeDocument") and rel.get("TargetMode") != "External":
            return posixpath.normpath((rel.get("Target") or "").lstrip("/")).lower()
    return ""


def _is_xml(name: str, kind: str) -> bool:
    lower = name.lower()
    if "html" in kind:  # HTML of an altChunk need not be well-formed XML: read as HTML
        return False
    return bool(_XML_TYPE.search(kind)) if kind else lower.endswith((".xml", ".rels"))


def _external_targets(root, lines: list[str]) -> None:
    """Hyperlinks and other links that leave the package (tel:, mailto:, URLs), decoded as a reader sees them."""
    for rel in root:
        if rel.get("TargetMode") == "External" and rel.get("Target"):
            lines.append(unquote(rel.get("Target")))


def _part_order(member: zipfile.ZipInfo, main: str) -> tuple:
    """The body first (document, sheets in order, slides in order), properties last."""
    name = member.filename.lower()
    number = int(re.sub(r"\D", "", posixpath.basename(name))[:9] or 0)
    rank = 0 if name == main or re.match(r"(word/document|xl/worksheets/|ppt/slides/|doc_\d+/pages/)", name) else (
        3 if name.endswith(".rels") else
        2 if name.startswith(("docprops/", "meta")) or name.endswith("ofd.xml") else 1)
    return rank, name != main, posixpath.dirname(name), number, name


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


_LOCAL_NAMES: dict[str, str] = {}  # "{namespace}name" -> "name": a package has few distinct ones


def _local(tag) -> str:
    name = _LOCAL_NAMES.get(tag) if isinstance(tag, str) else ""
    if name is None:
        name = _LOCAL_NAMES[tag] = tag.rsplit("}", 1)[-1]
    return name


# Elements that are a line of their own: paragraphs (w:p, a:p, text:p/h), spreadsheet rows, OFD text.
_BLOCKS = {"p", "h", "row", "si", "TextObject"}
_BREAKS = {"tab", "br", "cr", "s", "line-break"}  # inside a paragraph: a space, so words stay apart
# Attributes that hold text a reader sees: image descriptions and titles (wp:docPr, pic:cNvPr, VML),
# tooltips, field codes (w:fldSimple), alternative text, the authors of comments and tracked changes
# (an account may be a mobile number); the name of a sheet.
_TEXT_ATTRIBUTES = {"descr", "title", "alt", "tooltip", "instr", "author", "userId"}
_NAMED = {"sheet", "definedName", "customSheetView"}


def _attributes(elem, lines: list[str]) -> None:
    for key, value in elem.attrib.items():
        name = _local(key)
        if value.strip() and (name in _TEXT_ATTRIBUTES or name == "name" and _local(elem.tag) in _NAMED):
            lines.append(re.sub(r"[\r\n]+", " ", value.strip()))


def _walk(elem, lines: list[str], shared: list[str]) -> None:
    if elem.attrib:
        _attributes(elem, lines)
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
        if name == "c":  # a spreadsheet cell: cells of a row are kept apart by a tab
            out.append("\t" + _cell(child, shared))
            if child.tail and child.tail.strip():
                out.append(child.tail)
            continue
        if child.attrib:
            _attributes(child, lines)
        if name in _BLOCKS:  # a text box inside a paragraph: its paragraphs are lines of their own
            _walk(child, lines, shared)
        elif name in _BREAKS:
            out.append(" ")
        else:
            _inline(child, out, lines, shared)
        if child.tail and child.tail.strip():
            out.append(child.tail)


_LITERAL = re.compile(r'"((?:[^"]|"")*)"|(?<![A-Za-z$0-9.])(\d+)(?![0-9.])')
_JOINING = re.compile(r"(?i)_xlfn\.|\bCONCATENATE\b|\bCONCAT\b|\bTEXT\b|[\s&,()=]")


def _cell(cell, shared: list[str]) -> str:
    kind = cell.get("t")
    value = formula = ""
    for child in cell:
        name = _local(child.tag)
        if name == "v":
            value = child.text or ""
        elif name == "f":
            formula = child.text or ""
    if not value and formula:
        return _formula_text(formula)
    if kind == "s":
        return shared[int(value)] if value.isdigit() and int(value) < len(shared) else ""
    if kind == "inlineStr":
        return "".join(cell.itertext())
    if kind in (None, "n") and re.fullmatch(r"-?\d+(\.\d+)?[eE][+-]?\d+|-?\d+\.0+", value):
        number = float(value)  # 1.3812345678E10 is how Excel stores 13812345678
        if number.is_integer() and abs(number) < 1e20:
            return str(int(number))
    return value


def _formula_text(formula: str) -> str:
    """A formula without a cached value: its text, and what it shows when it only joins literals
    (="1381234"&"5678" shows 13812345678)."""
    literals = [a.replace('""', '"') if a or not b else b for a, b in _LITERAL.findall(formula)]
    if literals and not _JOINING.sub("", _LITERAL.sub("", formula)):
        return f"{''.join(literals)} {formula}"
    return formula


# --- PDF -------------------------------------------------------------------------------------------

def _read_pdf(data: bytes, reading: _Reading, lines: list[str], depth: int, where: str) -> None:
    """Page text (with digits placed apart joined again), then everything the document holds besides:
    form-field values, annotations, bookmarks, link targets, metadata (info and XMP), embedded files.
    pypdf bounds each stream's decompression itself (pypdf.Configuration: 75 MB per FlateDecode/LZW
    stream by default)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    shown = where.removesuffix(" 中的") or "PDF"
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):  # an owner password alone still lets us read
            if not where:
                raise Unreadable("PDF 设置了打开密码（已加密），无法自动检查。请上传未加密的文件，" + _WAIVE + "。")
            reading.unread.append(f"“{shown}”（设置了打开密码）")
            return
        extras: list[str] = []
        _pdf_objects(reader, reading, extras, depth, where)  # active content is refused before anything else
        pages = []
        for page in reader.pages:
            pages.append(_page_text(page))
            reading.spend(len(pages[-1]))
        if not any(text.strip() for text in pages):
            if not where:
                raise Unreadable("PDF 是扫描件或图片，没有文字层，无法自动检查个人信息。请上传带文字层的 PDF，"
                                 "或请人工核查后在隐私豁免中登记 {文件: …, 理由: …}。")
            reading.unread.append(f"“{shown}”（扫描件或图片，没有文字层）")
    except Unreadable:
        raise
    except (PyPdfError, PdfReadError, ET.ParseError, ValueError, KeyError, TypeError, AttributeError,
            RecursionError, NotImplementedError, OSError, IndexError, ZeroDivisionError):
        if not where:
            raise Unreadable("PDF 文件已损坏或无法解析，无法提取文字。请重新导出后上传，" + _WAIVE + "。") from None
        reading.unread.append(f"“{shown}”（已损坏或无法解析）")
        return
    lines.extend(pages)
    lines.extend(re.sub(r"[\r\n]+", " ", line) for line in extras)


def _page_text(page) -> str:
    """The page's text as pypdf lays it out, and, below it, the digits that the layout leaves apart
    (one digit per box of a form, letter-spaced numbers) joined into one number per line."""
    fragments: list[tuple[float, float, float, str]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text and any(c.isdigit() for c in text):
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            size = abs(font_size * (tm[0] or 1) * (cm[0] or 1)) or 10
            fragments.append((round(y, 0), x, size, text))

    text = page.extract_text(visitor_text=visit) or ""
    joined = _spaced_digits(fragments)
    return text + ("\n" + "\n".join(joined) if joined else "")


_SPACED = re.compile(r"(?<![0-9])[0-9Xx](?:[ \u00a0]{1,3}[0-9Xx]){10,}(?![0-9])")


def _spaced_digits(fragments: list[tuple[float, float, float, str]]) -> list[str]:
    """Numbers whose digits are drawn apart: fragments of up to 6 digits on one baseline, each starting
    within about two characters' width of the end of the one before (digit boxes of a form, letter
    spacing), and single digits kept apart by spaces within a fragment (kerning)."""
    joined: list[str] = []
    run, last_y, last_end = "", None, 0.0
    for y, x, size, text in sorted(fragments):
        piece = text.strip()
        digits_only = re.fullmatch(r"[0-9Xx ]+", piece) is not None and len(piece.replace(" ", "")) <= 6
        near = last_y == y and x - last_end <= 1.4 * size  # a box or a letter space; table columns are wider
        if digits_only and run and near:
            run += piece.replace(" ", "")
        else:
            if len(run) >= 11:
                joined.append(run)
            run = piece.replace(" ", "") if digits_only else ""
        last_y, last_end = y, x + len(piece) * size * 0.6
        for m in _SPACED.finditer(text):
            joined.append(re.sub(r"\s", "", m.group(0)))
    if len(run) >= 11:
        joined.append(run)
    return joined


def _pdf_objects(reader, reading: _Reading, lines: list[str], depth: int, where: str) -> None:
    """Walk every object that the document reaches (catalog and info dictionary): the strings it holds
    are text a reader can see (form fields, annotations, bookmarks, link targets, names, metadata);
    JavaScript, launch actions and automatic actions refuse the file; embedded files are read."""
    from pypdf.generic import (ArrayObject, ByteStringObject, DictionaryObject, IndirectObject, StreamObject,
                               TextStringObject)

    shown = where.removesuffix(" 中的") or "PDF"
    budget = reading.limits.max_parts * 1000
    seen: set[tuple[int, int]] = set()
    stack = [(reader.trailer.get("/Root"), None), (reader.trailer.get("/Info"), None)]
    while stack:
        obj, key = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            obj = obj.get_object()
        budget -= 1
        if budget < 0:
            raise Unreadable(f"{where}PDF 的对象超过 {reading.limits.max_parts * 1000} 个，可能是损坏或恶意构造的文件。"
                             f"请检查文件，{_WAIVE}。")
        if isinstance(obj, DictionaryObject):
            _refuse_active(obj, key, shown)
            if "/EF" in obj:
                _pdf_embedded_file(obj, reading, lines, depth, where)
            elif key == "/Metadata" and isinstance(obj, StreamObject):
                _xmp(obj, reading, lines)
            elif key == "/XFA" and isinstance(obj, StreamObject):
                _xfa(obj, reading, lines, shown)
            stack.extend((value, name) for name, value in obj.items() if name not in _NOT_WALKED)
        elif isinstance(obj, ArrayObject):
            stack.extend((item, key) for item in obj)
        elif isinstance(obj, TextStringObject):
            if obj.strip():
                lines.append(str(obj))
                reading.spend(len(obj))
        elif isinstance(obj, ByteStringObject):
            text = bytes(obj).decode("latin-1")
            if text.isprintable() and text.strip():
                lines.append(text)


# Back links and page furniture that hold no text a reader sees; embedded files are read apart.
_NOT_WALKED = {"/Parent", "/P", "/Font", "/Resources", "/ColorSpace", "/EF", "/Length", "/Filter", "/DecodeParms"}
_ACTIONS = {"/JavaScript": "JavaScript 脚本", "/Launch": "启动外部程序的动作（/Launch）",
            "/ImportData": "导入数据的动作（/ImportData）", "/Rendition": "多媒体脚本动作（/Rendition）"}


def _refuse_active(obj, key, shown: str) -> None:
    kind = obj.get("/S")
    found = None
    if kind in _ACTIONS and (kind != "/Rendition" or "/JS" in obj):
        found = _ACTIONS[kind]
    elif "/JS" in obj:
        found = "JavaScript 脚本（/JS）"
    elif "/JavaScript" in obj and obj.get("/Type") != "/Action":
        found = "文档级 JavaScript 脚本（/Names /JavaScript）"
    elif kind == "/URI" and str(obj.get("/URI", "")).strip().lower().startswith(("javascript:", "vbscript:")):
        found = "JavaScript 脚本链接（javascript:）"
    elif "/AA" in obj and obj["/AA"]:
        found = "自动触发的动作（/AA，打开页面或填写表单时自动运行）"
    if found:
        if key == "/OpenAction":
            found = f"打开文件时自动运行的{found}（/OpenAction）"
        inside = "" if shown == "PDF" else f"内嵌文件“{shown}”"
        raise Dangerous(f"{inside}含有{found}。网站不发布带脚本、启动动作或可执行程序的 PDF：{_REPRINT}。")


def _pdf_embedded_file(filespec, reading: _Reading, lines: list[str], depth: int, where: str) -> None:
    name = str(filespec.get("/UF") or filespec.get("/F") or "embedded")
    files = filespec["/EF"].get_object()
    stream = files.get("/F") or files.get("/UF")
    if stream is None:
        return
    data = stream.get_object().get_data()
    reading.spend(len(data))
    subtype = str(stream.get_object().get("/Subtype") or "")
    if "executable" in subtype.lower() or "msdownload" in subtype.lower():
        raise Dangerous(f"内嵌了可执行程序“{where}{name}”。网站不发布带程序的文件：请从文件中删除它后重新上传；如果是 PDF，{_REPRINT}。")
    _read_embedded(name, data, reading, lines, depth, where)


def _xmp(stream, reading: _Reading, lines: list[str]) -> None:
    data = stream.get_data()
    reading.spend(len(data))
    try:
        _walk(ET.fromstring(data), lines, [])
    except ET.ParseError:
        lines.append(_TAG.sub(" ", data.decode("utf-8", "replace")))


def _xfa(obj, reading: _Reading, lines: list[str], shown: str) -> None:
    """An XFA form (XML inside the PDF): its values are text; its scripts refuse the file."""
    from pypdf.generic import StreamObject

    if not isinstance(obj, StreamObject):
        return
    data = obj.get_data()
    reading.spend(len(data))
    if re.search(rb"<(?:\w+:)?script\b", data, re.I):
        raise Dangerous(f"{'' if shown == 'PDF' else f'内嵌文件“{shown}”'}含有 XFA 表单脚本。"
                        f"网站不发布带脚本或自动动作的 PDF：{_REPRINT}。")
    lines.extend(_TAG.sub(" ", unescape(data.decode("utf-8", "replace"))).splitlines())
