"""What the visitor reads: the visible text and the attribute values of a rendered page, for the
personal-data scan (xxgk.safety).

Markup can split a number in the source that the page shows whole: emphasis (440306**19850315**1234),
<span>s, HTML comments, a link per group, a line break inside a paragraph. So an editor's Markdown is
also scanned as it is rendered, by the Markdown pipeline of the site's mkdocs.yml and the sanitiser
(`xxgk check` and the build alike, through load_project), and the build scans the main part and the
head of every page it writes (xxgk.mkdocs_plugin), whatever made it.
"""

from __future__ import annotations

import copy
import functools
import re
from pathlib import Path
from urllib.parse import unquote

import lxml.etree
import markdown

from . import safety
from .content import sanitize
from .problems import Problem, Problems

# Elements that the browser shows on lines of their own: their text never joins the text around them.
_BLOCKS = frozenset(
    "address article aside blockquote body br caption dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 head header hr html li main nav ol option p pre section summary table "
    "tbody td tfoot th thead title tr ul img input select textarea button label".split())
_HIDDEN = frozenset({"script", "style", "template", "noscript", "svg", "math"})
# Attributes whose values a visitor reads, hears or follows (a tel: link dials its number).
_ATTRIBUTES = frozenset({"alt", "title", "href", "src", "content", "aria-label", "aria-description", "placeholder",
                         "value", "label", "download", "cite", "action", "poster", "srcset", "abbr", "summary"})
_URLS = frozenset({"href", "src", "action", "cite", "poster", "srcset"})


def visible_text(markup: str, document: bool = False) -> str:
    """The text of HTML as the browser shows it: inline elements joined (no space where the source
    had a tag or a comment), block elements on lines of their own, then each attribute value a
    visitor can read on a line of its own (URLs decoded). The walk is lxml's, in C: a page of the
    build costs a fraction of a millisecond."""
    if not markup.strip():
        return ""
    try:
        root = lxml.etree.fromstring(markup if document else f"<div>{markup}</div>", _PARSER)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        return ""
    if root is None:
        return ""
    lxml.etree.strip_elements(root, *_HIDDEN, with_tail=False)
    for elem in root.iter(*_BLOCKS):  # a line break around each block, marked so that it survives below
        elem.tail = _BREAK + (elem.tail or "")
        elem.text = _BREAK + (elem.text or "")
    # Line breaks in the source are spaces on the page (the scanner takes any run of spaces as one separator).
    text = _spaced(lxml.etree.tostring(root, method="text", encoding="unicode")).replace(_BREAK, "\n")
    values = [_spaced(unquote(value) if name in _URLS else value)
              for element in root.iter(lxml.etree.Element) if element.attrib for name, value in element.items()
              if (name in _ATTRIBUTES or name.startswith("data-pagefind")) and _DIGIT.search(value)]
    return text + ("\n" + "\n".join(values) if values else "")


_PARSER = lxml.etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
_BREAK = "\u2029"
_DIGIT = re.compile(r"\d|&")


def _spaced(text: str) -> str:
    """Tabs and line breaks as the browser shows them: spaces (str.replace is ten times faster than translate)."""
    return text.replace("\n", " ").replace("\t", " ").replace("\r", " ").replace("\f", " ")


def page_text(output: str) -> str:
    """Visible text of a page the build writes: its head (title, descriptions) and its main part.
    The rest (header, navigation, footer) is the same on every page and comes from mkdocs.yml and
    data/, which are scanned as sources (xxgk.sources); reading it on each of 10,000 pages would
    cost more than the rest of the scan. A page without <main> is read whole."""
    start, end = output.find("<main"), output.rfind("</main>")
    if start < 0 or end < start:
        return visible_text(output, document=True)
    head_start, head_end = output.find("<head"), output.find("</head>")
    head = output[head_start:head_end + 7] if 0 <= head_start < head_end < start else ""
    return visible_text(head + "<body>" + output[start:end + 7] + "</body>", document=True)


# Markup that vanishes from the rendered text when it sits next to a digit. A body without any (most
# are) renders with its digits just as the source has them, so the source scan has seen them all.
# A percent sign counts only as URL encoding (tel:138%201234), not as in “增长12%”.
_MARKUP_NEXT_TO_DIGIT = re.compile(
    r"\d[ \t]*(?:[*_`~<>\[\](){}\\&]|%[0-9A-Fa-f]{2}|\n[ \t]*\d)|[*_`~<>\[\](){}\\;][ \t]*\d")


def may_hide_numbers(text: str) -> bool:
    return bool(_MARKUP_NEXT_TO_DIGIT.search(text))


