"""The HTML that mammoth makes of a Word document, as Markdown: headings, paragraphs, lists, tables,
images, bold and italic. A tree is built with the stdlib parser (never regular expressions on HTML);
anything else keeps its text and loses its markup."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_VOID = {"br", "img", "hr", "col"}
_ESCAPE = re.compile(r"([\\`*_\[\]<>|])")
_LIST_START = re.compile(r"^(\s*)(\d+)([.)])(\s)")  # “1. ” at a line start would become a list
_BLOCK_START = re.compile(r"^([#+=-])")  # a heading, a list item or a setext underline


@dataclass
class Node:
    tag: str
    attrs: dict = field(default_factory=dict)
    children: list = field(default_factory=list)  # Node or str


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):  # close up to the matching open tag, if any
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def decode(data: bytes) -> str:
    """A saved web page's text: UTF-8, or GB18030 (a superset of GB2312 and GBK) as older portals write it."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def text_of(node) -> str:
    if isinstance(node, str):
        return node
    return "".join(text_of(child) for child in node.children)


def escape(text: str) -> str:
    text = _ESCAPE.sub(r"\\\1", text)
    return _LIST_START.sub(r"\1\2\\\3\4", text)


def _inline(node, in_table: bool = False) -> str:
    if isinstance(node, str):
        return escape(re.sub(r"\s+", " ", node))
    inner = "".join(_inline(child, in_table) for child in node.children)
    tag = node.tag
    if tag == "br":
        return " " if in_table else "  \n"
    if tag == "img":
        src = node.attrs.get("src") or ""
        return f"![{escape(node.attrs.get('alt') or '')}]({src})" if src else ""
    if tag in ("strong", "b") and inner.strip():
        return f"**{inner.strip()}**"
    if tag in ("em", "i") and inner.strip():
        return f"*{inner.strip()}*"
    if tag == "a":
        href = node.attrs.get("href") or ""
        return f"[{inner}]({href})" if href.startswith(("http://", "https://")) and inner.strip() else inner
    if tag in ("p", "li", "td", "th") and in_table:
        return inner.strip() + " "
    return inner


@dataclass
class Block:
    text: str  # plain text, to recognise the 公文's own lines (title, 文号…)
    markdown: str
    kind: str  # heading | paragraph | list | table


def _list(node: Node, depth: int) -> list[str]:
    lines = []
    number = 1
    for child in node.children:
        if not isinstance(child, Node) or child.tag != "li":
            continue
        marker = f"{number}." if node.tag == "ol" else "-"
        number += 1
        text = "".join(_inline(c) for c in child.children if not (isinstance(c, Node) and c.tag in ("ol", "ul")))
        lines.append("    " * depth + f"{marker} {text.strip()}")
        for nested in child.children:
            if isinstance(nested, Node) and nested.tag in ("ol", "ul"):
                lines += _list(nested, depth + 1)
    return lines


def _rows(node: Node) -> list[Node]:
    rows = []
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == "tr":
                rows.append(child)
            elif child.tag in ("thead", "tbody", "tfoot"):
                rows += _rows(child)
    return rows


def _table(node: Node) -> str:
    rows = [[_inline(cell, in_table=True).strip() for cell in row.children
             if isinstance(cell, Node) and cell.tag in ("td", "th")] for row in _rows(node)]
    rows = [row for row in rows if row]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


_CONTAINERS = {"div", "section", "article", "main", "center", "body"}
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "section", "article", "center",
               "blockquote"}


def _flattened(nodes: list):
    """The blocks in order, through the containers that hold them (a web page's div.Section0 and the like);
    mammoth's HTML has none and passes as it is."""
    for node in nodes:
        if isinstance(node, Node) and node.tag in _CONTAINERS and any(
                isinstance(child, Node) and child.tag in _BLOCK_TAGS for child in node.children):
            yield from _flattened(node.children)
        else:
            yield node


def blocks(html: str) -> list[Block]:
    """The blocks of mammoth's HTML (or of a web page's article) as Markdown."""
    found: list[Block] = []
    for node in _flattened(parse(html).children):
        if isinstance(node, str):
            if node.strip():
                found.append(Block(node.strip(), escape(node.strip()), "paragraph"))
            continue
        text = re.sub(r"\s+", " ", text_of(node)).strip()
        if node.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            inner = _inline(node).strip()
            if inner:
                found.append(Block(text, "#" * int(node.tag[1]) + " " + inner, "heading"))
        elif node.tag in ("ol", "ul"):
            found.append(Block(text, "\n".join(_list(node, 0)), "list"))
        elif node.tag == "table":
            markdown = _table(node)
            if markdown:
                found.append(Block(text, markdown, "table"))
        else:
            inner = _BLOCK_START.sub(r"\\\1", _inline(node).strip())
            if inner:
                found.append(Block(text, inner, "paragraph"))
    return found
