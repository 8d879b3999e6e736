"""The old portal's addresses keep working: data/redirects.yml (written by `xxgk migrate`) becomes, in the
built site, an nginx `map` include, an Apache .htaccess, a _redirects file (Netlify, Cloudflare Pages and
the like) and, for hosts that serve static files only, a small redirect page at each old path.

Only redirects whose new page exists in the built site are written (a draft has no page yet); an old
path that is already a page of the new site is never overwritten.
"""
from __future__ import annotations

import html
import re
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlsplit

import yaml

from .yamlio import write_atomic

REDIRECTS_FILE = "data/redirects.yml"
NGINX_FILE = "redirects.nginx.conf"
MAX_REDIRECTS = 200_000
_BAD = re.compile(r"[\x00-\x20\x7f\"'<>\\`{}|^]")  # spaces, quotes, control characters: never in a rule


class RedirectError(Exception):
    """A line of data/redirects.yml that cannot become a rule, in Chinese."""


def load(root: Path) -> dict[str, str]:
    path = root / REDIRECTS_FILE
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise RedirectError(f"{REDIRECTS_FILE} 不是有效的 YAML：{exc}") from None
    if not isinstance(data, dict):
        raise RedirectError(f"{REDIRECTS_FILE} 应写成“旧地址: 新页面”，每行一个。")
    if len(data) > MAX_REDIRECTS:
        raise RedirectError(f"{REDIRECTS_FILE} 有 {len(data)} 条跳转，超过 {MAX_REDIRECTS} 条的上限。")
    found = {}
    for old, new in data.items():
        old, new = str(old), str(new)
        for value in (old, new):
            parts = PurePosixPath(value).parts
            if not value.startswith("/") or value.startswith("//") or ".." in parts or _BAD.search(value):
                raise RedirectError(f"{REDIRECTS_FILE}：“{old}: {new}”不可用：地址应以 / 开头，"
                                    "不含空格、引号和“..”。")
        found[old] = new
    return found


def _page_of(site: Path, target: str) -> Path:
    rel = target.lstrip("/")
    return site / rel / "index.html" if target.endswith("/") else site / rel


def _static_path(site: Path, old: str) -> Path:
    rel = old.lstrip("/")
    return site / rel if PurePosixPath(rel).suffix else site / rel / "index.html"


def _page(new: str) -> str:
    link = html.escape(new, quote=True)
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">\n"
            f"<meta http-equiv=\"refresh\" content=\"0; url={link}\">\n<link rel=\"canonical\" href=\"{link}\">\n"
            "<meta name=\"robots\" content=\"noindex\">\n<title>页面已迁移</title>\n</head>\n<body>\n"
            f"<p>本页已迁移到新网站：<a href=\"{link}\">{link}</a></p>\n</body>\n</html>\n")


def old_path(url: str) -> str | None:
    """The path on the old server of an entry's 原网址 (http://host/path, or host/path as wget saved it)."""
    parts = urlsplit(url if "//" in url else f"//{url}")
    return parts.path or None


def emit(root: Path, site: Path, site_url: str | None, entries: dict | None = None) -> tuple[int, int]:
    """Write the redirect files into the built `site`. `entries`: 原网址 → page URL of the published
    entries that have one; they win over data/redirects.yml, so an entry renamed (xxgk assign) or moved
    since it was migrated is still found. Returns (written, waiting for their page)."""
    redirects = load(root)
    for url, page in (entries or {}).items():
        path = old_path(url)
        if path and path.startswith("/") and not _BAD.search(path) and ".." not in PurePosixPath(path).parts:
            redirects[path] = page
    if not redirects:
        return 0, 0
    base = urlsplit(site_url or "").path.rstrip("/")
    rules, waiting = [], 0
    for old, new in redirects.items():
        if not _page_of(site, new).is_file():
            waiting += 1  # a draft: its page comes when it is published
            continue
        rules.append((quote(old, safe="/%:@!$&()*+,;=-._~"), quote(base + new, safe="/%:@!$&()*+,;=-._~"), old))
    redirect_lines = "".join(f"{old} {new} 301\n" for old, new, _ in rules)
    write_atomic(site / "_redirects", redirect_lines, overwrite=True)
    # mod_alias compares the %-decoded path: the old path as written.
    write_atomic(site / ".htaccess", "# 旧网站地址的跳转（xxgk migrate）\n" +
                 "".join(f"Redirect 301 {plain} {new}\n" for _, new, plain in rules), overwrite=True)
    # nginx matches $uri decoded: the keys are the paths as written, quoted.
    write_atomic(site / NGINX_FILE,
                 "# 放在 http { } 中：include …/redirects.nginx.conf;\n"
                 "# 在 server { } 中：if ($xxgk_redirect) { return 301 $xxgk_redirect; }\n"
                 "map $uri $xxgk_redirect {\n    default \"\";\n" +
                 "".join(f"    \"{plain}\" \"{new}\";\n" for _, new, plain in rules) + "}\n", overwrite=True)
    for old, new, plain in rules:
        target = _static_path(site, plain)
        if target.exists():
            continue  # a page of the new site has that address: it stays
        write_atomic(target, _page(new), overwrite=False)
    return len(rules), waiting
