"""What generated pages need besides their templates (xxgk.templating): the settings block in
front of a page's Markdown, the escaping of text for a Markdown line, and RawHtml, which keeps
our HTML blocks out of Python-Markdown and out of the sanitiser of editors' pages.
"""

from __future__ import annotations

import re
import secrets
from html import escape


def md_text(value) -> str:
    """Plain text for a Markdown line (heading, paragraph): escaped HTML and Markdown syntax."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>&])", lambda m: "\\" + m[1] if m[1] not in "<>&" else escape(m[1]),
                  str(value))


def front_matter(*, hide: tuple[str, ...] = ("navigation",), meta: dict | None = None) -> str:
    """The settings block of a generated page: what the theme hides, and data for plugins."""
    lines = ["---"]
    if hide:
        lines += ["hide:"] + [f"  - {h}" for h in hide]
    for key, value in (meta or {}).items():
        lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n---\n\n"


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

    def expanded(self, text: str) -> str:
        """`text` with its placeholders replaced by their blocks, which stay kept: what a page is made of."""
        if self._prefix not in text:
            return text
        return re.sub(rf"{self._prefix}\d+", lambda m: self._blocks[m[0]], text)

    def release(self, html: str) -> str:
        if self._prefix not in html:
            return html
        return re.sub(rf"<p>({self._prefix}\d+)</p>|{self._prefix}\d+",
                      lambda m: self._blocks.pop(m[1] or m[0]), html)
