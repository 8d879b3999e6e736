"""Small HTML and Markdown builders for the generated portal pages.

Values from YAML go through `text` (HTML-escaped) or `md_text` (escaped for a Markdown
heading); everything else here takes markup that its caller has already made safe.
HTML blocks are emitted on one line each, so Markdown passes them through untouched.
"""

from __future__ import annotations

import re
import secrets
from html import escape

from ..site import relative_url


def text(value) -> str:
    return escape(str(value))


def md_text(value) -> str:
    """Plain text for a Markdown line (heading, paragraph): escaped HTML and Markdown syntax."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>&])", lambda m: "\\" + m[1] if m[1] not in "<>&" else escape(m[1]),
                  str(value))


def link(label: str, target: str, base: str, **attrs) -> str:
    """<a> from the page at site URL `base` to site URL `target`; `label` is plain text."""
    extra = "".join(f' {k.rstrip("_").replace("_", "-")}="{escape(str(v))}"' for k, v in attrs.items() if v is not None)
    return f'<a href="{escape(relative_url(target, base))}"{extra}>{escape(label)}</a>'


def table(headers: list[str], rows: list[list[str]], *, cls: str, label: str | None = None,
          row_headers: bool = False, attrs: str = "") -> str:
    """A data table; cells are markup. With `row_headers`, each row's first cell is a <th scope=row>.
    `attrs`: extra attributes of <table>, written by the caller."""
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    body = []
    for row in rows:
        # A cell that starts with <td is given whole (for its class or data-sort attributes).
        cells = [f'<th scope="row">{row[0]}</th>' if row_headers else _cell(row[0])] + [_cell(c) for c in row[1:]]
        body.append("<tr>" + "".join(cells) + "</tr>")
    # A labelled wrapper that takes focus, so a table wider than a phone scrolls by keyboard too.
    wrap = f' role="region" aria-label="{escape(label)}" tabindex="0"' if label else ""
    aria = f' aria-label="{escape(label)}"' if label else ""
    return (f'<div class="xxgk-table-wrap"{wrap}><table class="{cls}"{aria}{attrs}><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def _cell(markup: str) -> str:
    return markup if markup.startswith("<td") else f"<td>{markup}</td>"


def bullets(items: list[str], cls: str | None = None) -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def front_matter(*, hide: tuple[str, ...] = ("navigation",), meta: dict | None = None) -> str:
    """The settings block of a generated page: what the theme hides, and data for plugins."""
    lines = ["---"]
    if hide:
        lines += ["hide:"] + [f"  - {h}" for h in hide]
    for key, value in (meta or {}).items():
        lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n---\n\n"


def page(title: str, blocks: list[str], *, hide: tuple[str, ...] = ("navigation",), meta: dict | None = None) -> str:
    """Markdown of a generated page: front matter, the title as `# `, then blocks (Markdown
    lines or one-line HTML) separated by blank lines."""
    front = ["---"]
    if hide:
        front += ["hide:"] + [f"  - {h}" for h in hide]
    for key, value in (meta or {}).items():
        front.append(f"{key}: {value}")
    front.append("---")
    return "\n".join(front) + f"\n\n# {md_text(title)}\n\n" + "\n\n".join(b for b in blocks if b) + "\n"


def heading(level: int, title: str, anchor: str | None = None) -> str:
    """A Markdown heading (so it reaches the table of contents), with an explicit id when given."""
    return "#" * level + f" {md_text(title)}" + (f" {{#{anchor}}}" if anchor else "")


class RawHtml:
    """Keeps the HTML blocks of our generated pages out of Python-Markdown, which feeds raw HTML
    through html.parser twice (MkDocs' anchor scan, then its own block stash): the slowest part
    of building large listing pages. Each block (a paragraph that starts with "<") becomes a
    placeholder paragraph before conversion and comes back unchanged after it."""

    def __init__(self) -> None:
        self._blocks: dict[str, str] = {}
        self._prefix = f"xxgkraw{secrets.token_hex(4)}n"

    def keep(self, html: str) -> str:
        """The placeholder of one HTML block, to stand as a paragraph of its own."""
        key = f"{self._prefix}{len(self._blocks)}"
        self._blocks[key] = html
        return key

    def hold(self, markdown: str) -> str:
        """Every paragraph of `markdown` that starts with "<" replaced by its placeholder."""
        parts = re.split(r"(\n[ \t]*\n)", markdown)
        return "".join(self.keep(part) if part.startswith("<") else part for part in parts)

    def release(self, html: str) -> str:
        if self._prefix not in html:
            return html
        return re.sub(rf"<p>({self._prefix}\d+)</p>|{self._prefix}\d+",
                      lambda m: self._blocks.pop(m[1] or m[0]), html)
