"""Content is inert: what editors write (entry bodies, report narratives, hand-written pages) is never
a template and never runs a script.

No template engine reads what editors write: template syntax (`{{ … }}`, `{% … %}`) outside code is
refused with its line, since it would stand on the page as written. Two lines of defence against HTML. `raw_html_problems` refuses, with the line, the raw HTML that would run code or
leave the page (script, iframe, forms, event handlers, javascript:/data: links), so an editor learns
of it at `xxgk check`. `sanitize` then cleans every such page's HTML with an allowlist (nh3, the
binding of the Rust sanitiser ammonia), so whatever the check did not foresee is dropped anyway.
The allowlist stays in code, not in data/: data may be wrong or hostile, and widening it is a
security decision. The README lists it (安全).
"""

from __future__ import annotations

import bisect
import os
import re
import stat
import urllib.parse
from dataclasses import dataclass

import nh3
import re2

from .problems import Problems

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
TAGS = _HEADINGS | {
    "p", "br", "hr", "div", "span", "blockquote", "pre", "code", "kbd", "samp", "var",
    "strong", "b", "em", "i", "u", "s", "del", "ins", "sub", "sup", "mark", "small", "abbr", "q", "cite",
    "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    "a", "img", "figure", "figcaption", "details", "summary",
}
ATTRIBUTES = {
    "*": {"class", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "td": {"colspan", "rowspan", "style"},
    "ol": {"start", "type"},
    "col": {"span"},
    "colgroup": {"span"},
    "abbr": {"title"},
    **{h: {"id"} for h in _HEADINGS},  # the table of contents links to the headings' ids
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}  # and relative links; never javascript: or data:

_CLEANER = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags={"script", "style", "template", "iframe", "object", "embed", "noscript"},
    attributes=ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel=None,  # links open in the same tab (no target allowed), so rel adds nothing
    strip_comments=True,
    filter_style_properties={"text-align"},  # Markdown tables align their columns with it
)


def sanitize(html: str) -> str:
    """The HTML of an editor's page with everything outside the allowlist removed."""
    return _CLEANER.clean(html)


# Raw HTML that would run code, load another page or submit data: refused with its line.
_FORBIDDEN_TAG = re.compile(
    r"<\s*(script|iframe|frame|frameset|object|embed|applet|form|input|button|textarea|select|"
    r"style|link|meta|base|svg|math|template|noscript)\b", re.I)
# RE2 (linear time): with Python's re, a body of unclosed “<a ” took minutes to search.
_RE2 = re2.Options()
_RE2.log_errors = False
_HANDLER = re2.compile(r"(?is)<[a-z][^>]*?\son[a-z]+\s*=", _RE2)
_BAD_URL = re.compile(r"""(?:\b(?:href|src|action|formaction|data|poster|background)\s*=\s*["']?|\]\(\s*<?)\s*"""
                      r"(javascript|vbscript|data)\s*:", re.I)


def line_finder(text: str):
    """A function from a position in `text` to its 1-based line: counting the newlines before each of
    many matches from the start would take quadratic time."""
    starts = [match.end() for match in re.finditer("\n", text)]
    return lambda pos: bisect.bisect_right(starts, pos) + 1


def raw_html_problems(text: str) -> list[tuple[int, str]]:
    """(line within `text`, Chinese message) for each piece of raw HTML that is refused."""
    found = []
    line_of = line_finder(text)
    for match in _FORBIDDEN_TAG.finditer(text):
        tag = match.group(1).lower()
        found.append((line_of(match.start()), f"正文中不能使用 HTML 标签 <{tag}>：网站不执行正文中的脚本、框架、表单和样式。"
                                              "请删除该标签；需要附上文件的，请作为附件上传。"))
    for match in _HANDLER.finditer(text):
        found.append((line_of(match.start()), "正文中的 HTML 标签不能带事件属性（如 onclick、onerror）：请删除该属性。"))
    for match in _BAD_URL.finditer(text):
        found.append((line_of(match.start()), f"正文中的链接不能以“{match.group(1).lower()}:”开头：请改为 http(s) 网址或站内链接。"))
    return sorted(found)


