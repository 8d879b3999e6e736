"""`xxgk import`: a Word document (.docx) or a PDF with a text layer becomes a draft catalog entry.

The 公文 layout of GB/T 9704 gives the metadata: 版头 (“××局文件”), 发文字号, title, 主送, and the
signature and date at the end. The body goes through mammoth (Word styles to HTML, with a report of
what it could not map) and xxgk.htmlmd (HTML to Markdown). The original is attached and scanned for
personal data; the entry gets the next free 索引号 and stays a draft until an editor completes it.
Every check of the input runs before anything is written; a refused file leaves nothing behind.
"""

from __future__ import annotations

import re
import sys
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from . import content, htmlmd, pdftext, safety
from .catalog import CATALOG_DIR, describe_key, document_keys
from .deadline import TimeUp, deadline
from .lock import writer_lock
from .numbering import next_index_no
from .yamlio import special_file, write_atomic
from .templating import scaffold_text

SUFFIXES = (".docx", ".pdf", ".html", ".htm", ".shtml")
WEB_PAGES = (".html", ".htm", ".shtml")  # a 公文 saved from a portal: read, never attached (HTML is not published)
MAX_UNPACKED = 200 * 1024 * 1024  # declared size of all members of a .docx (a zip): no zip bombs
MAX_MEMBERS = 5000
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # compound file: an encrypted .docx, or an old .doc
WEB_IMAGES = {"image/png": "png", "image/jpeg": "jpg"}  # what the portal publishes (data/safety.yml 附件)

_BRACKETS = "〔\\[［(（【"
_CLOSERS = "〕\\]］)）】"
DOC_NO = re.compile(rf"([\u4e00-\u9fffA-Za-z]{{1,20}})\s*[{_BRACKETS}]\s*((?:19|20)\d\d)\s*[{_CLOSERS}]\s*(\d{{1,5}})\s*号")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "Ｏ": 0, "O": 0, "0": 0}
_CN = "〇○零Ｏ一二三四五六七八九十"
DATE_LINE = re.compile(rf"^(\d{{4}}|[{_CN}]{{4}})年(\d{{1,2}}|[{_CN}]{{1,3}})月(\d{{1,2}}|[{_CN}]{{1,3}})日$")
TITLE_ENDS = ("通知", "意见", "决定", "报告", "办法", "方案", "规定", "细则", "通告", "公告", "批复", "函", "请示",
              "纪要", "规划", "计划", "公示", "决议", "命令", "令", "要点", "指引", "措施", "条例", "规则", "通报", "答复")
SENTENCE_ENDS = ("。", "；", "：", ":", "，", "！", "？")
TITLE_MAX = 60  # characters of one title line; a longer paragraph is body text, not a title
# A short bracketed line under the title belongs to it: （试行） or （2021-2023年）.
TITLE_NOTE = re.compile(r"[（(][^（）()]{1,20}[)）]")
PUBLICATION_NOTE = re.compile(r"[（(]此件[^（）()]{1,12}[)）]")  # GB/T 9704 附注 under the 成文日期
# Numbered headings of a 公文 (GB/T 9704 7.3.3: 一、 （一） 1.) and their Markdown levels; a line is a
# heading only when it is short and has no sentence in it (“（一）全力抓好粮食生产。确保…” is a paragraph).
HEADING_NUMBERS = ((re.compile(r"[一二三四五六七八九十]{1,3}、"), 2),
                   (re.compile(r"[（(][一二三四五六七八九十]{1,3}[)）]"), 3),
                   (re.compile(r"\d{1,2}[.．](?!\d)"), 4))
HEADING_MAX = 30
HEADING_NOT_ENDS = SENTENCE_ENDS + ("、", ",", ";")
STYLE_MAP = """
p[style-name='Title'] => p:fresh
p[style-name='Subtitle'] => p:fresh
"""


class Refused(Exception):
    """A file that cannot be imported; the message is for the editor and nothing was written."""


@dataclass
class Para:
    text: str
    centred: bool | None = None  # None: unknown (PDF)


@dataclass
class Layout:
    """What the 公文 layout says; `drop` are the indexes of lines that are metadata, not body."""
    title: str = ""
    doc_no: str = ""
    doc_no_written: str = ""  # as written, when its brackets were not 〔〕
    issuer: str = ""  # 发文机关 (the first one, the 主办机关, when several sign)
    co_issuers: list = field(default_factory=list)  # the others of a 联合行文, in their order
    written: date | None = None
    addressee: str = ""  # 主送
    drop: set = field(default_factory=set)
    dropped: list = field(default_factory=list)  # the text of those lines, whitespace removed
    signers: list = field(default_factory=list)  # the 署名 lines above the 成文日期 at the end (the 落款)
    closing_at: set = field(default_factory=set)  # indexes of the 落款, its date and a 附注 （此件公开发布）
    closing: list = field(default_factory=list)  # the text of those lines, whitespace removed
    publication_note: str = ""  # the 附注 on publication as written, e.g. （此件公开发布）


