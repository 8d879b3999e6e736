"""`xxgk migrate FOLDER`: a copy of a district's old portal (wget --mirror) becomes catalog entries that
keep their 索引号, dates and addresses.

Where the metadata box and the body sit on a page, and what each label means, is data
(data/migrate-layouts.yml): this module only applies it. Pages are read in parallel (reading is the
slow part); entries are written one by one in the main process under the writer lock, so numbers are
chosen from what is on disk and never given twice. Nothing is guessed: each field line says where its
value came from, a value that cannot be read stays empty and is listed, and entries with gaps are drafts.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import yaml

from . import htmlmd, wordimport
from .catalog import CATALOG_DIR, POLICY
from .lock import writer_lock
from .numbering import taken_numbers
from .yamlio import syntax_message, write_atomic

LAYOUTS_FILE = "data/migrate-layouts.yml"
MAP_FILE = "data/migrate-map.yml"
STATE_FILE = "data/migrate-state.yml"
REDIRECTS_FILE = "data/redirects.yml"
PAGE_SUFFIXES = (".html", ".htm", ".shtml")
MAX_PAGE_BYTES = 5 * 1024 * 1024  # a bigger file is not an article page
MIN_BODY_CHARS = 10
FIELDS = ("索引号", "标题", "发布机构", "成文日期", "发布日期", "文号", "主题分类", "有效性", "关键词")
DATE_FIELDS = ("成文日期", "发布日期")
EMPTY_VALUES = {"无", "-", "—", "/", "暂无", "null", "NULL"}
_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u3000]+")
_DATE = re.compile(r"((?:19|20)\d\d)\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?")
_WRITE = re.compile(r"document\.write\s*\(\s*(['\"])(.*?)(?<!\\)\1\s*\)", re.S)
_HTML_TAGS = None  # lxml's list of HTML tags, read when first needed
_BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "tbody", "thead", "br", "dd", "dt", "dl",
               "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "center"}


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A value YAML reads back as the same string when written plain: no leading indicator, no “: ” or “ #”.
_PLAIN = re.compile(r"[\u3000-\u9fff\uff00-\uffefA-Za-z][^\n:#'\"\[\]{},&*!|>%@`]*")


class MigrateError(Exception):
    """A problem that stops the whole run (a bad layouts or map file), in Chinese."""


# --- layouts (data/migrate-layouts.yml) ---------------------------------------------------------------

def _selector(text: str, where: str = "") -> str:
    """A location as written in the layouts file (.class, #id, tag.class or XPath) as XPath."""
    text = str(text).strip()
    if text.startswith(("/", "(")):
        return text
    match = re.fullmatch(r"([A-Za-z][A-Za-z0-9]*)?(?:\.([\w-]+)|#([\w-]+))?", text)
    if not match or not any(match.groups()):
        raise MigrateError(f"{LAYOUTS_FILE}：{where}：位置“{text}”看不懂，应写成 .类名、#编号、标签.类名 或以 / 开头的 XPath。")
    tag, cls, ident = match.groups()
    xpath = f"//{tag or '*'}"
    if cls:
        xpath += f"[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]"
    if ident:
        xpath += f"[@id='{ident}']"
    return xpath


def _label_key(text: str) -> str:
    return re.sub(r"[\s\u00a0\u2002\u2003\u3000\[\]【】：:]", "", text)


@dataclass
class Layout:
    name: str
    detect: str
    box: str | None
    body: str | None
    title: str | None
    attachments: str | None


@dataclass
class Layouts:
    labels: dict  # label key -> field
    other: set
    meta: dict  # lower-case meta name -> field
    validity: dict
    suffixes: tuple
    layouts: list
    label_pattern: re.Pattern = None

    def __post_init__(self):
        keys = sorted(set(self.labels) | self.other, key=len, reverse=True)
        spaced = ["[ \t\u00a0\u2002\u2003\u3000]*".join(map(re.escape, key)) for key in keys]
        # A label starts a line (or follows “[”/“【”) and ends with a colon, a bracket or the line's end.
        self.label_pattern = re.compile(
            r"(?:^|(?<=\n))[ \t\u00a0\u2002\u3000]*[\[【]?[ \t\u00a0\u2002\u3000]*(" + "|".join(spaced) +
            r")[ \t\u00a0\u2002\u3000]*(?:[\]】][ \t\u00a0\u2002\u3000]*[：:]?|[：:]|(?=\n))")


def _read_yaml(path: Path, shown: str):
    """A data file's content; its YAML mistakes as a Chinese MigrateError with the line (PyYAML's English never)."""
    text = path.read_text(encoding="utf-8")
    try:
        return yaml.load(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        line, message = syntax_message(text, exc)
        raise MigrateError(f"{shown}：{message.format(line=line + 1)}") from None
    except yaml.YAMLError:
        raise MigrateError(f"{shown}：不是有效的 YAML，请检查冒号、缩进和引号。") from None


def _checked_xpath(xpath: str, where: str) -> str:
    import lxml.etree

    try:
        lxml.etree.XPath(xpath)
    except lxml.etree.XPathError:
        raise MigrateError(f"{LAYOUTS_FILE}：{where}：位置“{xpath}”不是有效的 XPath（括号、引号要成对）。") from None
    return xpath


def load_layouts(root: Path) -> Layouts:
    path = root / LAYOUTS_FILE
    try:
        data = _read_yaml(path, LAYOUTS_FILE)
    except FileNotFoundError:
        raise MigrateError(f"缺少 {LAYOUTS_FILE}（旧网站页面版式）。请从 xxgk 的示例门户复制一份。") from None
    if not isinstance(data, dict) or not isinstance(data.get("版式"), list):
        raise MigrateError(f"{LAYOUTS_FILE} 应有“标签”“头部标签”和“版式”三部分。")
    layouts = []
    for number, item in enumerate(data["版式"], 1):
        if not isinstance(item, dict) or not item.get("名称") or not item.get("识别"):
            raise MigrateError(f"{LAYOUTS_FILE}：第 {number} 个版式缺少“名称”或“识别”。")
        loc = {key: _checked_xpath(_selector(item[key], f"第 {number} 个版式“{item['名称']}”的“{key}”"),
                                   f"第 {number} 个版式“{item['名称']}”的“{key}”")
               if item.get(key) else None for key in ("识别", "信息框", "正文", "标题", "附件")}
        layouts.append(Layout(str(item["名称"]), loc["识别"], loc["信息框"], loc["正文"], loc["标题"], loc["附件"]))
    labels = {_label_key(str(k)): str(v) for k, v in (data.get("标签") or {}).items()}
    wrong = sorted({v for v in labels.values() if v not in FIELDS})
    if wrong:
        raise MigrateError(f"{LAYOUTS_FILE}：“标签”中的含义“{'、'.join(wrong)}”不是可迁移的字段（{'、'.join(FIELDS)}）。")
    return Layouts(
        labels=labels,
        other={_label_key(str(k)) for k in data.get("其他标签") or []},
        meta={str(k).lower(): str(v) for k, v in (data.get("头部标签") or {}).items()},
        validity={str(k): str(v) for k, v in (data.get("有效性取值") or {}).items()},
        suffixes=tuple(f".{str(s).lower()}" for s in data.get("附件后缀") or []),
        layouts=layouts,
    )


# --- reading one page (runs in the worker processes) ----------------------------------------------------

@dataclass
class Page:
    rel: str  # path inside the mirror folder, POSIX
    skip: str = ""  # why this page is no entry
    layout: str = ""
    values: dict = field(default_factory=dict)  # field -> (raw value, where it came from)
    conflicts: list = field(default_factory=list)  # (field, box value, head value)
    column: str = ""
    url: str = ""
    old_path: str = ""
    body: str = ""
    signers: list = field(default_factory=list)
    attachments: list = field(default_factory=list)  # (label, rel path in the mirror)
    missing: list = field(default_factory=list)  # labels of linked attachments the copy does not hold
    digest: str = ""  # of the page file
    body_key: str = ""  # of title and body: the same article under two addresses


def clean(text: str) -> str:
    """Whitespace collapsed. The page's own spaces (&nbsp;, &ensp;, full-width) separate parts of a value
    and stay, as one space; the source's line breaks and indentation go, and none is left between CJK
    characters (a value split over spans and lines)."""
    text = re.sub(r"[ \t\r\n]*[\u00a0\u2002\u2003\u2009\u3000][\u00a0\u2002\u2003\u2009\u3000 \t\r\n]*", "\x01", text)
    text = re.sub(r"[ \t\r\n]+", " ", text).strip(" \x01")
    text = re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) (?=\d)|(?<=\d) (?=[^\x00-\x7f])", "", text)
    return text.replace("\x01", " ")


def _box_text(element) -> str:
    """The box's text with a line break between block elements, and what inline document.write prints."""
    import lxml.html

    parts: list[str] = []

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("script",):
            for _, literal in _WRITE.findall(node.text or ""):
                literal = literal.replace("\\'", "'").replace('\\"', '"')
                try:
                    parts.append(lxml.html.fragment_fromstring(literal, create_parent="span").text_content())
                except Exception:  # noqa: BLE001 - an unreadable literal is left out, like the script
                    pass
            return
        if tag in ("style", "noscript") or not tag:
            return
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")
        if block:
            parts.append("\n")

    walk(element)
    return "".join(parts)


def read_box(text: str, layouts: Layouts) -> list[tuple[str, str, str]]:
    """(field, label as printed, value) for every known label in a box's text, in order."""
    found = []
    matches = list(layouts.label_pattern.finditer(text))
    for number, match in enumerate(matches):
        end = matches[number + 1].start() if number + 1 < len(matches) else len(text)
        key = _label_key(match.group(1))
        meaning = layouts.labels.get(key)
        if meaning:
            found.append((meaning, clean(match.group(1)), clean(text[match.end():end])))
    return found


def _first(root, xpath: str | None):
    if not xpath:
        return None
    try:
        hits = root.xpath(xpath)
    except Exception:  # noqa: BLE001 - lxml's XPath errors have several classes
        return None
    return next((h for h in hits if hasattr(h, "tag")), None)


def _old_address(rel: str, url: str) -> tuple[str, str]:
    """(原网址, old path on the server) of a page at `rel` in the mirror (wget puts the host first)."""
    if url:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.path:
            return url, unquote(parts.path)
    first, _, rest = rel.partition("/")
    path = rest if "." in first and rest else rel
    if re.search(r"\.(shtml|jsp|asp|aspx|php)\.html$", path, re.I):  # wget --adjust-extension added .html
        path = path[:-5]
    return (f"http://{rel}" if "." in first and rest else rel), "/" + path


def read_page(folder: Path, rel: str, layouts: Layouts) -> Page:
    import lxml.etree
    import lxml.html

    page = Page(rel)
    path = folder / rel
    try:
        raw = path.read_bytes()
    except OSError:
        page.skip = "无法读取"
        return page
    page.digest = hashlib.sha256(raw).hexdigest()[:16]
    if len(raw) > MAX_PAGE_BYTES:
        page.skip = "文件太大，不像文章页"
        return page
    try:
        root = lxml.html.document_fromstring(htmlmd.decode(raw))
    except (ValueError, lxml.etree.ParserError):
        page.skip = "不是网页"
        return page
    head: dict = {}
    for meta in root.xpath("//meta[@name]"):
        meaning = layouts.meta.get((meta.get("name") or "").strip().lower())
        content = clean(meta.get("content") or "")
        if meaning and content and meaning not in head:
            head[meaning] = (content, meta.get("name"))
        if (meta.get("name") or "").strip().lower() == "url" and not page.url:
            page.url = (meta.get("content") or "").strip()
    page.url, page.old_path = _old_address(rel, page.url)
    page.column = head.pop("栏目", ("", ""))[0]
    layout = next((lay for lay in layouts.layouts if _first(root, lay.detect) is not None), None)
    box: dict = {}
    if layout:
        page.layout = layout.name
        for element in (root.xpath(layout.box) if layout.box else []):
            if not hasattr(element, "tag"):
                continue
            for meaning, label, value in read_box(_box_text(element), layouts):
                if value in EMPTY_VALUES and meaning != "主题分类":
                    value = ""
                if meaning not in box or not box[meaning][0]:
                    box[meaning] = (value, label)
                elif value and value != box[meaning][0]:
                    page.conflicts.append((meaning, box[meaning][0], value, "信息框的两处"))
    if not box and "标题" not in head:
        page.skip = "列表或栏目页（没有信息框，也没有 ArticleTitle）"
        return page
    for meaning in FIELDS:
        if meaning in box and box[meaning][0]:
            page.values[meaning] = (box[meaning][0], f"信息框“{box[meaning][1]}”")
            if meaning in head and not _agrees(meaning, box[meaning][0], head[meaning][0]):
                page.conflicts.append((meaning, box[meaning][0], head[meaning][0], f"头部 {head[meaning][1]}"))
        elif meaning in head:
            page.values[meaning] = (head[meaning][0], f"头部 {head[meaning][1]}")
        elif meaning in box:  # shown empty in the box
            page.values[meaning] = ("", f"信息框“{box[meaning][1]}”（空）")
    if "标题" not in page.values and layout and layout.title:
        element = _first(root, layout.title)
        if element is not None and clean(element.text_content()):
            page.values["标题"] = (clean(element.text_content()), "标题栏")
    _read_body(page, root, layout, layouts, folder)
    if len(page.body.strip()) < MIN_BODY_CHARS and not page.attachments:
        page.skip = "没有正文"
    title = page.values.get("标题", ("", ""))[0]
    page.body_key = hashlib.sha256(f"{title}\n{page.body}".encode()).hexdigest()[:16]
    return page


def _agrees(meaning: str, box: str, head: str) -> bool:
    if meaning in DATE_FIELDS:
        return parse_date(box) == parse_date(head)
    if meaning == "关键词":
        return set(split_keywords(box)) == set(split_keywords(head))
    return _label_key(box) == _label_key(head)


def _attachment_links(areas: list, page_dir: PurePosixPath, folder: Path, suffixes: tuple) -> tuple[list, list]:
    """(label, path in the mirror) of the attachments the areas link, found in the copy; labels of those not in it."""
    found, missing = [], []
    host = page_dir.parts[0] if page_dir.parts and "." in page_dir.parts[0] else ""
    for link in (link for area in areas for link in area.iter("a")):
        href = (link.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//", href, re.I):
            parts = urlsplit(href if not href.startswith("//") else "http:" + href)
            if not host or parts.scheme not in ("http", "https") or parts.hostname != host.lower():
                continue  # another site: the copy holds only this site's files
            href = "/" + parts.path.lstrip("/")  # wget kept the absolute address of its own site
        target = unquote(href.split("#")[0].split("?")[0])
        if not target.lower().endswith(suffixes):
            continue
        if target.startswith("/"):  # from the site's root: the host's folder in the mirror
            if not host:
                continue
            target = target.lstrip("/")
            rel = os.path.normpath(f"{host}/{target}").replace(os.sep, "/")
        else:
            rel = os.path.normpath(str(page_dir / target)).replace(os.sep, "/")
        if rel.startswith("../") or rel == ".." or os.path.isabs(rel):
            continue
        label = clean(link.text_content()) or PurePosixPath(rel).name
        if (folder / rel).is_file():
            if rel not in [r for _, r in found]:
                found.append((label, rel))
        elif label not in missing:
            missing.append(label)
    return found, missing


def _read_body(page: Page, root, layout: Layout | None, layouts: Layouts, folder: Path) -> None:
    """The body as Markdown, made the way `xxgk import page.html` makes it; its attachment links."""
    global _HTML_TAGS
    import lxml.html
    import lxml.html.defs

    if _HTML_TAGS is None:
        _HTML_TAGS = frozenset(lxml.html.defs.tags) | {"o:p"}

    page_dir = PurePosixPath(page.rel).parent
    # The layout's attachment list (a CMS lists them under the body) and the body's own links (“附件：” lines).
    lists = [e for e in root.xpath(layout.attachments) if hasattr(e, "tag")] if layout and layout.attachments else []
    for junk in root.xpath("//script|//style|//noscript|//form|//iframe|//object|//embed|//svg|//button"):
        junk.drop_tree()
    article = _first(root, layout.body) if layout and layout.body else None
    if article is None:
        article = wordimport._article(root)
    areas = [e for e in [*lists, article] if e is not None]  # a link found twice is listed once
    page.attachments, page.missing = _attachment_links(areas or [root], page_dir, folder, layouts.suffixes)
    if article is None:
        return
    for image in article.xpath(".//img"):
        image.drop_tree()
    for element in list(article.iter()):  # a CMS's own tags (<ucapcontent>, <publishtime>): their content stays
        if isinstance(element.tag, str) and element.tag not in _HTML_TAGS and element is not article:
            element.drop_tag()
    paras = []
    for element in article.iter(*wordimport._PAGE_BLOCKS):
        if not any(isinstance(d.tag, str) and d.tag in wordimport._PAGE_BLOCKS for d in element.iterdescendants()):
            text = re.sub(r"\s+", " ", "".join(element.itertext()).replace("\xa0", " ")).strip()
            if text:
                paras.append(wordimport.Para(text, wordimport._centred(element)))
    inner = (article.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in article)
    layout_found = wordimport.read_layout(paras)
    odd = [s for s in layout_found.signers if re.search(r"[^\u4e00-\u9fff（）()·A-Za-z0-9]", s)]
    if odd:
        # A line that is no clean name (“国务院办公厅 &bsp;”, a typo on the old page): the 落款 stays in the
        # body as published instead of becoming the 落款 field (organs side by side: wordimport.side_by_side).
        layout_found = dataclasses.replace(layout_found, signers=[], closing=[], closing_at=set())
    blocks = htmlmd.blocks(inner.replace("\xa0", " "))
    if layout_found.written:  # the date under the 落款 leaves the body (the entry shows 成文日期 there)
        written = layout_found.written.isoformat()
        where = "正文末尾落款下的日期"
        if not (page.values.get("成文日期") or ("", ""))[0]:
            page.values["成文日期"] = (written, where)
        elif parse_date(page.values["成文日期"][0]) != layout_found.written:
            page.conflicts.append(("成文日期", page.values["成文日期"][0], written, where))
            # The entry shows the box's date: the body keeps its own 落款 and date, as published.
            layout_found = dataclasses.replace(layout_found, signers=[], closing=[], closing_at=set())
    printed = _printed_doc_no(paras)
    if printed:  # the 发文字号 on a line of its own at the top of the body (the entry shows 文号)
        where, shown = "正文开头的发文字号", (page.values.get("文号") or ("", ""))[0]
        if not shown:
            page.values["文号"] = (printed, where)
        elif _doc_no(shown) != printed:
            page.conflicts.append(("文号", shown, printed, where))
    doc = wordimport._document(layout_found, blocks, [], [])
    page.body = doc.body.replace("\ue000", "").replace("\ue001", "")
    page.signers = list(layout_found.signers)


def _printed_doc_no(paras: list) -> str:
    """A 发文字号 the top of the body prints on a line of its own ("国办函〔2005〕21号"; not inside the title).
    Only the head of the document is read: from the first sentence (the 主送机关 or the text) on, a 文号 is a
    document the text cites, not its own."""
    for para in paras[:8]:
        if re.search(r"[。，；：:,;]", para.text):
            break
        for line in re.split(r"\s+", para.text.strip()):
            if wordimport.DOC_NO.fullmatch(line):
                return _doc_no(line)
    return ""


def _doc_no(text: str) -> str:
    """A 文号 in the one form wordimport gives it (〔〕 brackets, no spaces), to compare two spellings."""
    match = wordimport.DOC_NO.search(text)
    return wordimport.doc_no_form(match) if match else text


def parse_date(text: str) -> date | None:
    match = _DATE.search(text or "")
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def split_keywords(text: str) -> list[str]:
    return [w for w in re.split(r"[，,；;、\s]+", text or "") if w]


_LAYOUTS: Layouts | None = None
_FOLDER: Path | None = None


def _init_worker(folder: Path, layouts: Layouts) -> None:
    global _LAYOUTS, _FOLDER
    _LAYOUTS, _FOLDER = layouts, folder


def _read_in_worker(rel: str) -> Page:
    try:
        return read_page(_FOLDER, rel, _LAYOUTS)
    except Exception as exc:  # noqa: BLE001 - one bad page never stops the others
        return Page(rel, skip=f"读取出错（{type(exc).__name__}）")


def read_pages(folder: Path, layouts: Layouts, progress=None) -> list[Page]:
    """Every page of the mirror, read over the CPU cores, in path order."""
    rels = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.suffix.lower() in PAGE_SUFFIXES and p.is_file() and not p.is_symlink())
    pages: list[Page] = []
    workers = min(os.cpu_count() or 1, 8)
    if len(rels) < 200 or workers == 1:
        _init_worker(folder, layouts)
        for rel in rels:
            pages.append(_read_in_worker(rel))
            if progress:
                progress(len(pages), len(rels))
        return pages
    import multiprocessing

    with multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn").Pool(
            workers, initializer=_init_worker, initargs=(folder, layouts)) as pool:
        for page in pool.imap(_read_in_worker, rels, chunksize=32):
            pages.append(page)
            if progress:
                progress(len(pages), len(rels))
    return pages