_LINK_TARGETS = re2.compile(
    r"(?im)\]\(\s*<?([^)\s>]+)"  # [text](target) and ![alt](target)
    r"|^[ \t]{0,3}\[[^\]]+\]:[ \t]*<?([^\s>]+)"  # [label]: target
    r"|\b(?:src|href)[ \t]*=[ \t]*[\"']([^\"']+)",  # <img src="…">, <a href="…">
    _RE2)
_FENCE = re.compile(r"[ \t]{0,3}(```|~~~)")


def _blank_fences(text: str) -> str:
    """`text` with the contents of fenced code blocks blanked out, line numbers kept. One pass over
    the lines (a regular expression with a back-reference took quadratic time on unclosed fences)."""
    lines = text.split("\n")
    fence, start = None, 0
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is None and match:
            fence, start = match.group(1), index
        elif fence is not None and match and match.group(1) == fence and not line.strip(" \t")[3:]:
            for blanked in range(start, index + 1):
                lines[blanked] = " " * len(lines[blanked])
            fence = None
    return "\n".join(lines)


def local_links(text: str) -> list[tuple[int, str]]:
    """(line within `text`, target) of every link and image to a file of the site: relative targets,
    without #anchor and ?query, outside code blocks. Web addresses and anchors are left out."""
    blanked = _blank_fences(text)
    line_of = line_finder(blanked)
    found = []
    for match in _LINK_TARGETS.finditer(blanked):
        target = next(t for t in match.groups() if t)
        if re.match(r"[a-z][a-z0-9+.-]*:|//|#|/", target, re.I):
            continue
        path = urllib.parse.unquote(re.split(r"[#?]", target, maxsplit=1)[0])
        if path:
            found.append((line_of(match.start()), path))
    return found


def html_comment(text: str) -> str:
    """`text` as an HTML comment that it cannot end early: no “--” (which “-->” and “--!>” need)."""
    text = re.sub(r"-{2,}", lambda m: " ".join(m[0]), " ".join(text.split()))
    return f"<!-- {text} -->"


_SECOND_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def second_front_matter(body: str) -> bool:
    """True when a body begins with another `---` block: MkDocs would read it as page settings."""
    return _SECOND_FRONT_MATTER.match(body) is not None


@dataclass(frozen=True)
class BodyLimits:
    """How much one Markdown file may ask of the build (data/safety.yml 正文)."""
    max_bytes: int = 2 * 1024 * 1024
    max_line: int = 100_000  # characters
    render_seconds: float = 5.0  # CPU time to render one page's Markdown (a 2 MB table takes 3-4 s)


# Python-Markdown takes quadratic time on two constructs: for each unclosed “<tag” the HTML parser
# reads on to the next “>”, and for each “[” (or “](”) the link pattern reads on to its partner or
# the end of the paragraph. The cost is estimated in one pass as the characters those scans read,
# times the seconds per character measured on a 2-core CI runner (Python-Markdown 3.x, rounded up):
# 1.1–1.3e-7 s for tags (“<a ” × 4,000: 3.1 s), 6.6–7.1e-7 s for brackets (“[” × 4,000 on separate
# lines: 11 s). Everything else measured stays linear.
# A third, milder one: each inline match (emphasis, code, link, entity…) copies the rest of its
# paragraph, so a paragraph of m markers and n characters costs about m × n × 1e-10 s (“**a** ” × 20,000
# in one paragraph: 0.83 s; twice as long: four times that). Tables and lists are read cell by cell
# and item by item, so their lines count alone.
_TAG_SECONDS = 2e-7
_BRACKET_SECONDS = 1e-6
_INLINE_SECONDS = 3e-10
_INLINE_MARKERS = "*_`[<&"
_OWN_LINE = re.compile(r"[ \t]*(?:\||[-*+][ \t]|\d+[.)][ \t]|#)")
_TAG_START = re.compile(r"<[A-Za-z]")
_BRACKET_TOKEN = re.compile(r"\\[][()]|[][()]|\n[ \t]*(?=\n|\Z)")