@dataclass
class Document:
    layout: Layout
    body: str  # Markdown; images as \ue000N\ue001 until their file names are known
    images: list = field(default_factory=list)  # (extension, bytes)
    notes: list = field(default_factory=list)  # what the conversion could not do, in Chinese
    counts: dict = field(default_factory=dict)  # heading/list/table/paragraph -> number


def _plain(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text)


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in text))


def parse_date(text: str) -> date | None:
    """A line that is only a date; it may stand in brackets, as under a title: （2023年1月2日）."""
    text = _plain(text)
    if TITLE_NOTE.fullmatch(text):
        text = text[1:-1]
    match = DATE_LINE.match(text)
    if not match:
        return None
    try:
        return date(*(_cn_number(part) for part in match.groups()))
    except (ValueError, KeyError):
        return None


def heading_level(text: str) -> int | None:
    """The Markdown level of a numbered heading line (一、 → 2, （一） → 3, 1. → 4), None for body text."""
    text = text.strip()
    if len(text) > HEADING_MAX or text.endswith(HEADING_NOT_ENDS) or any(mark in text for mark in "。；！？"):
        return None
    for pattern, level in HEADING_NUMBERS:
        match = pattern.match(text)
        if match and text[match.end():].strip():
            return level
    return None


def _title_like(text: str) -> bool:
    return len(text) <= TITLE_MAX and not text.endswith(SENTENCE_ENDS) and not parse_date(text)


def signer_like(text: str) -> bool:
    """A 署名 line above the 成文日期: a short name, not a sentence, a heading or the 版记."""
    return (len(text) <= 40 and not text.endswith(SENTENCE_ENDS + ("通知",)) and not parse_date(text)
            and "：" not in text and ":" not in text  # the 附件说明 above the signature
            and not re.match(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]", text))


def doc_no_form(match: re.Match) -> str:
    """A 发文字号 matched by DOC_NO in its one written form: 〔〕 brackets, no spaces (示府办〔2025〕3号)."""
    return f"{match.group(1)}〔{match.group(2)}〕{match.group(3)}号"


def side_by_side(text: str) -> bool:
    """Organs signed side by side on one 落款 line (“国务院办公厅　中央军委办公厅”), not one name spaced out
    (“国 务 院”): two or more parts of at least three characters."""
    parts = re.split(r"[\s\u3000]+", text.strip())
    return len(parts) > 1 and sum(len(part) >= 3 for part in parts) >= 2


def read_layout(paras: list[Para]) -> Layout:
    """The metadata of a 公文 from its paragraphs (GB/T 9704: 版头, 发文字号, 标题, 主送, 署名, 成文日期)."""
    layout = Layout()
    lines = [(i, _plain(p.text), p) for i, p in enumerate(paras) if _plain(p.text)]
    start = 0
    for position, (index, text, _) in enumerate(lines[:8]):
        match = DOC_NO.search(text)
        if match and len(text) <= len(match.group(0)) + 20:  # the line may also name the 签发人
            layout.doc_no = doc_no_form(match)
            if match.group(0).replace(" ", "") != layout.doc_no:
                layout.doc_no_written = match.group(0)
            layout.drop.add(index)
            start = position + 1
            break
    for index, text, _ in lines[:start or 3]:
        if text.endswith("文件") and len(text) <= 30:  # 版头: 发文机关标志
            layout.issuer = text[: -len("文件")]
            layout.drop.add(index)
            start = max(start, lines.index(next(l for l in lines if l[0] == index)) + 1)
    title_at, body_from = None, 0
    doc_no_at = start - 1 if layout.doc_no else None
    above = lines[doc_no_at - 1] if doc_no_at else None
    if above and above[0] not in layout.drop and _title_like(above[1]) and above[1].endswith(TITLE_ENDS):
        title_at = doc_no_at - 1  # web copies set the title above the 发文字号
    for position in range(start, min(start + 8, len(lines))):
        if title_at is not None:
            break
        index, text, para = lines[position]
        # The title is centred; without alignment (PDF, plain Word) it follows the 发文字号 or ends like one.
        if _title_like(text) and (para.centred or (layout.doc_no and position == start) or text.endswith(TITLE_ENDS)):
            title_at = position
    if title_at is not None:
        parts, position = [], title_at
        centred = lines[title_at][2].centred
        while position < len(lines) and len(parts) < 4:  # a long title is set on two or three lines
            index, text, para = lines[position]
            note = parts and TITLE_NOTE.fullmatch(text) and not parse_date(text)
            if parts and not note and (index in layout.drop or not _title_like(text) or (centred and not para.centred)
                                       or (not centred and parts[-1].endswith(TITLE_ENDS))):
                break
            parts.append(text)
            layout.drop.add(index)
            position += 1
        layout.title = "".join(parts)
        while position < len(lines) and lines[position][0] in layout.drop:  # the 发文字号 under a web copy's title
            position += 1
        body_from = position
        if position < len(lines) and lines[position][1].endswith(("：", ":")) and len(lines[position][1]) <= 120:
            layout.addressee = lines[position][1].rstrip("：:")
        elif position < len(lines):
            layout.written = parse_date(lines[position][1])  # a date under the title (题注), kept in the body
    elif start < len(lines) and lines[start][1].endswith(("：", ":")) and len(lines[start][1]) <= 120:
        layout.addressee = lines[start][1].rstrip("：:")  # no title in the body (a web page prints it above)
        body_from = start
    for position in range(len(lines) - 1, max(len(lines) - 9, body_from), -1):  # not a date under the title
        found = parse_date(lines[position][1])
        if found:
            layout.written = found
            dated, signers = position, []
            while position > body_from and len(signers) < 10 and signer_like(lines[position - 1][1]):
                position -= 1
                signers.insert(0, lines[position][1])
                if side_by_side(lines[position][2].text):  # where one organ's name ends is not guessed:
                    signers = []  # the 落款 stays in the body as written
                    break
            if signers and not layout.issuer:  # a 联合行文 is signed by each organ, the 主办机关 first
                layout.issuer, layout.co_issuers = signers[0], signers[1:]
            if signers:  # the 落款: shown under the body from the entry's fields, not as body text
                layout.signers = signers
                layout.closing_at = {lines[at][0] for at in range(position, dated + 1)}
            break
    for index, text, _ in lines[-10:]:
        if PUBLICATION_NOTE.fullmatch(text) and index not in layout.drop:
            layout.publication_note = text
            if publicly_released(text):  # the catalog itself says it is 主动公开; anything else stays in view
                layout.closing_at.add(index)
    layout.dropped = [text for index, text, _ in lines if index in layout.drop]
    layout.closing = [text for index, text, _ in lines if index in layout.closing_at]
    return layout


def publicly_released(note: str) -> bool:
    """A 附注 such as （此件公开发布） or （此件主动公开）; not （此件不公开） or （此件依申请公开）."""
    return "公开" in note and not any(word in note for word in ("不", "依申请", "内部"))


# --- reading the files ---------------------------------------------------------------------------------

def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.2f}".rstrip("0").rstrip(".")