# --- the mapping file (data/migrate-map.yml) -----------------------------------------------------------

MAP_SECTIONS = ("机构", "主题分类", "信息类别")
MAP_HEADER = """\
# 旧网站到本门户的对应表，由 xxgk migrate 起草，由编辑补全。补全后重新运行 xxgk migrate，
# 已迁移、且未经编辑改动的条目会按新的对应关系更新。
# 机构：旧网站上的发布机构名称 → data/orgs.yml 中的机构标识（名称或简称完全一致的无需列出）。
# 主题分类：旧网站的主题分类 → data/vocab.yml 中的主题分类（取值完全一致的无需列出）。
# 信息类别：旧网站的栏目名称（页面头部 ColumnName） → data/vocab.yml 中的信息类别。
# 留空的项表示还没有对应：这些条目保持草稿。
"""


def load_map(path: Path) -> dict:
    if not path.exists():
        return {k: {} for k in MAP_SECTIONS}
    data = _read_yaml(path, path.name) or {}
    if not isinstance(data, dict):
        raise MigrateError(f"{path.name} 应分为“机构”“主题分类”“信息类别”三部分，每部分是“旧名称: 新取值”。")
    result = {}
    for section in MAP_SECTIONS:
        part = data.get(section) or {}
        if not isinstance(part, dict):
            raise MigrateError(f"{path.name}：“{section}”应写成“旧名称: 新取值”。")
        result[section] = {str(k): ("" if v is None else str(v)) for k, v in part.items()}
    return result