def render_cost(text: str) -> tuple[float, int]:
    """(estimated seconds Python-Markdown needs for the slow constructs of `text`, position of the
    costliest one). Linear in `text`."""
    worst, worst_at = 0, 0
    closes = [match.start() for match in re.finditer(">", text)]
    tag_chars = 0
    for match in _TAG_START.finditer(text):
        at = match.start()
        index = bisect.bisect_left(closes, at)
        scanned = (closes[index] if index < len(closes) else len(text)) - at
        tag_chars += scanned
        if scanned * _TAG_SECONDS > worst:
            worst, worst_at = scanned * _TAG_SECONDS, at
    bracket_chars = 0
    brackets: list[int] = []  # open “[” of the current paragraph
    parens: list[tuple[int, bool]] = []  # open “(”, and whether it follows a “]” (a link's target)
    for match in _BRACKET_TOKEN.finditer(text + "\n"):
        token, at = match.group(), match.start()
        scanned = 0
        if token == "[":
            brackets.append(at)
        elif token == "]" and brackets:
            scanned = at - brackets.pop()
        elif token == "(":
            parens.append((at, at > 0 and text[at - 1] == "]"))
        elif token == ")" and parens:
            start, link = parens.pop()
            scanned = at - start if link else 0
        elif token.startswith("\n"):  # a blank line ends the paragraph: what is open is read to here
            scanned = sum(at - start for start in brackets) + sum(at - start for start, link in parens if link)
            if brackets or parens:
                start = min(brackets + [p for p, _ in parens])
                if scanned * _BRACKET_SECONDS > worst:
                    worst, worst_at = scanned * _BRACKET_SECONDS, start
                bracket_chars += scanned
                brackets, parens = [], []
            continue
        bracket_chars += scanned
        if scanned * _BRACKET_SECONDS > worst:
            worst, worst_at = scanned * _BRACKET_SECONDS, at - scanned
    inline, inline_at = _paragraph_cost(text)
    if inline * _INLINE_SECONDS > worst:
        worst_at = inline_at
    return tag_chars * _TAG_SECONDS + bracket_chars * _BRACKET_SECONDS + inline * _INLINE_SECONDS, worst_at


def _paragraph_cost(text: str) -> tuple[int, int]:
    """(Σ markers × characters over the paragraphs of `text`, position of the costliest paragraph)."""
    total, worst, worst_at = 0, 0, 0
    markers = length = start = position = 0
    for line in text.split("\n") + [""]:
        if not line.strip() or _OWN_LINE.match(line):  # the paragraph so far ends here
            cost = markers * length
            total += cost
            if cost > worst:
                worst, worst_at = cost, start
            markers = length = 0
            start = position + len(line) + 1  # the next paragraph starts on the next line
            if line.strip():  # a table row or list item: a unit of its own
                cost = sum(line.count(c) for c in _INLINE_MARKERS) * len(line)
                total += cost
                if cost > worst:
                    worst, worst_at = cost, position
        else:
            markers += sum(line.count(c) for c in _INLINE_MARKERS)
            length += len(line) + 1
        position += len(line) + 1
    return total, worst_at


def _too_large(size: int, limits: BodyLimits) -> str:
    return (f"文件有 {size / 1024 / 1024:.1f} MB，超过 {limits.max_bytes / 1024 / 1024:g} MB 的上限"
            "（data/safety.yml 的“正文.最大兆字节”）。请把大段数据作为附件上传，或把内容拆成几条。")


