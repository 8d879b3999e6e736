"""`xxgk build` and `xxgk serve`: MkDocs' strict build and its preview server, every line in Chinese.

`mkdocs build` prefixes its lines with ERROR/WARNING/INFO and ends a failed build with
"Aborted with a BuildError!"; `mkdocs serve` talks of "Serving on" and "Detected file changes".
Editors run `make build` and `make serve`, so both run here, in process, with a log handler that
prints our plugin's lines as they are (they are Chinese already), translates MkDocs' usual lines,
and marks any other warning of MkDocs as such instead of leaving it unexplained.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import socket
import sys
from datetime import date
from pathlib import Path

# MkDocs 1.6's usual lines. An unlisted warning or error is still printed, marked as MkDocs' own;
# an unlisted information line (the macros plugin's start-up report, say) is left out.
_MKDOCS_LINES = [
    (r"Cleaning site directory", lambda m: "正在清空网站文件夹。"),
    (r"Building documentation to directory: (.*)", lambda m: "正在生成网站……"),
    (r"Documentation built in ([\d.]+) seconds", lambda m: f"网站已生成，用时 {m[1]} 秒。"),
    (r"Doc file '(.+?)' contains a link '(.+?)', but the target (?:'.+?' )?is not found among documentation files\.?.*",
     lambda m: f"错误 docs/{m[1]}：链接“{m[2]}”指向的文件不存在，请改正链接或补上该文件。"),
    (r"Doc file '(.+?)' contains a link '(.+?)', but the doc '(.+?)' does not contain an anchor '#(.+?)'\.?",
     lambda m: f"错误 docs/{m[1]}：链接“{m[2]}”指向的 docs/{m[3]} 中没有标题或锚点“{m[4]}”，请改正链接。"),
    (r"Doc file '(.+?)' contains an unrecognized relative link '(.+?)', it was left as is\.?.*",
     lambda m: f"错误 docs/{m[1]}：无法识别的相对链接“{m[2]}”，请写成指向 docs/ 中文件的相对路径。"),
    (r"Doc file '(.+?)' contains an absolute link '(.+?)', it was left as is\.?.*",
     lambda m: f"错误 docs/{m[1]}：链接“{m[2]}”以 / 开头，门户放在子路径下时会失效，请写成相对路径。"),
    (r"Building documentation\.\.\.", lambda m: "正在生成网站……"),
    (r"Serving on (\S+?)/?(?: and opening it in a browser)?", lambda m: f"预览地址：{m[1]}/ （按 Ctrl+C 停止预览）"),
    (r"Detected file changes", lambda m: "发现文件改动，正在重新生成……"),
    (r"Reloading browsers", lambda m: "已刷新浏览器中的页面。"),
    (r"Shutting down\.\.\.", lambda m: "预览已停止。"),
    (r"Aborted with a BuildError!", lambda m: "构建已停止，没有发布。"),
    (r"Aborted with a configuration error!", lambda m: "构建已停止：mkdocs.yml 的配置有误，请按上面的提示改正。"),
    (r"Aborted with (\d+) warnings? in strict mode!", lambda m: f"构建已停止：有 {m[1]} 个问题，请按上面的提示改正后重试。"),
    (r"Aborted with (.+) in strict mode!", lambda m: "构建已停止：有问题未解决，请按上面的提示改正后重试。"),
]
_LEVELS = {"ERROR": "错误", "CRITICAL": "错误", "WARNING": "警告"}


def chinese(line: str, level: str = "INFO") -> str | None:
    """A line of the build's log as an editor reads it; None for MkDocs' chatter."""
    if re.match(r"[\u3000-\u9fff\uff00-\uffef]", line):  # our plugin's lines start in Chinese
        return line
    clock, text = re.fullmatch(r"(\[\d\d:\d\d:\d\d\] )?(.*)", line.strip(), re.S).groups()  # the server's lines
    for pattern, translated in _MKDOCS_LINES:
        match = re.fullmatch(pattern, text, re.S)
        if match:
            return (clock or "") + translated(match)
    if level in ("INFO", "DEBUG"):
        return None
    return f"{_LEVELS.get(level, '错误')}（MkDocs 原文）：{line}"


class _ChineseHandler(logging.StreamHandler):
    def emit(self, record: logging.LogRecord) -> None:
        line = chinese(record.getMessage(), record.levelname)
        if line is not None:
            self.stream.write(line + "\n")
            self.flush()


@contextlib.contextmanager
def _chinese_log(root: Path):
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logger = logging.getLogger("mkdocs")
    handler = _ChineseHandler(sys.stderr)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    os.chdir(root)  # MkDocs and its plugins resolve some paths against the working folder
    try:
        yield
    finally:
        logger.removeHandler(handler)


def _mkdocs(root: Path, action, stopped: str) -> int:
    """action() with MkDocs' log in Chinese: 0, or 1 with a Chinese line when MkDocs stops."""
    from mkdocs.exceptions import Abort, ConfigurationError

    with _chinese_log(root):
        try:
            action()
        except Abort as stop:
            print(chinese(str(stop).strip(), "ERROR") or stopped, file=sys.stderr)
            return 1
        except ConfigurationError as error:
            print(f"错误 mkdocs.yml：{error}。请改正 mkdocs.yml 后重试。", file=sys.stderr)
            return 1
    return 0


def run(root: Path, today: date | None = None, site: Path | None = None) -> int:
    """Build root's site strictly (into `site`, default site/); 0 when built, 1 when stopped."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    def strict_build():
        overrides = {"site_dir": str(site.resolve())} if site else {}
        config = load_config(str(root / "mkdocs.yml"), strict=True, **overrides)
        if today is not None and "xxgk" in config.plugins:  # xxgk build --today: embargoes and deadlines
            config.plugins["xxgk"].config.today = today.isoformat()
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()

    return _mkdocs(root, strict_build, "构建已停止。")


def _free(address: str) -> None:
    """Raise OSError(EADDRINUSE) when another program (another preview, say) listens on address."""
    host, _, port = address.rpartition(":")
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does: TIME_WAIT is free
        probe.bind((host.strip("[]"), int(port)))


def serve(root: Path, address: str) -> int:
    """The editing preview (`make serve`) until Ctrl+C; 1 when it cannot start."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    def preview():
        _free(address)  # before the first build, which takes a while on a large catalog
        mkdocs_serve(str(root / "mkdocs.yml"), strict=True, dev_addr=address)

    try:
        return _mkdocs(root, preview, "预览已停止。")
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        print(f"错误：地址 {address} 已被占用：可能已有一个预览在运行。请先关闭它，"
              "或换一个端口，例如 ./xxgk serve --addr 127.0.0.1:8001。", file=sys.stderr)
        return 1