def dump_map(mapping: dict) -> str:
    lines = [MAP_HEADER]
    for section in MAP_SECTIONS:
        lines.append(f"{section}:")
        items = mapping.get(section, {})
        if not items:
            lines.append(f"  # （没有需要对应的{section}）")
        for old in sorted(items):
            lines.append(f"  {_yaml_key(old)}: {_yaml_scalar(items[old])}".rstrip())
        lines.append("")
    return "\n".join(lines)


def _yaml_key(text: str) -> str:
    return _yaml_scalar(text) or '""'


def _yaml_scalar(text: str) -> str:
    if not text:
        return ""
    if _PLAIN.fullmatch(text) and not text.endswith(" ") and \
            text.lower() not in {"yes", "no", "on", "off", "true", "false", "null", "y", "n"}:
        return text  # the common case, without asking YAML
    return wordimport._scalar(text)


# --- writing the entries -------------------------------------------------------------------------------

@dataclass
class Planned:
    page: Page
    org: str  # data/orgs.yml id; "" when not mapped
    folder_org: str
    values: dict  # field -> value as written
    notes: dict  # field -> where it came from (the YAML comment)
    gaps: list
    unreadable: list
    old_number: str = ""
    number: str = ""
    path: Path | None = None
    text: str = ""
    findings: list = field(default_factory=list)
    attachment_files: list = field(default_factory=list)  # (label, files/… under the entry's folder)
    map_key: str = ""  # what the mapping gave it (see _map_key)
    old_file: Path | None = None  # where an entry numbered only now was written before