def file_too_large(path, limits: BodyLimits) -> str | None:
    """Why the Markdown file at `path` is not even read (its size, before reading it), or None."""
    try:
        info = os.lstat(path)  # never through a link: the reader refuses those
    except OSError:
        return None  # the reader reports it
    return _too_large(info.st_size, limits) if stat.S_ISREG(info.st_mode) and info.st_size > limits.max_bytes else None


# Python-Markdown reads each level of a nested list with a recursive call: about 400 levels exhaust
# Python's stack (RecursionError), and the work grows with the square of the depth before that.
MAX_LIST_DEPTH = 50
_LIST_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d+[.)])[ \t]", re.M)


def _deepest_list_item(text: str) -> tuple[int, int]:
    """(depth of the most deeply indented list item, 4 columns a level as Markdown counts; position of
    the first item deeper than MAX_LIST_DEPTH)."""
    depth, at = 0, 0
    for match in _LIST_ITEM.finditer(text):
        level = len(match.group(1).expandtabs(4)) // 4
        if level > MAX_LIST_DEPTH >= depth:
            at = match.start()
        depth = max(depth, level)
    return depth, at


def limit_problems(text: str, limits: BodyLimits) -> list[tuple[int, str]]:
    """(line within `text`, Chinese message) for a Markdown text that asks too much of the build:
    too large, a line too long, or constructs that would take Python-Markdown past its time budget."""
    size = len(text.encode("utf-8"))
    if size > limits.max_bytes:
        return [(1, _too_large(size, limits))]
    found = []
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > limits.max_line:
            found.append((number, f"这一行有 {len(line)} 个字符，超过 {limits.max_line} 个字符的上限"
                                  "（data/safety.yml 的“正文.单行最大字符数”）。请分段，或把数据作为附件上传。"))
            break  # one is enough: the others are found once this one is fixed
    depth, at = _deepest_list_item(text)
    if depth > MAX_LIST_DEPTH:
        found.append((line_finder(text)(at), f"列表嵌套了 {depth} 层，超过 {MAX_LIST_DEPTH} 层的上限，网页无法生成。"
                                              "请减少这一行的缩进（每 4 个空格为一层）。"))
    seconds, at = render_cost(text)
    if seconds > limits.render_seconds:
        found.append((line_finder(text)(at), "从这一行起有大量没有配对的“<”或“[”（或嵌套很深的方括号），"
                      f"生成网页估计需要 {seconds:.0f} 秒，超过 {limits.render_seconds:g} 秒的时限"
                      "（data/safety.yml 的“正文.渲染时限秒”）。请删除多余的“<”“[”，"
                      "或把它们写成全角“＜”“［”；表格数据请作为附件上传。"))
    return found