def check_file(path: Path, max_bytes: int) -> str:
    """The file's kind (docx or pdf) once it is safe to read; Refused with the reason otherwise."""
    refusal = special_file(path)
    if refusal:
        raise Refused(refusal)
    suffix = path.suffix.lower()
    if suffix in (".doc", ".wps"):
        raise Refused(f"这是旧版 {suffix} 文件，请先在 Word 或 WPS 中“另存为”.docx 格式后再导入。")
    if suffix not in SUFFIXES:
        raise Refused("只能导入 Word 文档（.docx）、有文字层的 PDF（.pdf）和保存的网页（.html）。")
    size = path.stat().st_size
    if size > max_bytes:
        raise Refused(f"文件有 {_mb(size)} MB，超过附件上限 {_mb(max_bytes)} MB"
                      "（data/safety.yml 的“附件.最大兆字节”）。请压缩图片或拆分文件后再导入。")
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE_MAGIC):
        raise Refused("这个文件设有打开密码（已加密），或是改了扩展名的旧版 .doc 文件。请在 Word 中取消密码"
                      "（文件 → 信息 → 保护文档 → 用密码进行加密，清空密码），另存为 .docx 后再导入。")
    if suffix in WEB_PAGES:
        with path.open("rb") as handle:
            start = handle.read(4096)
        if b"\x00" in start or head.startswith((b"PK\x03\x04", b"%PDF-")):
            raise Refused("这不是网页文件（文件内容与扩展名不符），请检查文件。")
        return "html"
    if suffix == ".pdf":
        if not head.startswith(b"%PDF-"):
            raise Refused("这不是 PDF 文件（文件内容与扩展名不符），请检查文件。")
        return "pdf"
    if not head.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(path):
        raise Refused("这不是 Word 文档（.docx），文件内容与扩展名不符或已损坏。请用 Word 打开并另存为 .docx。")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Refused("这个 Word 文档已损坏，无法读取。请用 Word 打开并另存为 .docx。") from None
    if "word/document.xml" not in {m.filename for m in members}:
        raise Refused("这不是 Word 文档（.docx）：其中没有正文部分。请用 Word 打开并另存为 .docx。")
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:
        raise Refused(f"这个 Word 文档解压后超过 {MAX_UNPACKED // 1024 // 1024} MB，可能是异常文件，未导入。"
                      "请删除其中过大的图片或拆分文档。")
    return "docx"


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_COUNTED = {f"{_W} p": "paragraphs", f"{_W} tbl": "tables", f"{_W} tc": "cells"}
_LIMIT_WORDS = {"paragraphs": ("段落（含表格中的段落）", "最大段落数"), "tables": ("表格", "最大表格数"),
                "cells": ("表格单元格", "最大单元格数")}