@functools.lru_cache(maxsize=4)
def _pipeline(root: Path) -> tuple[tuple, dict]:
    """The Markdown extensions and their settings of the site's mkdocs.yml, as MkDocs reads them
    (with MkDocs' own built-ins); only the built-ins when mkdocs.yml cannot be read (the build reports it)."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.utils import yaml_load

    option = copy.copy(dict(MkDocsConfig._schema)["markdown_extensions"])
    try:
        with open(root / "mkdocs.yml", encoding="utf-8") as file:
            settings = yaml_load(file) or {}
        extensions = option.validate(settings.get("markdown_extensions") or [])
        return tuple(extensions), option.configdata
    except Exception:  # noqa: BLE001 — any mistake in mkdocs.yml is the build's to report
        return tuple(option.validate([])), {}


@functools.lru_cache(maxsize=4)
def _converter(root: Path) -> markdown.Markdown:
    extensions, configs = _pipeline(root)
    return markdown.Markdown(extensions=list(extensions), extension_configs=configs)


def render(text: str, root: Path) -> str:
    """An editor's Markdown as the site renders it: the site's Markdown pipeline, then the sanitiser."""
    converter = _converter(root)
    try:
        return sanitize(converter.convert(text))
    finally:
        converter.reset()


def locate(source: str, value: str) -> int | None:
    """0-based line of `source` where the digits of `value` begin, whatever separates them there;
    None when they cannot be found in order (an entity or a split that hides a digit)."""
    plain = safety.normalise(source)
    positions = [i for i, c in enumerate(plain) if c.isdigit() or c in "Xx"]
    digits = "".join(plain[i] for i in positions).upper()
    for size in (len(value), 11, 8, 6):
        at = digits.find(value[:size])
        if at >= 0:
            return plain.count("\n", 0, positions[at])
    return None


_HOW = "（源文件中被标记、注释或空格拆开，网页上显示为完整号码）"


def check_markdown(text: str, root: Path, file: str, first_line: int, field: str | None,
                   screen: safety.Screen) -> None:
    """Scan `text` (Markdown from line `first_line` of `file`) as its page shows it; what the source
    scan already reported (or the screen lets pass) is not reported twice."""
    if not may_hide_numbers(text):
        return
    found = [f for f in safety.scan(visible_text(render(text, root)), screen.rules, markings=False)
             if f.value not in screen.allowed]
    if not found:
        return
    known = {f.value for f in safety.scan(text, screen.rules, markings=False)}
    for finding in found:
        if finding.value not in known:
            known.add(finding.value)
            screen.report(finding, file, first_line + (locate(text, finding.value) or 0), field, _HOW)


def page_findings(output: str, rules: safety.Rules) -> list[safety.Finding]:
    """What the scan finds in a page the build writes, before the allowed values are taken out: the
    same for the same page whatever the other entries' waivers (a page's verdict in the build cache)."""
    return safety.scan(page_text(output), rules, markings=False)


class PageScan:
    """The build's scan of every page it writes (head and main part), for what no source scan saw:
    numbers that templates or generated pages put together. Official numbers and every entry's
    waived values pass (a waived title also shows on the listing pages)."""

    def __init__(self, project):
        ref = project.ref
        self.allowed = set(ref.public_numbers).union(*(e.waived for e in project.catalog.entries))
        self.rules = ref.safety_rules
        self.entries = {e.src_uri: e for e in project.catalog.entries}
        self.root = project.root
        self.problems = Problems()
        self._seen: set[tuple] = set()

    def check(self, output: str, src_uri: str, url: str) -> list[Problem]:
        """New problems of the page `url` (made from docs/`src_uri`)."""
        return self.report(page_findings(output, self.rules), src_uri, url)

    def report(self, findings: list[safety.Finding], src_uri: str, url: str) -> list[Problem]:
        """The findings of the page `url` (made from docs/`src_uri`) that are new problems."""
        new = []
        for finding in findings:
            if finding.value in self.allowed:
                continue
            file, line = self._place(src_uri, finding.value)
            if (file, finding.value) in self._seen:
                continue
            self._seen.add((file, finding.value))
            self.problems.error(file, line, None, f"构建出的网页 /{url} 上有疑似{finding.kind}“{finding.masked}”"
                                "（由模板或生成页面拼合，源文件中不是一个完整号码）。公开信息不得包含个人信息："
                                "请删除或隐去，确属误报的在“隐私豁免”中写明理由。")
            new.append(self.problems[-1])
        return new

    def _place(self, src_uri: str, value: str) -> tuple[str, int | None]:
        entry = self.entries.get(src_uri)
        path = self.root / (entry.file if entry else f"docs/{src_uri}")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeError):
            return f"docs/{src_uri}（生成页面，内容来自 data/ 或模板）", None
        line = locate(text, value)
        return path.relative_to(self.root).as_posix(), None if line is None else line + 1
