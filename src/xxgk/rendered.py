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
import lxml.html
import markdown

from . import safety
from .content import sanitize

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
_SPACES = re.compile(r"[\t\r\n\f]+")


def visible_text(markup: str, document: bool = False) -> str:
    """The text of HTML as the browser shows it: inline elements joined (no space where the source
    had a tag or a comment), block elements on lines of their own, then each attribute value a
    visitor can read on a line of its own (URLs decoded)."""
    if not markup.strip():
        return ""
    try:
        root = (lxml.html.document_fromstring(markup) if document
                else lxml.html.fragment_fromstring(markup, create_parent="div"))
    except (lxml.etree.ParserError, ValueError):
        return ""
    out: list[str] = []
    values: list[str] = []
    pre = 0
    walker = lxml.etree.iterwalk(root, events=("start", "end"))
    for event, elem in walker:
        tag = elem.tag if isinstance(elem.tag, str) else None
        if event == "start":
            if tag is None:  # a comment or processing instruction: invisible, its tail is not
                walker.skip_subtree()
                continue
            if tag in _HIDDEN:
                walker.skip_subtree()
                continue
            if tag in _BLOCKS:
                out.append("\n")
            pre += tag == "pre"
            for name, value in elem.attrib.items():
                if name in _ATTRIBUTES or name.startswith("data-pagefind"):
                    values.append(unquote(value) if name in _URLS else value)
            if elem.text:
                out.append(elem.text if pre else _SPACES.sub(" ", elem.text))
            continue
        if tag == "pre":
            pre -= 1
        if tag in _BLOCKS:
            out.append("\n")
        if elem.tail and elem is not root:
            out.append(elem.tail if pre else _SPACES.sub(" ", elem.tail))
    values = [_SPACES.sub(" ", v) for v in values if any(c.isdigit() for c in v) or "&" in v]
    return "".join(out) + ("\n" + "\n".join(values) if values else "")


_MAIN = re.compile(r"<main\b.*?</main\s*>", re.S | re.I)
_HEAD = re.compile(r"<head\b.*?</head\s*>", re.S | re.I)


def page_text(output: str) -> str:
    """Visible text of a page the build writes: its head (title, descriptions) and its main part.
    The rest (header, navigation, footer) is the same on every page and comes from mkdocs.yml and
    data/, which are scanned as sources (xxgk.sources); reading it on each of 10,000 pages would
    cost more than the rest of the scan. A page without <main> is read whole."""
    main = _MAIN.search(output)
    if not main:
        return visible_text(output, document=True)
    head = _HEAD.search(output, 0, main.start())
    return visible_text((head.group(0) if head else "") + "<body>" + main.group(0) + "</body>", document=True)


# Markup that vanishes from the rendered text when it sits next to a digit. A body without any (most
# are) renders with its digits just as the source has them, so the source scan has seen them all.
_MARKUP_NEXT_TO_DIGIT = re.compile(r"\d[ \t]*(?:[*_`~<>\[\](){}\\%&]|\n[ \t]*\d)|[*_`~<>\[\](){}\\;][ \t]*\d")


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


def locate(source: str, value: str) -> int:
    """0-based line of `source` where the digits of `value` begin, whatever separates them there;
    0 when they cannot be found in order (an entity or a split that hides a digit)."""
    plain = safety.normalise(source)
    positions = [i for i, c in enumerate(plain) if c.isdigit() or c in "Xx"]
    digits = "".join(plain[i] for i in positions).upper()
    for size in (len(value), 11, 8, 6):
        at = digits.find(value[:size])
        if at >= 0:
            return plain.count("\n", 0, positions[at])
    return 0


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
            screen.report(finding, file, first_line + locate(text, finding.value), field, _HOW)