def _resolve(project, page: Page, mapping: dict, layouts: Layouts, wanted: dict) -> Planned:
    ref = project.ref
    values, notes, gaps, unreadable = {}, {}, [], []
    raw = {k: v for k, (v, _) in page.values.items()}
    where = {k: w for k, (_, w) in page.values.items()}

    def note(key: str, text: str) -> None:
        notes[key] = f"迁移：{text}"

    title = raw.get("标题", "")
    if title:
        values["标题"] = title
        note("标题", where["标题"])
    else:
        gaps.append("标题")
        note("标题", "旧页面上没有读到标题")
    by_name = {}
    for org in ref.orgs.values():
        by_name.setdefault(org.name, org.id)
        if org.short_name:
            by_name.setdefault(org.short_name, org.id)
    issuer = raw.get("发布机构", "")
    org = ""
    if issuer:
        org = by_name.get(issuer) or mapping["机构"].get(issuer, "")
        if org and org not in ref.orgs:
            unreadable.append(f"data/migrate-map.yml 中“{issuer}”对应的“{org}”不是 data/orgs.yml 中的机构标识")
            org = ""
        if org:
            values["发布机构"] = org
            how = "与 data/orgs.yml 的名称一致" if by_name.get(issuer) else "按 data/migrate-map.yml 对应"
            note("发布机构", f"{where['发布机构']}“{issuer}”，{how}")
        else:
            wanted["机构"].setdefault(issuer, "")
            gaps.append("发布机构")
            note("发布机构", f"{where['发布机构']}“{issuer}”未能对应 data/orgs.yml，请在 data/migrate-map.yml 中补全")
    else:
        gaps.append("发布机构")
        note("发布机构", "旧页面上没有读到发布机构")
    for key in DATE_FIELDS:
        text = raw.get(key, "")
        day = parse_date(text)
        if day:
            values[key] = day.isoformat()
            note(key, where[key] if day.isoformat() == text else f"{where[key]}“{text}”")
        else:
            gaps.append(key)
            if text:
                unreadable.append(f"{key}“{text}”不是日期")
            note(key, f"{where[key]}“{text}”不是日期" if text else "旧页面上没有读到")
    if raw.get("文号"):
        values["文号"] = raw["文号"]
        note("文号", where["文号"])
    topic = raw.get("主题分类", "")
    mapped = topic if topic in ref.topics else mapping["主题分类"].get(topic, "") if topic else ""
    if mapped and mapped in ref.topics:
        values["主题分类"] = mapped
        note("主题分类", where["主题分类"] if mapped == topic else f"{where['主题分类']}“{topic}”，按 data/migrate-map.yml 对应")
    else:
        gaps.append("主题分类")
        if topic:
            wanted["主题分类"].setdefault(topic, "")
            note("主题分类", f"{where['主题分类']}“{topic}”未能对应 data/vocab.yml，请在 data/migrate-map.yml 中补全")
        else:
            note("主题分类", "旧页面上没有主题分类")
    column = page.column
    category = mapping["信息类别"].get(column, "") if column else ""
    if category and category in ref.categories:
        values["信息类别"] = category
        note("信息类别", f"头部 ColumnName“{column}”，按 data/migrate-map.yml 对应")
    else:
        gaps.append("信息类别")
        if column:
            wanted["信息类别"].setdefault(column, "")
            note("信息类别", f"栏目“{column}”未能对应，请在 data/migrate-map.yml 中补全")
        else:
            note("信息类别", "旧网站没有这一项，请填写")
    validity = raw.get("有效性", "")
    if validity:
        value = layouts.validity.get(validity, validity)
        if value in ref.validity:
            values["有效性"] = value
            note("有效性", where["有效性"] if value == validity else f"{where['有效性']}“{validity}”")
        else:
            unreadable.append(f"有效性“{validity}”不是 data/vocab.yml 的取值")
            note("有效性", f"{where['有效性']}“{validity}”不是可用的取值，请填写")
    if values.get("信息类别") == POLICY and "有效性" not in values:
        # A policy document must state its validity (xxgk check): the category waits until the editor has it.
        del values["信息类别"]
        gaps += ["信息类别", "有效性"]
        note("信息类别", f"头部 ColumnName“{column}”按 data/migrate-map.yml 对应为“{POLICY}”，但旧页面上没有有效性："
                     f"请填写有效性后再填写信息类别")
        notes.setdefault("有效性", "迁移：旧页面上没有有效性，政策文件必须填写")
    for label in page.missing:
        unreadable.append(f"正文链接的附件“{label}”不在旧网站副本中，请向原网站管理者索取后放入 files/")
    words = split_keywords(raw.get("关键词", ""))
    if words:
        values["关键词"] = words
        note("关键词", where["关键词"])
    planned = Planned(page, org, org or _default_org(project), values, notes, gaps, unreadable)
    planned.old_number = raw.get("索引号", "")
    planned.map_key = _map_key(planned)
    return planned