class _Over(Exception):
    pass


def _over_limit(kind: str, limits, what: str = "文档") -> Refused:
    words, key = _LIMIT_WORDS[kind]
    return Refused(f"{what}的{words}超过 {getattr(limits, kind)} 个，超过导入上限（data/safety.yml 的“导入.{key}”），"
                   "可能是异常文件。请在 Word 中删除多余的空段落、空表格，或拆分文档后再导入。")


def check_extent(path: Path, limits) -> None:
    """Refused when the document has more paragraphs, tables or cells than data/safety.yml 导入 allows.
    Every XML part is counted (the body, footnotes, wherever the relationships point) with a streaming
    parse that stops at the first limit passed, so a million empty paragraphs cost a moment, not an hour."""
    from xml.parsers import expat

    counts = dict.fromkeys(_LIMIT_WORDS, 0)

    def start(name, _attributes):
        kind = _COUNTED.get(name)
        if kind:
            counts[kind] += 1
            if counts[kind] > getattr(limits, kind):
                raise _Over(kind)

    def doctype(*_):  # Word never writes one; entity definitions are how XML bombs start
        raise expat.ExpatError("DOCTYPE")

    def main_part(archive) -> str:  # the body part, wherever _rels/.rels points (as mammoth follows it)
        targets = []

        def relationship(_name, attributes):
            if attributes.get("Type", "").endswith("/officeDocument"):
                targets.append(attributes.get("Target", "").lstrip("/"))

        try:
            if archive.getinfo("_rels/.rels").file_size < 1024 * 1024:
                parser = expat.ParserCreate()
                parser.StartElementHandler, parser.StartDoctypeDeclHandler = relationship, doctype
                parser.Parse(archive.read("_rels/.rels"), True)
        except KeyError:
            pass
        return targets[0] if targets else "word/document.xml"

    try:
        with zipfile.ZipFile(path) as archive:
            main = main_part(archive)
            for member in archive.infolist():
                if not member.filename.lower().endswith((".xml", ".rels")) and member.filename != main:
                    continue
                parser = expat.ParserCreate(namespace_separator=" ")
                parser.StartElementHandler = start
                parser.StartDoctypeDeclHandler = doctype
                with archive.open(member) as stream:
                    while chunk := stream.read(1 << 16):
                        parser.Parse(chunk, False)
                    parser.Parse(b"", True)
    except _Over as over:
        raise _over_limit(over.args[0], limits) from None
    except (expat.ExpatError, zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        raise Refused("这个 Word 文档已损坏，无法读取。请用 Word 打开并另存为 .docx。") from None


@contextmanager
def time_budget(seconds: float):
    """Refused when the conversion runs longer than data/safety.yml 导入.最长秒数 of CPU time
    (xxgk.deadline: the conversion is pure Python; outside the main thread there is no timer)."""
    try:
        with deadline(seconds):
            yield
    except TimeUp:
        raise Refused(f"转换超过 {seconds:g} 秒仍未完成（data/safety.yml 的“导入.最长秒数”），已停止。"
                      "可能是异常文件；请在 Word 中检查后另存为 .docx，或拆分文档后再导入。") from None


def read(path: Path, kind: str, limits) -> Document:
    """The document of a file that check_file accepted, within the limits of data/safety.yml 导入."""
    with time_budget(limits.seconds):
        if kind == "docx":
            check_extent(path, limits)  # before python-docx and mammoth build their trees
            return read_docx(path)
        return read_pdf(path) if kind == "pdf" else read_html(path, limits)


_MAMMOTH_STYLE = re.compile(r"Unrecognised (paragraph|run|table) style: '(.*?)'")


def _mammoth_notes(messages) -> list[str]:
    """mammoth's messages (English) as notes for the editor."""
    notes, other = [], 0
    kinds = {"paragraph": "段落", "run": "字符", "table": "表格"}
    for message in messages:
        match = _MAMMOTH_STYLE.search(message.message)
        if match:
            note = f"Word 样式“{match.group(2)}”（{kinds[match.group(1)]}样式）没有对应的网页格式，已按普通文字导入"
            if note not in notes:
                notes.append(note)
        else:
            other += 1
    if other:
        notes.append(f"另有 {other} 处内容（如文本框、公式、批注、嵌入对象）无法转换，请对照原文核对正文")
    return notes


def read_docx(path: Path) -> Document:
    import docx
    import mammoth
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    try:
        word = docx.Document(str(path))
        style_alignment: dict = {}  # python-docx scans every style to find the default one: once per style
        paras = []
        for paragraph in word.paragraphs:
            alignment = paragraph.alignment
            if alignment is None:
                style_id = paragraph._p.style
                if style_id not in style_alignment:
                    style = paragraph.style
                    style_alignment[style_id] = style.paragraph_format.alignment if style is not None else None
                alignment = style_alignment[style_id]
            paras.append(Para(paragraph.text, alignment == WD_ALIGN_PARAGRAPH.CENTER))
        images: list = []
        skipped: list[str] = []

        def image(element):
            kind = WEB_IMAGES.get(element.content_type)
            if kind is None:
                skipped.append(element.content_type or "未知格式")
                return {"src": ""}
            with element.open() as stream:
                images.append((kind, stream.read()))
            return {"src": f"\ue000{len(images)}\ue001"}

        with path.open("rb") as handle:
            result = mammoth.convert_to_html(handle, style_map=STYLE_MAP, convert_image=mammoth.images.img_element(image))
    except Refused:
        raise
    except Exception:  # damaged or unusual files: a message, never a traceback
        raise Refused("无法读取这个 Word 文档（文件可能已损坏）。请用 Word 打开并另存为 .docx 后再导入。") from None
    layout = read_layout(paras)
    notes = _mammoth_notes(result.messages)
    if skipped:
        notes.append(f"{len(skipped)} 张图片不是 PNG 或 JPEG 格式（{'、'.join(sorted(set(skipped)))}），未导入，"
                     "请另存为 PNG 后作为附件添加")
    return _document(layout, htmlmd.blocks(result.value), images, notes)


_PAGE_BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "center", "td")


