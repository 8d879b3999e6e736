"""Security headers for a static site, as <meta> tags in every page.

A static host may not let us set HTTP headers, so each page carries its own
Content-Security-Policy. The templates' few inline scripts (Material's storage scope and
palette restore, the tab anchor fix) are allowed by their SHA-256 hash, computed per page
because they embed the page's relative base URL. Only the templates' part of a page is hashed:
the page's content (an editor's Markdown turned into HTML) is cut out first, so a script there —
which the sanitiser removes anyway — would still not run.
The README documents the same policy as server headers (plus what meta tags cannot set).
"""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
_EXECUTABLE = re.compile(r"""type\s*=\s*["']?(?:text/javascript|module)|^(?!.*\btype\s*=)""", re.S)

# 'wasm-unsafe-eval': the search (Pagefind) runs WebAssembly; it cannot run arbitrary script text.
# style-src 'unsafe-inline': the theme and search UI set inline styles; styles cannot run code.
POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)
REFERRER = "strict-origin-when-cross-origin"

# A web address from data/ (网址, the Git host's 网址 and 接口) goes into policies and links: http(s),
# a host name or address, a port, a plain path. No space, “;”, “,” or quote, which would end the
# source in a policy and start a directive of the writer's choosing; no user name, query or fragment.
_WEB_ADDRESS = re.compile(
    r"https?://(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?"
    r"(?:/[A-Za-z0-9._~%/-]*)?")


def web_address(url: str) -> bool:
    """Whether `url` is a plain http(s) address that may go into a header or an attribute."""
    return isinstance(url, str) and _WEB_ADDRESS.fullmatch(url) is not None


def inline_script_hashes(html: str) -> list[str]:
    hashes = []
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs")
        if "src=" in attrs or not _EXECUTABLE.search(attrs):
            continue  # external file, or data such as type="application/json"
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(set(hashes))


def policy_for(html: str) -> str:
    return POLICY.format(hashes=" ".join(inline_script_hashes(html))).replace("  ", " ")


def add_security_meta(html: str, content: str | None = None) -> str:
    """Insert the CSP and referrer policy as the first children of <head>. `content`: the page's
    content HTML as it stands in `html`; its scripts are not allowed."""
    templates_only = html.replace(content, "") if content else html
    meta = (f'<meta http-equiv="Content-Security-Policy" content="{policy_for(templates_only)}">'
            f'<meta name="referrer" content="{REFERRER}">')
    return re.sub(r"<head>", "<head>" + meta, html, count=1)