def _default_org(project) -> str:
    """Where an entry whose 发布机构 is not mapped yet waits: the government's folder (it stays a draft)."""
    orgs = list(project.ref.orgs.values())
    return next((o.id for o in orgs if o.type == "政府"), orgs[0].id if orgs else "")


class Numbers:
    """Numbers taken, and the next serial of each org and year, read once under the lock."""

    def __init__(self, project):
        self.project = project
        self.taken = set(taken_numbers(project))
        self.next: dict = {}

    def free(self, number: str) -> bool:
        return number not in self.taken

    def take(self, number: str) -> None:
        self.taken.add(number)

    def new(self, org_id: str, year: int) -> str:
        org = self.project.ref.orgs[org_id]
        prefix = f"{org.code}/{year}-"
        if (org_id, year) not in self.next:
            used = [int(n[len(prefix):]) for n in self.taken if n.startswith(prefix) and n[len(prefix):].isdigit()]
            folder = self.project.docs / CATALOG_DIR / org_id / str(year)
            used += [int(p.stem) for p in folder.glob("*.md") if p.stem.isdigit()]
            self.next[(org_id, year)] = max(used, default=0) + 1
        while True:
            serial = self.next[(org_id, year)]
            self.next[(org_id, year)] += 1
            number = f"{prefix}{serial:05d}"
            if number not in self.taken:
                self.taken.add(number)
                return number


