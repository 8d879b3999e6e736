"""The built pages as the visitor receives them: every HTML page of the site is read once after the
build, and what a template or Markdown failed to turn into a page stops the build with its place.

Four faults that each feature's own tests did not see (issue 20):
- template residue in the visible text: `{{ }}`, `{% %}`, `{# #}`, and a heading's `{#id}` shown as text;
- Markdown that was not converted: `**`, `](`, a line that starts with `# `;
- a heading that holds a table or a list (a template ate the blank line after the heading);
- an empty section: a heading followed directly by the next heading of the same or a higher level.

Text inside <code>, <pre>, <kbd> and <samp> is not checked: it is meant to be shown as written (an
editor who wants to show braces writes them as code: xxgk.content), and so are scripts and styles.
Plain Python over lxml; one parse per page, linear in the size of the site.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .problems import ERROR, Problem

SKIPPED = {"code", "pre", "kbd", "samp", "script", "style", "template", "noscript", "textarea"}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_RESIDUE = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_MARKDOWN = re.compile(r"\*\*|\]\(|^[ \t]*#{1,6}[ \t]", re.M)
_BLOCKS_IN_HEADING = ".//table|.//ul|.//ol|.//dl"
# lxml.html's parser, without its Python class lookup for each element (the check needs none of its methods).
_PARSER = etree.HTMLParser()
_TEXTS = etree.XPath("descendant::text()", smart_strings=False)


@dataclass(frozen=True)
class Finding:
    page: str  # path of the HTML file inside the site
    message: str  # Chinese: what is wrong, with the text where it is

    def __str__(self) -> str:
        return f"{self.page} {self.message}"


def check_html(html: str | bytes, page: str) -> list[Finding]:
    """The faults of one built page."""
    if not html.strip():
        return []
    root = etree.fromstring(html, _PARSER)
    body = root.find("body") if root is not None else None
    if body is None:
        return []
    found: list[Finding] = []
    headings = _heading_faults(body, page)  # before _visible_text, which empties skipped elements' text
    seen: set[tuple[str, str]] = set()  # a heading's text also stands in the table of contents: once is enough
    texts = _visible_text(body)
    # Most pages have none of the marks: one search over all texts joined by line breaks decides (no
    # match of either pattern holds a line break, and after one `^` matches as at a text's start;
    # texts of spaces alone hold none either). Only then are the blank ones left out.
    joined = "\n".join(texts)
    texts = [t for t in texts if t.strip()] if _RESIDUE.search(joined) or _MARKDOWN.search(joined) else ()
    for text in texts:
        for pattern, what in ((_RESIDUE, "模板符号"), (_MARKDOWN, "未转换的 Markdown 符号")):
            match = pattern.search(text)
            if match and (text, what) not in seen:
                seen.add((text, what))
                found.append(Finding(page, f"中出现{what}“{match[0].strip()}”：{_around(text, match)}。"
                                           "这些符号应当已被转换，却原样显示在网页上。"))
    return found + headings


def _heading_faults(body, page: str) -> list[Finding]:
    found: list[Finding] = []
    for heading in body.iter(*HEADINGS):
        if heading.xpath(_BLOCKS_IN_HEADING):
            found.append(Finding(page, f"的标题“{_short(heading)}”中含有表格或列表：标题后少了空行（模板的 {{#- 或 {{%- 会吃掉空行）。"))
        following = heading.getnext()
        while following is not None and not isinstance(following.tag, str):  # comments, processing instructions
            following = following.getnext()
        if (following is not None and following.tag in HEADINGS
                and HEADINGS[following.tag] <= HEADINGS[heading.tag] and not (heading.tail or "").strip()):
            found.append(Finding(page, f"的标题“{_short(heading)}”下没有内容，紧接着就是标题“{_short(following)}”。"))
    return found


def site_pages(site: Path) -> list[str]:
    """The path in `site` of every .html file there (one walk of the site, shared by the check and the
    sitemap: at 10,000 pages each walk costs about half a second)."""
    top, pages = os.path.normpath(site), []
    for folder, _, names in os.walk(top):
        prefix = folder[len(top) + 1:].replace(os.sep, "/") + "/" if folder != top else ""  # not relpath: 10,000 calls
        pages += [prefix + name for name in names if name.endswith(".html")]
    return pages


def check_site(site: Path, sources: dict[str, str] | None = None, known: dict[str, list[str]] | None = None,
               pages: list[str] | None = None) -> list[Problem]:
    """Every .html file under `site` (or `pages`, its site_pages), in a stable order, as located errors.
    `sources` names, by page path, the file the page was made from: the message is filed under it, so
    that the editor or the maintainer knows what to fix; other pages are filed under their path in the
    site. `known`: the findings' messages of pages checked already (as written, by check_html), not
    read again."""
    sources, known = sources or {}, known or {}
    problems: list[Problem] = []
    for page in sorted(site_pages(site) if pages is None else pages):
        messages = known[page] if page in known else [f.message for f in check_html((site / page).read_bytes(), page)]
        for message in messages:
            problems.append(Problem(ERROR, sources.get(page, "生成的网站"), None, None, f"网页 {page} {message}"))
    return problems


def _visible_text(body) -> list[str]:
    """The text nodes of `body` in document order (blank ones included), without the text of skipped
    elements (their tails count, and so does the text of elements inside them). One XPath call, in
    C, with no Python object per element: the skipped elements' own text is emptied first, so `body`
    is changed."""
    for element in body.iter(*SKIPPED):
        element.text = None
    return _TEXTS(body)


def _around(text: str, match: re.Match) -> str:
    start, end = max(0, match.start() - 20), min(len(text), match.end() + 20)
    return "“" + " ".join(text[start:end].split()) + "”"


def _short(element, limit: int = 30) -> str:
    text = " ".join(etree.tostring(element, method="text", encoding="unicode").split())
    return text if len(text) <= limit else text[:limit] + "…"
