"""Every command of the README's editor section (编辑的日常工作), run as written through ./xxgk on a copy
of the project: each exits as documented and says everything in Chinese (issue 13, part 6)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys

from conftest import ROOT, front_matter, make_project

ENGLISH = re.compile(r"\b(usage|options|positional|error|errors|warning|traceback|required|invalid|arguments|"
                     r"unrecognized|expected|exception|command not found)\b", re.I)


def editor_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## 编辑的日常工作", 1)[1].split("\n## ", 1)[0]
    return [code for code in re.findall(r"`([^`]+)`", section) if code.startswith("./xxgk ")]


def _with_wrapper(root):
    """The project's ./xxgk wrapper, and a .venv whose xxgk runs the code under test."""
    shutil.copy2(ROOT / "xxgk", root / "xxgk")
    venv_bin = root / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "xxgk").write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -m xxgk.cli \"$@\"\n", encoding="utf-8")
    (venv_bin / "xxgk").chmod(0o755)
    (root / ".venv" / ".installed").touch()


def test_the_readme_commands_run_as_documented_in_chinese(tmp_path):
    commands = editor_commands()
    assert len(commands) >= 6 and any(c.startswith("./xxgk new ") for c in commands), commands
    root = make_project(tmp_path, {"swj/2025/草稿.md": front_matter(索引号=None, 保密审查=None, 草稿="true",
                                                                    成文日期="2025-03-01", 发布日期="2025-03-05")})
    _with_wrapper(root)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    for command in commands:
        result = subprocess.run(["sh", "-c", command], cwd=root, env=env, capture_output=True, text=True)
        output = result.stdout + result.stderr
        assert result.returncode == 0, (command, output)
        assert not ENGLISH.search(output), (command, ENGLISH.search(output), output)
        assert re.search(r"[\u4e00-\u9fff]", output), (command, output)
    # What the commands promised: a policy draft, the hand-written draft under its serial, a report.
    assert (root / "docs/catalog/swj/2025/00001.md").exists() and not (root / "docs/catalog/swj/2025/草稿.md").exists()
    assert (root / "data/reports/swj/2025.yml").exists()