def _article(root):
    """The element that holds the document on a saved page: the parent whose own paragraphs carry the
    most text, widened while its parent adds a fifth as much again (Word's div.Section0 may close after
    the first paragraph). Menus, breadcrumbs and footers are short lines elsewhere."""
    lengths = {}
    for element in root.iter(*_PAGE_BLOCKS):
        if not any(isinstance(d.tag, str) and d.tag in _PAGE_BLOCKS for d in element.iterdescendants()):
            lengths[element] = len("".join(element.itertext()).strip())
    weight: dict = {}
    for element, length in lengths.items():
        parent = element.getparent()
        if parent is not None:
            weight[parent] = weight.get(parent, 0) + length
    if not weight or max(weight.values()) < 40:
        return None
    best = max(weight, key=weight.get)

    def held(element) -> int:
        return sum(length for leaf, length in lengths.items() if leaf is element or element in leaf.iterancestors())

    while best.getparent() is not None and best.getparent().tag != "body" and \
            held(best.getparent()) - held(best) >= held(best) / 5:
        best = best.getparent()
    return best


def _title_above(root, article) -> str:
    """The document's title printed above the article, outside it (div.article_title and the like)."""
    found = ""
    for element in root.iter(*_PAGE_BLOCKS):
        if element is article or article in element.iterancestors():
            break
        if any(isinstance(d.tag, str) and d.tag in _PAGE_BLOCKS for d in element.iterdescendants()):
            continue
        text = re.sub(r"\s+", " ", "".join(element.itertext())).strip()
        if _title_like(text) and text.endswith(TITLE_ENDS):
            found = text
    return found


def _centred(element) -> bool:
    style = re.sub(r"\s+", "", (element.get("style") or "").lower())
    return (element.get("align") or "").lower() == "center" or "text-align:center" in style or element.tag == "center"


