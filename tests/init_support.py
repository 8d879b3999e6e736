"""Shared by the init, import and newcomer tests: a district's input file, and reading a built site."""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

DISTRICT_YAML = """\
区名: 东城区
网址: https://xxgk.dongcheng.example.cn/
主办: 东城区人民政府办公室
主管机构:
  标识: qzf
  名称: 东城区人民政府
  简称: 区政府
  机构代码: "11010100X"
  公开指南:
    工作机构: 东城区人民政府办公室（政务公开科）
    地址: 东城区正义路1号
    邮编: "100010"
    电话: 010-65000001
    办公时间: 工作日上午9:00—12:00，下午14:00—17:30（法定节假日除外）
机构:
  - 标识: swj
    名称: 东城区商务局
    简称: 区商务局
    机构代码: "110101036"
    公开指南:
      工作机构: 东城区商务局办公室
      地址: 东城区正义路2号
      邮编: "100010"
      电话: 010-65000236
      办公时间: 工作日上午9:00—12:00，下午14:00—17:30（法定节假日除外）
"""


def xxgk(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """xxgk as an editor runs it, in the portal's folder."""
    return subprocess.run([sys.executable, "-m", "xxgk.cli", *args], cwd=cwd, capture_output=True, text=True)


def site_texts(site: Path):
    """(path, text) of every file of a built site: gzip unpacked, percent-escapes and \\u escapes decoded."""
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        text = data.decode("utf-8", errors="ignore")
        text = unquote(text)
        text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
        yield path, text


# English an editor may see in our messages: command names, options, file types, standards.
_ALLOWED = {"xxgk", "check", "import", "init", "new", "make", "serve", "build", "docx", "true", "PNG", "JPEG", "GB",
            "org", "category", "replace", "demo", "from", "out", "Word", "WPS", "PDF", "pdf", "YAML", "yml", "data",
            "orgs", "vocab", "safety", "portal", "mkdocs", "docs", "index", "catalog", "files", "site", "name",
            "description", "copyright", "Atom", "strict", "INFO", "WARNING", "Makefile", "Git"}


def english_words(output: str) -> set[str]:
    """Words of English in a command's output, besides paths, addresses and the allowed names."""
    output = re.sub(r"\./xxgk(?: [A-Za-z0-9_./\\-]+)*", " ", output)  # a command to run: ./xxgk report new swj 2025
    output = re.sub(r"\S*[/\\.]\S*", " ", output)  # paths, file names, addresses
    return {w for w in re.findall(r"[A-Za-z]{3,}", output) if w not in _ALLOWED}
