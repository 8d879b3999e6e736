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

import re
import urllib.parse

import nh3

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
_HANDLER = re.compile(r"<[a-z][^>]*?\son[a-z]+\s*=", re.I | re.S)
_BAD_URL = re.compile(r"""(?:\b(?:href|src|action|formaction|data|poster|background)\s*=\s*["']?|\]\(\s*<?)\s*"""
                      r"(javascript|vbscript|data)\s*:", re.I)


def raw_html_problems(text: str) -> list[tuple[int, str]]:
    """(line within `text`, Chinese message) for each piece of raw HTML that is refused."""
    found = []
    line_of = lambda pos: text.count("\n", 0, pos) + 1  # noqa: E731
    for match in _FORBIDDEN_TAG.finditer(text):
        tag = match.group(1).lower()
        found.append((line_of(match.start()), f"正文中不能使用 HTML 标签 <{tag}>：网站不执行正文中的脚本、框架、表单和样式。"
                                              "请删除该标签；需要附上文件的，请作为附件上传。"))
    for match in _HANDLER.finditer(text):
        found.append((line_of(match.start()), "正文中的 HTML 标签不能带事件属性（如 onclick、onerror）：请删除该属性。"))
    for match in _BAD_URL.finditer(text):
        found.append((line_of(match.start()), f"正文中的链接不能以“{match.group(1).lower()}:”开头：请改为 http(s) 网址或站内链接。"))
    return sorted(found)


_LINK_TARGETS = re.compile(
    r"\]\(\s*<?([^)\s>]+)"  # [text](target) and ![alt](target)
    r"|^[ \t]{0,3}\[[^\]]+\]:[ \t]*<?([^\s>]+)"  # [label]: target
    r"|\b(?:src|href)[ \t]*=[ \t]*[\"']([^\"']+)",  # <img src="…">, <a href="…">
    re.M | re.I)
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~).*?^[ \t]{0,3}\1[ \t]*$", re.M | re.S)


def local_links(text: str) -> list[tuple[int, str]]:
    """(line within `text`, target) of every link and image to a file of the site: relative targets,
    without #anchor and ?query, outside code blocks. Web addresses and anchors are left out."""
    blanked = _FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), text)  # keep the line numbers
    found = []
    for match in _LINK_TARGETS.finditer(blanked):
        target = next(t for t in match.groups() if t)
        if re.match(r"[a-z][a-z0-9+.-]*:|//|#|/", target, re.I):
            continue
        path = urllib.parse.unquote(re.split(r"[#?]", target, maxsplit=1)[0])
        if path:
            found.append((blanked.count("\n", 0, match.start()) + 1, path))
    return found


_SECOND_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def second_front_matter(body: str) -> bool:
    """True when a body begins with another `---` block: MkDocs would read it as page settings."""
    return _SECOND_FRONT_MATTER.match(body) is not None


# Template syntax (Jinja's delimiters); `{#id}` at the end of a heading is Markdown (attr_list), not a comment.
_TEMPLATE_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}|\{#(?![\w-]+(?:[ \t][^}\n]*)?\}[ \t]*$)|(?<!\{)#\}", re.M)
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)


def template_syntax(text: str) -> list[tuple[int, str]]:
    """(line within `text`, the delimiter) of template syntax outside code: no template engine reads it,
    so it would stand on the page as written (xxgk.pagecheck refuses that in the built site)."""
    blank = lambda m: re.sub(r"[^\n]", " ", m[0])  # noqa: E731  (keeps the line numbers)
    outside_code = _CODE_SPAN.sub(blank, _FENCE.sub(blank, text))
    found = []
    for match in _TEMPLATE_SYNTAX.finditer(outside_code):
        line = outside_code.count("\n", 0, match.start()) + 1
        if not found or found[-1][0] != line:  # once per line
            found.append((line, match[0]))
    return found


def check_markdown(text: str, file: str, first_line: int, problems: Problems, *, placeholders: bool = False) -> None:
    """An editor's Markdown (from line `first_line` of `file`) is content: no second settings block,
    no raw HTML that runs code, no template syntax outside code. No template engine reads it: `{{ … }}`
    would be shown as written, so it is refused unless the editor writes it as code. `placeholders`:
    the text has its own `{{ … }}` placeholders, filled before rendering (report narratives)."""
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