def read_html(path: Path, limits=None) -> Document:
    """A 公文 as a web page saved from a government portal (the browser's “网页，仅 HTML”): its article
    read like the HTML that mammoth makes of a Word document. Scripts, forms and images are left out."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.document_fromstring(htmlmd.decode(path.read_bytes()))
    except (ValueError, lxml.etree.ParserError):
        raise Refused("这个网页无法读取：内容为空或不是 HTML。") from None
    if limits is not None:
        for kind, tags in (("paragraphs", ("p", "div", "li", "td")), ("tables", ("table",)), ("cells", ("td", "th"))):
            if sum(1 for _ in root.iter(*tags)) > getattr(limits, kind):
                raise _over_limit(kind, limits, "网页")
    images = len(root.xpath("//img"))
    for junk in root.xpath("//script|//style|//noscript|//form|//iframe|//object|//embed|//svg|//img|//button"):
        junk.drop_tree()
    article = _article(root)
    if article is None:
        raise Refused("没有在网页中找到成段的正文。请在浏览器中打开该网页，把正文复制到 Word，另存为 .docx 后再导入。")
    paras = []
    for element in article.iter(*_PAGE_BLOCKS):
        if not any(isinstance(d.tag, str) and d.tag in _PAGE_BLOCKS for d in element.iterdescendants()):
            text = re.sub(r"\s+", " ", "".join(element.itertext()).replace("\xa0", " ")).strip()
            if text:
                paras.append(Para(text, _centred(element) or any(_centred(a) for a in element.iterancestors())))
    inner = (article.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in article)
    layout = read_layout(paras)
    if not layout.title:  # a portal that prints the title above the article, outside it
        layout.title = _title_above(root, article)
    notes = [f"网页中的 {images} 张图片未导入，需要的请另存后作为附件添加"] if images else []
    return _document(layout, htmlmd.blocks(inner.replace("\xa0", " ")), [], notes)


def read_pdf(path: Path) -> Document:
    from pypdf import PdfReader

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            raise Refused("这个 PDF 设有密码，请取消密码后再导入。")
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except Refused:
        raise
    except Exception:
        raise Refused("无法读取这个 PDF（文件可能已损坏）。请重新导出 PDF 后再导入。") from None
    lines = [line for line in text.splitlines() if pdftext.clean_line(line)]
    if not lines:
        raise Refused("这个 PDF 没有文字层（可能是扫描件），无法导入正文。请取得带文字的 PDF 或 Word 原件；"
                      "扫描件只能用 xxgk new 新建条目，把它作为附件并手工录入正文。")
    layout = read_layout([Para(pdftext.clean_line(line)) for line in lines])
    paragraphs = pdftext.paragraphs([line for index, line in enumerate(lines)
                                     if index not in layout.drop and index not in layout.closing_at])
    blocks = [htmlmd.Block(p, htmlmd.escape(p), "paragraph") for p in paragraphs]
    return _document(layout, blocks, [], [], pdf=True)


def _without(blocks: list, texts: list) -> list:
    """`blocks` without one paragraph for each of `texts` (whitespace removed), the first ones found."""
    wanted, kept = list(texts), []
    for block in blocks:
        plain = _plain(block.text)
        if wanted and block.kind == "paragraph" and plain in wanted:
            wanted.remove(plain)
            continue
        kept.append(block)
    return kept


def _headings(blocks: list) -> list:
    """Numbered heading lines as headings of their level. Not the lines of an 附件说明, nor short numbered
    lines of one level that follow each other (“（一）营业执照” “（二）身份证明”, “1.申报表” “2.承诺书”):
    a heading has text or a lower heading under it, an item of a list has not."""
    levels, in_note = [], False
    for block in blocks:
        in_note = block.kind == "paragraph" and (re.match(r"附\s*件\s*[：:]", block.text) is not None
                                                 or (in_note and re.match(r"\d{1,2}\s*[.．、]", block.text) is not None))
        levels.append(None if in_note or block.kind not in ("paragraph", "heading") else heading_level(block.text))
    found = []
    for position, (block, level) in enumerate(zip(blocks, levels)):
        after = levels[position + 1] if position + 1 < len(levels) else None
        before = levels[position - 1] if position else None
        # In a run of one level only the last can be a heading, and only with a lower heading under it.
        if level and after != level and (before != level or (after or 0) > level):
            block = htmlmd.Block(block.text, "#" * level + " " + htmlmd.escape(block.text.strip()), "heading")
        found.append(block)
    return found


def _document(layout: Layout, blocks: list, images: list, notes: list, pdf: bool = False) -> Document:
    """The body without the layout's own lines: 版头, 发文字号 and title at the top, and the 落款, 成文日期
    and 附注 （此件公开发布） at the end (which become fields). The 主送 stays."""
    if not pdf:  # a PDF's lines were left out as they were read
        blocks = _without(blocks, layout.dropped)
        tail = max(len(blocks) - len(layout.closing) - 10, 0)  # they are among the last lines, never above
        blocks = blocks[:tail] + _without(blocks[tail:][::-1], layout.closing[::-1])[::-1]
    blocks = _headings(blocks)
    counts: dict = {}
    for block in blocks:
        counts[block.kind] = counts.get(block.kind, 0) + 1
    return Document(layout, "\n\n".join(b.markdown for b in blocks) + "\n", images, notes, counts)


# --- writing the entry ---------------------------------------------------------------------------------

def _scalar(text: str) -> str:
    """A YAML scalar for the front matter: plain where it reads back the same, quoted otherwise."""
    if not text:
        return ""
    try:
        plain_ok = yaml.safe_load(f"k: {text}") == {"k": text} and "#" not in text
    except yaml.YAMLError:
        plain_ok = False
    if plain_ok:
        return text
    import json

    return json.dumps(text, ensure_ascii=False)


def _safe_name(stem: str) -> str:
    name = re.sub(r"[\s\\/:*?\"<>|#%&{}$!'@`=+\[\]]+", "-", stem).strip("-.")
    return name[:60] or "原文"



def _signature(signers: list) -> str:
    """The 落款 field after its key: one organ on the same line, those of a 联合行文 as a list."""
    if len(signers) == 1:
        return f" {_scalar(signers[0])}"
    return "".join(f"\n  - {_scalar(name)}" for name in signers)


@dataclass
class Outcome:
    path: Path
    index_no: str
    findings: list


def personal_data(path: Path, allowed: set[str]) -> list | None:
    """Findings of the PII scan in the original (None: no text to scan). The one place import calls safety."""
    try:
        text = safety.extract_text(path).text
    except safety.Unreadable:
        return None
    return [f for f in safety.scan(text) if f.kind == "密级标志" or f.value not in allowed]


def write_entry(project, source: Path, doc: Document, org_id: str, category: str, today: date) -> Outcome:
    """Attachments first, the entry last (never overwriting); on failure the attachments go again."""
    index_no, serial = next_index_no(project, org_id, today.year)
    folder = project.docs / CATALOG_DIR / org_id / str(today.year)
    prefix = f"{today.year}-{serial:05d}-"
    layout = doc.layout
    title = layout.title or source.stem
    files = [] if source.suffix.lower() in WEB_PAGES else \
        [(f"files/{prefix}{_safe_name(source.stem)}{source.suffix.lower()}", source.read_bytes(), f"{title}（原文）")]
    body = doc.body
    for number, (kind, data) in enumerate(doc.images, 1):
        name = f"files/{prefix}图{number}.{kind}"
        files.append((name, data, f"正文图片{number}"))
        body = body.replace(f"\ue000{number}\ue001", name)
    body = body.replace("\ue000", "").replace("\ue001", "")  # the document's own private-use characters
    attachments = "\n".join(f"  - 名称: {_scalar(label)}\n    文件: {_scalar(name)}" for name, _, label in files)
    roles = "\n".join(f"  {role}: {{审查人: , 日期: }}" for role in project.ref.review_roles)
    text = scaffold_text("import_entry.md", index_no=index_no, title=_scalar(title), org=org_id,
                   written=(layout.written or today).isoformat(), published=today.isoformat(),
                   doc_no=_scalar(layout.doc_no), signature=_signature(layout.signers), category=f" {_scalar(category)}" if category else "", attachments=attachments,
                   roles=roles, body=body)
    path = folder / f"{serial:05d}.md"
    written: list[Path] = []
    try:
        for name, data, _ in files:
            target = folder / name
            write_atomic(target, data, overwrite=False)
            written.append(target)
        write_atomic(path, text, overwrite=False)
    except BaseException:
        for target in written:
            target.unlink(missing_ok=True)
        raise
    return Outcome(path, index_no, [])


def collect(paths: list[Path]) -> list[Path]:
    """The files named, and the .docx/.pdf files of the folders named (Word's ~$ lock files left out)."""
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES
                            and p.is_file() and not p.name.startswith(("~$", ".")))
        else:
            found.append(path)
    return found