def _number(planned: Planned, numbers: Numbers, ref, keep: str = "") -> None:
    """Keep the old 索引号 where it fits data/rules.yml, its org and year, and is free; else a new one."""
    old = planned.old_number
    published = planned.values.get("发布日期")
    year = int(published[:4]) if published else None
    fits = bool(old and ref.index_pattern.match(old))
    own = fits and bool(planned.org and year) and old.split("/")[0] == ref.orgs[planned.org].code \
        and old.split("/")[1][:4] == str(year)
    where = planned.page.values["索引号"][1] if "索引号" in planned.page.values else ""
    if (keep and keep == old) or (not keep and own and numbers.free(old)):
        planned.number = old
        numbers.take(old)
        planned.notes["索引号"] = f"迁移：{where}，保留原索引号"
        return
    if keep:
        planned.number = keep
    elif planned.org and year:
        planned.number = numbers.new(planned.org, year)
    if old:
        planned.values["原索引号"] = old
        why = "不符合 data/rules.yml 的索引号格式" if not fits else \
            "发布机构或发布日期未定" if not (planned.org and year) else \
            "与发布机构的机构代码或发布年份不一致" if not own else "已被其他条目使用"
        planned.notes["原索引号"] = f"迁移：{where}，{why}"
    if planned.number:
        planned.notes["索引号"] = "迁移：保留上次迁移的索引号" if keep else "迁移：按本门户规则新编"
    else:
        planned.notes["索引号"] = "迁移：发布机构或发布日期未定，暂不编号（补全后运行 xxgk assign）"


def _path_for(planned: Planned, project) -> Path:
    if planned.number and planned.org:
        code, tail = planned.number.split("/")
        return project.docs / CATALOG_DIR / planned.org / tail[:4] / f"{int(tail[5:]):05d}.md"
    year = (planned.values.get("发布日期") or planned.values.get("成文日期") or "0000")[:4]
    stem = "old-" + hashlib.sha256(planned.page.url.encode()).hexdigest()[:10]
    return project.docs / CATALOG_DIR / planned.folder_org / (year if year != "0000" else "未定年份") / f"{stem}.md"


def _line(key: str, value, note: str | None) -> str:
    if isinstance(value, list):
        text = "[" + ", ".join(_yaml_scalar(v) for v in value) + "]"
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
        text = str(value)  # a date, read back as one
    else:
        text = _yaml_scalar(str(value)) if value else ""
    comment = f"  # {note}" if note else ""
    return f"{key}: {text}{comment}".replace(":   #", ":  #").rstrip() if not text else f"{key}: {text}{comment}"


def render(planned: Planned, project) -> str:
    v, n = planned.values, planned.notes
    draft = bool(planned.gaps or planned.unreadable or planned.findings)
    lines = ["---"]
    if planned.gaps:
        lines.append(f"# 迁移缺项（补全后删除“草稿: true”）：{'、'.join(planned.gaps)}")
    for item in planned.unreadable:
        lines.append(f"# 迁移时未能读取：{item}")
    for item in planned.page.conflicts:
        lines.append(f"# 迁移时发现不一致：{item[0]} 信息框为“{item[1]}”，{item[3]}为“{item[2]}”（已取信息框的值）")
    for finding in planned.findings:
        lines.append(f"# 个人信息扫描：{finding}")
    lines.append(_line("索引号", planned.number, n.get("索引号")))
    if "原索引号" in v:
        lines.append(_line("原索引号", v["原索引号"], n.get("原索引号")))
    for key in ("标题", "发布机构", "成文日期", "发布日期", "文号"):
        lines.append(_line(key, v.get(key, ""), n.get(key)))
    if planned.page.signers:
        lines.append("落款:" + wordimport._signature(planned.page.signers) + "  # 迁移：正文末尾的署名")
    for key in ("主题分类", "信息类别", "有效性"):
        lines.append(_line(key, v.get(key, ""), n.get(key)))
    lines.append(_line("关键词", v.get("关键词", []), n.get("关键词")))
    lines.append("内容概述:")
    if planned.page.attachments:
        lines.append("附件:  # 迁移：旧页面链接的附件，已复制到 files/")
        for label, name in planned.attachment_files:
            lines.append(f"  - 名称: {_yaml_scalar(label)}\n    文件: {_yaml_scalar(name)}")
    else:
        lines.append("附件:")
    lines.append(_line("原网址", planned.page.url, f"迁移：{planned.page.rel}（版式：{planned.page.layout or '无'}）"))
    lines.append("# 保密审查：原网站已公开的信息，迁移后仍须由审查人确认；三个环节都填写后删除“草稿: true”。")
    lines.append("保密审查:")
    for role in project.ref.review_roles:
        lines.append(f"  {role}: {{审查人: , 日期: }}")
    lines.append("草稿: true")
    lines.append("---")
    body = planned.page.body.strip()
    return "\n".join(lines) + "\n\n" + (body + "\n" if body else "")


def _fingerprint(text: str | bytes) -> str:
    data = text.encode() if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()[:16]


# --- the run ---------------------------------------------------------------------------------------------