# Template syntax (Jinja's delimiters); `{#id}` at the end of a heading is Markdown (attr_list), not a comment.
_TEMPLATE_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}|\{#(?![\w-]+(?:[ \t][^}\n]*)?\}[ \t]*$)|(?<!\{)#\}", re.M)
_BACKTICKS = re.compile(r"`+")


def _blank_code_spans(text: str) -> str:
    """`text` with its code spans (`…`, ``…``) blanked out, line numbers kept. A span opens with a run
    of backticks and closes at the next run of the same length; runs are paired in one pass (a
    regular expression with a back-reference takes quadratic time on unpaired backticks)."""
    runs: dict[int, list[int]] = {}
    for match in _BACKTICKS.finditer(text):
        runs.setdefault(len(match[0]), []).append(match.start())
    spans, used = [], {}
    for match in _BACKTICKS.finditer(text):
        start, size = match.start(), len(match[0])
        if start < used.get("until", 0):
            continue  # inside a span already paired
        positions = runs[size]
        index = bisect.bisect_right(positions, start)
        if index < len(positions):
            end = positions[index] + size
            spans.append((start, end))
            used["until"] = end
    if not spans:
        return text
    out, position = [], 0
    for start, end in spans:
        out += [text[position:start], re.sub(r"[^\n]", " ", text[start:end])]
        position = end
    return "".join(out) + text[position:]


def template_syntax(text: str) -> list[tuple[int, str]]:
    """(line within `text`, the delimiter) of template syntax outside code: no template engine reads it,
    so it would stand on the page as written (xxgk.pagecheck refuses that in the built site)."""
    outside_code = _blank_code_spans(_blank_fences(text))
    line_of = line_finder(outside_code)
    found = []
    for match in _TEMPLATE_SYNTAX.finditer(outside_code):
        line = line_of(match.start())
        if not found or found[-1][0] != line:  # once per line
            found.append((line, match[0]))
    return found


def check_markdown(text: str, file: str, first_line: int, problems: Problems,
                   limits: BodyLimits = BodyLimits(), *, placeholders: bool = False) -> None:
    """An editor's Markdown (from line `first_line` of `file`) is content: no second settings block,
    no raw HTML that runs code, no template syntax outside code, and no more work for the build than
    `limits` allow. No template engine reads it: `{{ … }}` would be shown as written, so it is refused
    unless the editor writes it as code. `placeholders`: the text has its own `{{ … }}` placeholders,
    filled before rendering (report narratives)."""
    too_much = limit_problems(text, limits)
    for line, message in too_much:
        problems.error(file, first_line + line - 1, "正文", message)
    if not placeholders:
        for line, delimiter in template_syntax(text):
            problems.error(file, first_line + line - 1, None,
                           f"“{delimiter}”是模板写法，网站不执行模板，它会原样显示在网页上。如果是旧版首页的宏调用"
                           "（如 {{ catalog_table() }}），请删除这一行：首页的搜索框、最新公开和年度报告由网站自动生成；"
                           "确需显示这些符号的，请用反引号 ` 把它们括起来（显示为代码）。")
    if second_front_matter(text):
        problems.error(file, first_line + text[: len(text) - len(text.lstrip())].count("\n"), None,
                       "正文开头又有一段由“---”包围的内容。字段只能写在文件开头的第一段 --- 之间，"
                       "正文中的这一段不会被当作设置：请把其中的字段移到开头，或删除这一段。")
    for line, message in raw_html_problems(text):
        problems.error(file, first_line + line - 1, None, message)


# GB/T 9704 附件说明: “附件：名称”, or “附件：1.名称” with “2.名称” … on the lines below it.
_ATTACHMENT_NOTE = re.compile(r"^附\s*件\s*[：:]\s*(.*)$")
_NUMBERED_NAME = re.compile(r"^\d{1,2}\s*[.．、]\s*(.+)$")


def _plain_line(line: str) -> str:
    return re.sub(r"[\s\u3000]+", "", line.replace("\\", "").replace("**", ""))


def named_attachments(body: str) -> list[tuple[int, str]]:
    """(line within `body`, name) of each 附件 named in the body's 附件说明. A name that the body
    repeats further down (the 附件 set out after the signature) is part of the body, not a file."""
    lines = [_plain_line(line) for line in body.splitlines()]
    found = []
    for number, text in enumerate(lines):
        match = _ATTACHMENT_NOTE.match(text)
        if not match:
            continue
        names = []
        first = _NUMBERED_NAME.match(match.group(1))
        if match.group(1):
            names.append((number, (first.group(1) if first else match.group(1))))
        for below in range(number + 1, min(number + 40, len(lines))):
            if not lines[below]:
                continue
            item = _NUMBERED_NAME.match(lines[below])
            if not item or len(item.group(1)) > 60 or "。" in item.group(1):
                break
            names.append((below, item.group(1)))
        for line, name in names:
            name = name.strip("。；;，,")
            if name and name.strip("《》") not in {text.strip("《》") for text in lines[line + 1:]}:
                found.append((line + 1, name))
    return found