def import_files(project, paths: list[Path], org: str | None, category: str | None, today: date) -> int:
    """Import every file; print a summary per file. 0 when all were imported, 1 otherwise."""
    ref = project.ref
    if org is not None and org not in ref.orgs:
        print(f"错误：未知机构“{org}”。可用机构：{'、'.join(ref.orgs)}（见 data/orgs.yml）。", file=sys.stderr)
        return 2
    if category is not None and category not in ref.categories:
        print(f"错误：未知信息类别“{category}”。可选：{'、'.join(ref.categories)}。", file=sys.stderr)
        return 2
    files = collect(paths)
    if not files:
        print("错误：没有找到可导入的 .docx、.pdf 或 .html 文件。", file=sys.stderr)
        return 1
    by_name = {o.name: o.id for o in ref.orgs.values()}
    earlier: dict = {}  # document key -> the entry that has it, imported in this run included
    for entry in sorted(project.catalog.entries, key=lambda e: (e.draft, e.published or date.max, e.src_uri)):
        for key in document_keys(entry.doc_no, entry.title, entry.written):
            earlier.setdefault(key, entry.file)
    status = 0
    for source in files:
        shown = source.name
        try:
            if not source.exists():
                raise Refused("找不到这个文件。")
            kind = check_file(source, ref.attachment_max_bytes)
            doc = read(source, kind, ref.import_limits)
            org_id = org or by_name.get(doc.layout.issuer)
            if org_id is None:
                issuer = f"发文机关“{doc.layout.issuer}”与 data/orgs.yml 中的机构名称都不一致" if doc.layout.issuer \
                    else "没有识别出发文机关"
                raise Refused(f"{issuer}，请用 --org 指定发布机构（如 --org {next(iter(ref.orgs), 'swj')}）。")
            findings = personal_data(source, ref.public_numbers)
            with writer_lock(project.root):  # the number is chosen from the files on disk inside the lock
                outcome = write_entry(project, source, doc, org_id, category, today)
        except Refused as exc:
            print(f"{shown}：未导入。{exc}", file=sys.stderr)
            status = 1
            continue
        keys = document_keys(doc.layout.doc_no, doc.layout.title, doc.layout.written)
        copies = [(key, earlier[key]) for key in keys if key in earlier]
        for key in keys:
            earlier.setdefault(key, outcome.path.relative_to(project.root).as_posix())
        print(summary(project, shown, outcome, doc, org_id, category, findings, copies))
    return status