@dataclass
class Result:
    read: int = 0
    written: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0
    kept_edited: list = field(default_factory=list)  # edited since, and the old page or the map changed
    edited_same: list = field(default_factory=list)  # edited since; the old page and the map did not change
    clashes: list = field(default_factory=list)  # (old address, path another host's page already leads from)
    deleted: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (rel, reason)
    entries: list = field(default_factory=list)  # Planned, written or updated
    field_counts: Counter = field(default_factory=Counter)
    seconds: dict = field(default_factory=dict)


def _progress_printer(stream):
    last = [-1]

    def show(done: int, total: int) -> None:
        percent = done * 100 // max(total, 1)
        if percent != last[0] or done == total:
            last[0] = percent
            stream.write(f"\r读取网页 {done}/{total}（{percent}%）")
            if done == total:
                stream.write("\n")
            stream.flush()
    return show


def run(project, folder: Path, map_path: Path | None = None, dry_run: bool = False, out=None) -> int:
    out = out or sys.stdout
    root = project.root
    if not folder.is_dir():
        print(f"错误：找不到旧网站副本的文件夹 {folder}。", file=sys.stderr)
        return 2
    try:
        layouts = load_layouts(root)
        map_path = map_path or root / MAP_FILE
        mapping = load_map(map_path)
        state_path = root / STATE_FILE
        state = _load_state(state_path)
    except MigrateError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    folder = folder.resolve()
    started = time.perf_counter()
    pages = read_pages(folder, layouts, _progress_printer(sys.stderr))
    result = Result(read=len(pages))
    result.seconds["读取"] = time.perf_counter() - started
    started = time.perf_counter()
    wanted = {k: {} for k in MAP_SECTIONS}
    seen_urls: dict = {}
    seen_bodies: dict = {}
    articles = []
    for page in pages:
        if page.skip:
            result.skipped.append((page.rel, page.skip))
            continue
        if page.url in seen_urls:
            result.skipped.append((page.rel, f"重复：与 {seen_urls[page.url]} 是同一网址"))
            continue
        if page.body_key in seen_bodies:
            result.skipped.append((page.rel, f"重复：标题和正文与 {seen_bodies[page.body_key]} 相同"))
            continue
        seen_urls[page.url] = page.rel
        seen_bodies[page.body_key] = page.rel
        articles.append(page)
    plans = [_resolve(project, page, mapping, layouts, wanted) for page in articles]
    with writer_lock(root):
        numbers = Numbers(project)
        by_url = {e.old_url: e.file for e in project.catalog.entries if e.old_url}
        writes: list = []
        with ThreadPoolExecutor(max_workers=8) as writer:
            for planned in plans:
                _place(project, planned, state, numbers, folder, result, dry_run, by_url, writer, writes)
        for done in writes:
            done.result()  # the first write that failed (disk full, no permission) stops the run here
        redirects = _redirects(state, result.clashes)
        if not dry_run:
            merged = {s: {**wanted[s], **mapping[s]} for s in MAP_SECTIONS}
            if merged != mapping or not map_path.exists():
                write_atomic(map_path, dump_map(merged), overwrite=True)
            write_atomic(state_path, _dump_state(state), overwrite=True)
            write_atomic(root / REDIRECTS_FILE, _dump_redirects(redirects), overwrite=True)
    result.seconds["编号和写入"] = time.perf_counter() - started
    _report(result, wanted, out, dry_run, project)
    return 0


def _place(project, planned: Planned, state: dict, numbers: Numbers, folder: Path, result: Result, dry_run: bool,
           by_url: dict, writer, writes: list):
    """Write a new entry, update one migrate wrote and nobody edited since, or leave an edited one alone."""
    ref = project.ref
    url = planned.page.url
    known = state.get(url)
    if known:
        path = project.root / known["条目"]
        same = known.get("页面") == planned.page.digest and known.get("对应") == planned.map_key
        edited = result.edited_same if same else result.kept_edited  # only a change on the old side is news
        if not path.exists():
            moved = by_url.get(url)  # renamed since (xxgk assign) or moved by an editor: edited, kept
            if moved and (project.root / moved).exists():
                known["条目"] = moved
                edited.append(moved)
            else:
                result.deleted.append(known["条目"])
            return
        current = path.read_bytes()
        if _fingerprint(current) != known["指纹"]:
            edited.append(known["条目"])
            return
        if same:
            result.unchanged += 1
            return
        _number(planned, numbers, ref, keep=known.get("索引号", ""))
        planned.path = path if known.get("索引号") else _path_for(planned, project)
        planned.old_file = path if planned.path != path else None
    else:
        _number(planned, numbers, ref)
        planned.path = _path_for(planned, project)
        if planned.path.exists():  # a file of that name that migrate did not write: choose another number
            if planned.number and planned.org:
                planned.number = numbers.new(planned.org, int(planned.number.split("/")[1][:4]))
                planned.path = _path_for(planned, project)
    prefix = planned.path.stem
    planned.attachment_files = []
    for label, rel in planned.page.attachments:
        name = f"files/{prefix}-{wordimport._safe_name(Path(rel).stem)}{Path(rel).suffix.lower()}"
        planned.attachment_files.append((label, name))
        findings = wordimport.personal_data(folder / rel, ref.public_numbers)
        if findings is None:
            planned.findings.append(f"附件“{label}”无法提取文字，请人工核查")
        elif findings:
            shown = "、".join(f"{f.kind}“{f.masked}”" for f in findings[:5])
            planned.findings.append(f"附件“{label}”中发现 {shown}，公开前必须处理")
    planned.text = render(planned, project)
    rel_entry = planned.path.relative_to(project.root).as_posix()
    if not dry_run:
        writes.append(writer.submit(_write, planned, folder, bool(known)))
        state[url] = {"条目": rel_entry, "指纹": _fingerprint(planned.text), "页面": planned.page.digest,
                      "索引号": planned.number, "旧路径": planned.page.old_path, "对应": planned.map_key}
    (result.updated if known else result.written).append(rel_entry)
    result.entries.append(planned)
    for key in FIELDS:
        if (planned.page.values.get(key) or ("", ""))[0]:
            result.field_counts[key] += 1


