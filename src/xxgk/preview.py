"""Fast preview under `mkdocs serve`: an edit to the body of catalog entries re-renders only
those pages instead of the whole site.

`mkdocs serve` rebuilds every page on every change (minutes for a district's catalog). When the
only files that changed are entries whose front matter is unchanged, nothing else on the site
can differ (listings, feeds and facets show front matter only), so re-rendering the entry pages
is exact. Anything else — front matter, new or deleted files, data/, templates, mkdocs.yml,
or a problem found in the entry — takes MkDocs' full rebuild, with its checks and messages.
The search index keeps the entry's previous text until the next full build.

A failed build must not leave the browser waiting: MkDocs' server holds every request until a build
succeeds. So a failure is caught here and, until the next successful build, every page request is
answered with a Chinese error page listing the problems (file:line field message); the page reloads
itself when a newer build is done (MkDocs' /livereload/ protocol).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from .templating import render

log = logging.getLogger("mkdocs.plugins.xxgk")

active: Preview | None = None  # the running `mkdocs serve`'s preview, set by the xxgk plugin


def snapshot(paths: Iterable[str]) -> dict[str, int]:
    """Modification time of every file under `paths` (files or folders)."""
    found: dict[str, int] = {}
    for path in paths:
        if os.path.isfile(path):
            found[path] = os.stat(path).st_mtime_ns
            continue
        for folder, _, names in os.walk(path):
            for name in names:
                full = os.path.join(folder, name)
                try:
                    found[full] = os.stat(full).st_mtime_ns
                except FileNotFoundError:  # deleted while we looked: the next change sees it
                    pass
    return found


class Preview:
    """Stands in for the builder of `mkdocs serve`. `refresh(paths)` is the latest build's way to
    re-render changed files; it returns False when it cannot, and the full build runs."""

    def __init__(self, full_build: Callable[[], None], watched: Iterable[str]):
        self.full_build = full_build
        self.watched = sorted({os.path.abspath(p) for p in watched})
        self.refresh: Callable[[list[Path]], bool] | None = None  # set by each full build
        self.problems: list | None = None  # the errors that stopped this build, set by the xxgk plugin
        self.error_page: bytes | None = None  # served for every page while the last build has failed
        self._seen = snapshot(self.watched)

    def __call__(self) -> None:
        start = time.monotonic()
        now = snapshot(self.watched)
        changed = sorted(p for p in now.keys() | self._seen.keys() if now.get(p) != self._seen.get(p))
        self._seen = now
        refresh = self.refresh
        if changed and refresh is not None and set(changed) <= self._seen.keys() and refresh([Path(p) for p in changed]):
            log.info(f"预览：已重新生成 {len(changed)} 个条目页面（{time.monotonic() - start:.2f} 秒）；"
                     "站内搜索在下次完整构建时更新。")
            return
        self.refresh = None
        self.problems = None
        try:
            self.full_build()
        except Exception as exc:  # noqa: BLE001 - any failure: show it in the browser, keep serving
            self.error_page = error_page(self.problems, exc)
            log.error("预览：网站没有生成，浏览器中显示错误页；改正并保存后自动刷新。")
        else:
            self.error_page = None
        self._seen = snapshot(self.watched)

    def wsgi(self, app):
        """The server's app, answering every page request with the error page while there is one."""
        def serve(environ, start_response):
            if environ.get("PATH_INFO", "").startswith("/livereload/"):
                return app(environ, start_response)
            page = self.error_page
            if page is not None:
                start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8"),
                                                             ("Content-Length", str(len(page))),
                                                             ("Cache-Control", "no-store")])
                return [page]
            return _with_livereload_allowed(app, environ, start_response)
        return serve


def _with_livereload_allowed(app, environ, start_response):
    """Our pages' Content-Security-Policy allows only the templates' own inline scripts, so it blocks
    the reload script MkDocs adds to every page it serves: the page would never reload. Its hash is
    added to the policy of the served page (only under `mkdocs serve`)."""
    answer: dict = {}

    def capture(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, headers
        return lambda data: None

    result = app(environ, capture)
    headers = answer["headers"]
    if not any(k.lower() == "content-type" and v.startswith("text/html") for k, v in headers):
        start_response(answer["status"], headers)
        return result
    try:
        body = b"".join(result)
    finally:
        getattr(result, "close", lambda: None)()
    start = body.rfind(b"<script>")  # MkDocs adds its script last, before </body>
    end = body.find(b"</script>", start)
    if start >= 0 and end > start and b"livereload(" in body[start:end]:
        digest = base64.b64encode(hashlib.sha256(body[start + len(b"<script>"):end]).digest())
        body = body.replace(b"script-src 'self'", b"script-src 'self' 'sha256-" + digest + b"'", 1)
    start_response(answer["status"], [(k, str(len(body)) if k.lower() == "content-length" else v)
                                      for k, v in headers])
    return [body]


def error_page(problems: list | None, exc: BaseException) -> bytes:
    """The Chinese error page: the located problems, or the failure's own message when it is ours
    (Chinese); MkDocs' and others' English messages stay in the terminal."""
    text = str(exc)
    ours = any("\u4e00" <= ch <= "\u9fff" for ch in text)
    reason = text if ours else "构建失败（例如严格模式下出现了警告）。详细提示见运行 make serve 的终端窗口。"
    html = render(None, "xxgk/preview-error.html", problems=problems or [], reason=reason)
    return html.encode("utf-8")