def summary(project, shown: str, outcome: Outcome, doc: Document, org_id: str, category: str | None,
            findings: list | None, copies: list = ()) -> str:
    """What was found and what the editor must still do, for one file."""
    layout = doc.layout
    rel = outcome.path.relative_to(project.root).as_posix()
    lines = [f"{shown} → {rel}（草稿，索引号 {outcome.index_no}，发布机构 {project.ref.orgs[org_id].name}）"]
    found = [f"标题“{layout.title}”" if layout.title else "未识别出标题（暂用文件名）"]
    found.append(f"文号“{layout.doc_no}”" if layout.doc_no else "没有文号")
    if layout.doc_no_written:
        found.append(f"文号原文为“{layout.doc_no_written}”，括号已按 GB/T 9704 改为六角括号〔〕")
    if layout.issuer:
        found.append(f"发文机关“{layout.issuer}”")
    if layout.co_issuers:
        found.append(f"联合发文机关“{'、'.join(layout.co_issuers)}”")
    found.append(f"成文日期 {layout.written.isoformat()}" if layout.written else "未识别出成文日期（暂填今天）")
    if layout.addressee:
        found.append(f"主送“{layout.addressee}”（保留在正文开头）")
    if layout.signers:
        found.append(f"落款“{'、'.join(layout.signers)}”（与成文日期一起移出正文，写入“落款”字段，显示在正文之后并右对齐）")
    if layout.publication_note and publicly_released(layout.publication_note):
        found.append(f"附注“{layout.publication_note}”（已略去：列入目录即为主动公开）")
    lines.append("  已识别：" + "；".join(found) + "。")
    for key, first in copies:
        lines.append(f"  注意：{describe_key(key)}与已有条目 {first} 相同，可能是重复导入。如确属重复，请删除 {rel} "
                     f"和 files/ 中以“{outcome.path.parent.name}-{outcome.path.stem}-”开头的文件。")
        break
    if layout.publication_note and not publicly_released(layout.publication_note):
        lines.append(f"  注意：原文附注“{layout.publication_note}”（保留在正文末尾）：请确认这份文件可以公开。")
    names = {"heading": "个小标题", "list": "个列表", "table": "个表格", "paragraph": "个段落"}
    parts = [f"{doc.counts[k]} {v}" for k, v in names.items() if doc.counts.get(k)]
    if doc.images:
        parts.append(f"{len(doc.images)} 张图片（存入 files/ 并列为附件）")
    kept = "原文是网页，不作为附件发布（网页文件可能带脚本）；如有原件，请另行上传" if shown.lower().endswith(WEB_PAGES) \
        else "原文已作为附件保存"
    lines.append(f"  正文：{'、'.join(parts) or '没有内容'}；{kept}。")
    for note in doc.notes:
        lines.append(f"  转换提示：{note}。")
    named = [name for _, name in content.named_attachments(doc.body)]
    if named:
        lines.append(f"  缺少附件：正文的附件说明列出{'、'.join(f'“{n}”' for n in named)}，但只导入了原文。"
                     f"请把附件文件放入 {outcome.path.parent.relative_to(project.root).as_posix()}/files/，"
                     "在“附件”中列出（名称、文件）；补上之前 xxgk check 会提示。")
    if findings is None:
        lines.append("  个人信息扫描：无法提取原文文字，请人工核查。")
    elif findings:
        shown_findings = "、".join(f"{f.kind}“{f.masked}”" for f in findings[:5])
        lines.append(f"  个人信息扫描：原文中发现 {shown_findings}{'等' if len(findings) > 5 else ''}。"
                     "公开前必须删除或隐去（正文和附件都要处理），条目保持草稿。")
    else:
        lines.append("  个人信息扫描：未发现身份证号、手机号码、银行卡号和密级标志。")
    todo = [] if category else ["信息类别"]
    todo += ["主题分类", "关键词和内容概述（可选）", "保密审查（业务科室、信息发布人、分管领导）"]
    if doc.images:  # pictures cannot be scanned: a person looks at them and records it (README 发布安全)
        todo.append("逐张核查图片中有无个人信息，再在“隐私豁免”中按文件登记 {文件: files/…, 理由: 已人工核查…}")
    if category == "政策文件":
        todo.insert(0, "有效性")
    lines.append(f"  还需填写：{'、'.join(todo)}（填好之前 xxgk check 会提示缺少必填字段）；核对正文后删除“草稿: true”。"
                 + ("" if category else "信息类别未自动填写：请按内容选择，或导入时用 --category 指定。"))
    return "\n".join(lines)