def _write(planned: Planned, folder: Path, known: bool) -> None:
    """One entry's attachments, then the entry (in a thread: most of the time is the disk's fsync)."""
    for (_, name), (_, rel) in zip(planned.attachment_files, planned.page.attachments):
        target = planned.path.parent / name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, (folder / rel).read_bytes(), overwrite=False)
    moved = planned.old_file
    write_atomic(planned.path, planned.text, overwrite=known and not moved)
    if moved:  # numbered now that its org is known: the file takes its number's name
        moved.unlink()
        for old in (moved.parent / "files").glob(f"{moved.stem}-*"):  # its attachments, copied anew
            old.unlink()
        for parent in (moved.parent / "files", moved.parent):
            if parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()


def _map_key(planned: Planned) -> str:
    """What the mapping gave this entry: a change (the editor completed the map) updates the entry."""
    return _fingerprint(repr(sorted((k, str(v)) for k, v in planned.values.items())))


def _load_state(path: Path) -> dict:
    if not path.exists():
        return {}
    data = _read_yaml(path, STATE_FILE) or {}
    if not isinstance(data, dict) or not all(isinstance(v, dict) and "条目" in v for v in data.values()):
        raise MigrateError(f"{STATE_FILE} 已损坏（应为“旧网址: 条目、指纹……”）。它只由 xxgk migrate 写入："
                           "请用 git 恢复上一次提交的版本后重新运行。")
    return data


def _dump_state(state: dict) -> str:
    head = ("# xxgk migrate 的记录：旧网址 → 迁移写入的条目和当时内容的指纹。重新运行时据此只补充新页面，\n"
            "# 不改动编辑改过的条目。请勿手工修改。\n")
    return head + yaml.dump(state, Dumper=_DUMPER, allow_unicode=True, sort_keys=True, width=1000)


def page_url(entry_path: str) -> str:
    """The site path of an entry (use_directory_urls): docs/catalog/czj/2012/00001.md → /catalog/czj/2012/00001/."""
    rel = PurePosixPath(entry_path).relative_to("docs").with_suffix("")
    return f"/{rel.as_posix()}/"


def _redirects(state: dict, clashes: list | None = None) -> dict:
    """Old path -> new page. The mirror may hold several hosts: a path two of them use leads to the first
    (in address order) and the other is listed in `clashes`, as (old address, path)."""
    found = {}
    for url in sorted(state):
        info = state[url]
        if info.get("旧路径") and info.get("条目"):
            target = page_url(info["条目"])
            if found.setdefault(info["旧路径"], target) != target and clashes is not None:
                clashes.append((url, info["旧路径"]))
    return dict(sorted(found.items()))


def _dump_redirects(redirects: dict) -> str:
    head = ("# 旧网站地址 → 本门户页面，由 xxgk migrate 写入。生成网站时据此输出 nginx、Apache、_redirects\n"
            "# 跳转规则和旧地址上的静态跳转页。\n")
    return head + (yaml.dump(redirects, Dumper=_DUMPER, allow_unicode=True, sort_keys=True, width=1000)
                   if redirects else "{}\n")


def _pad(text: str, width: int) -> str:
    """`text` padded to `width` columns, a Chinese character taking two."""
    return text + " " * max(width - sum(2 if ord(c) > 0x2e80 else 1 for c in text), 1)


def _report(result: Result, wanted: dict, out, dry_run: bool, project) -> None:
    p = lambda text="": print(text, file=out)  # noqa: E731
    for planned in result.entries:
        rel = planned.path.relative_to(project.root).as_posix()
        problems = []
        if planned.gaps:
            problems.append(f"缺项：{'、'.join(planned.gaps)}")
        problems += [f"未能读取：{u}" for u in planned.unreadable]
        problems += [f"不一致：{c[0]} 信息框“{c[1]}”，{c[3]}“{c[2]}”" for c in planned.page.conflicts]
        problems += planned.findings
        if problems:
            p(f"{planned.page.rel} → {rel}：" + "；".join(problems))
    for rel, reason in result.skipped:
        p(f"{rel}：跳过，{reason}")
    for rel in result.kept_edited:
        p(f"{rel}：编辑已改动，旧网站上的变化未写入，请人工对照")
    for rel in result.deleted:
        p(f"{rel}：已被删除，未重新建立")
    for url, path in result.clashes:
        p(f"{url}：另一个主机上的页面也用旧地址 {path}，跳转只能指向其中一个（按网址排在前面的）；"
          "这个页面的旧地址请在 Web 服务器上按主机名另行配置跳转")
    p()
    p("迁移结果" + ("（试运行，未写入任何文件）" if dry_run else ""))
    rows = [("读取网页", result.read), ("新写入条目", len(result.written)), ("更新条目", len(result.updated)),
            ("未变（上次已迁移）", result.unchanged), ("编辑已改动、旧页面未变", len(result.edited_same)),
            ("编辑已改动、旧页面有变化，未覆盖", len(result.kept_edited)),
            ("跳过的网页", len(result.skipped))]
    for name, count in rows:
        p(f"  {_pad(name, 36)}{count:>7}")
    for reason, count in Counter(r.split("：")[0].split("（")[0] for _, r in result.skipped).most_common():
        p(f"    {_pad(reason, 34)}{count:>7}")
    total = len(result.entries)
    if total:
        p(f"  {_pad('字段', 36)}有值的条目（本次写入或更新的 {total} 个中）")
        for key in FIELDS:
            p(f"    {_pad(key, 34)}{result.field_counts[key]:>7}")
        drafts_with_gaps = sum(1 for e in result.entries if e.gaps or e.unreadable)
        p(f"  {_pad('有缺项的条目', 36)}{drafts_with_gaps:>7}")
    p("  用时：" + "，".join(f"{k} {v:.1f} 秒" for k, v in result.seconds.items()))
    todo = [f"{len(v)} 个{k}" for k, v in wanted.items() if v]
    if todo:
        p(f"还需对应：{'、'.join(todo)}，已列入 {MAP_FILE}，请补全后重新运行 xxgk migrate。")
    if result.written or result.updated:
        p("迁移的条目都是草稿：请核对正文，补全保密审查后删除“草稿: true”。")
