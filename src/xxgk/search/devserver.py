"""A built site served on 127.0.0.1 and Debian's Chromium, for the browser tests and the benchmark.

Nothing here is used by the portal itself.
"""

from __future__ import annotations

import functools
import io
import gzip
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# What a web server's usual compression settings cover (Pagefind's own files are gzip already).
TEXT_TYPES = (".html", ".css", ".js", ".json", ".svg", ".xml")


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                      ".json": "application/json", ".pagefind": "application/octet-stream"}
    compress = False

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (self.compress and path.suffix in TEXT_TYPES and path.is_file()
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        if path.name == "index.html" and not self.path.split("?", 1)[0].endswith(("/", ".html")):
            return super().send_head()  # let the base class redirect to the slash URL
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(site: Path, *, compress: bool = False):
    """Serve `site` on a free port of 127.0.0.1; yields the base URL (ending in /).
    `compress`: gzip text files, as a production web server would."""
    handler = type("Handler", (_Handler,), {"compress": compress})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
