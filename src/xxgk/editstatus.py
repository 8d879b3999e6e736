"""Is web editing (网页编辑 in data/portal.yml) switched on in this portal? Asked by the Makefile:

    python -m xxgk.editstatus          exit 0 when on, 1 when off: install Decap CMS with npm only when on
    python -m xxgk.editstatus --edit   the same; when off, says in Chinese why `make edit` stops and how to switch it on
"""

from __future__ import annotations

import sys
from pathlib import Path

from .problems import Problems
from .webedit import load_settings

OFF = """\
错误：本门户没有开启网页编辑（data/portal.yml 中“网页编辑”的“启用”不是 true），make edit 没有可打开的编辑页面。
开启方法：在 data/portal.yml 的“网页编辑”下写“启用: true”，并写明“后端”的类型和仓库（见 README“网页编辑”），然后再运行 make edit。
不开启时，直接编辑 docs/catalog/ 中的条目文件，用 make serve 预览。"""


def enabled(root: Path) -> bool:
    # A wrong 网页编辑 setting is reported, with its line, by `xxgk check` and the build, not here.
    return load_settings(root, Problems()).enabled


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if enabled(Path.cwd()):
        return 0
    if "--edit" in args:
        print(OFF, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
