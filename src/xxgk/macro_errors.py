"""A wrong macro call in a page (`render_macros: true`) fails the build with a located Chinese
message instead of mkdocs-macros' English traceback.

With `on_error_fail: true`, mkdocs-macros logs the error with its traceback and calls exit();
the original exception is the context of that SystemExit. `install` wraps the plugin's render
so that the exit becomes a PluginError, and hides the traceback it logs.
"""

from __future__ import annotations

import inspect
import logging
import re
import traceback
from pathlib import Path

from jinja2 import TemplateSyntaxError, UndefinedError
from mkdocs.exceptions import PluginError

MACROS_LOG = "mkdocs.plugins.mkdocs_macros.util"  # where mkdocs-macros logs (its util.LOG)
_TRACEBACK_HEADINGS = ("_Macro Rendering Error_", "_Macro Syntax Error_")


class _HideTraceback(logging.Filter):
    def filter(self, record):
        return not any(h in record.getMessage() for h in _TRACEBACK_HEADINGS)


def install(macros) -> None:
    """Wrap the mkdocs-macros plugin instance `macros` (once)."""
    if getattr(macros.render, "xxgk_wrapped", False) or not macros.config.get("on_error_fail"):
        return
    original = macros.render

    def render(markdown: str, force_rendering: bool = False) -> str:
        try:
            return original(markdown, force_rendering)
        except SystemExit as exc:
            if exc.__context__ is None:
                raise
            raise PluginError(message(macros, markdown, exc.__context__)) from None

    render.xxgk_wrapped = True
    macros.render = render
    log = logging.getLogger(MACROS_LOG)
    if not any(isinstance(f, _HideTraceback) for f in log.filters):
        log.addFilter(_HideTraceback())


def message(macros, markdown: str, error: BaseException) -> str:
    page = macros.page
    where = f"docs/{page.file.src_uri}" if page.file.abs_src_path else f"生成的页面 {page.file.src_uri}"
    line = _template_line(error)
    if line is not None:
        line += _front_matter_lines(page, markdown)
        where += f":{line}"
    return f"{where} 宏调用有误：{_what(macros, error)}已停止构建。"


def _template_line(error: BaseException) -> int | None:
    if isinstance(error, TemplateSyntaxError):
        return error.lineno
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if frame.filename == "<template>"]
    return lines[-1] if lines else None


def _front_matter_lines(page, markdown: str) -> int:
    """The template is the page without its front matter: lines before it in the file."""
    try:
        source = Path(page.file.abs_src_path).read_text(encoding="utf-8-sig")
    except (OSError, TypeError, UnicodeDecodeError):
        return 0
    return max(0, len(source.splitlines()) - len(markdown.splitlines()))


def _what(macros, error: BaseException) -> str:
    if isinstance(error, ValueError):  # our macros' messages are Chinese already
        return f"{error}"
    if isinstance(error, TemplateSyntaxError):
        return "双花括号 {{ }} 或 {% %} 的写法有误（是否成对、引号是否闭合）。"
    if isinstance(error, UndefinedError):
        name = re.search(r"'([^']+)' is undefined", str(error))
        known = "、".join(sorted(getattr(macros, "macros", {}) or {}))
        return (f"没有名为“{name.group(1)}”的宏或变量。" if name else "用到了未定义的宏或变量。") + \
            (f"可用的宏：{known}。" if known else "")
    if isinstance(error, TypeError):
        match = re.search(r"(\w+)\(\) got an unexpected keyword argument '(\w+)'", str(error))
        if match:
            name, arg = match.groups()
            return f"宏 {name} 没有参数“{arg}”。{_params(macros, name)}"
        name = re.search(r"(\w+)\(\)", str(error))
        return f"宏 {name.group(1) if name else ''} 的参数个数或写法有误。{_params(macros, name.group(1)) if name else ''}"
    return f"生成该页内容时出错（{type(error).__name__}），请检查该行的宏名称和参数。"


def _params(macros, name: str) -> str:
    function = (getattr(macros, "macros", {}) or {}).get(name)
    if function is None:
        return ""
    try:
        names = list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return ""
    return f"可用参数：{'、'.join(names)}。" if names else "该宏不接受参数。"
