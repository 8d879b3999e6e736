"""Import real public government documents and compare what `xxgk import` finds with their facts.

    .venv/bin/python bench/real_gongwen.py FOLDER

Every .docx and .pdf in FOLDER is imported, one by one, into a temporary copy of the project (the
real `xxgk import`, with --org of the demo's first organisation so that an issuer outside
data/orgs.yml is no refusal). Printed per file: the title, 文号, 成文日期 and issuer found, or the
Chinese refusal; the body's length; and, for a file whose SHA-256 is in bench/real-gongwen.yml,
whether each fact matches. The originals are not in the repository (tests/data/README.md).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import make_project  # noqa: E402
from xxgk import wordimport

FACTS = ROOT / "bench" / "real-gongwen.yml"
FIELDS = ("标题", "文号", "成文日期", "发文机关")


def found_facts(source: Path) -> dict:
    """What the importer reads from the file, through the same functions as `xxgk import`."""
    kind = wordimport.check_file(source, 50 * 1024 * 1024)
    doc = wordimport.read_docx(source) if kind == "docx" else wordimport.read_pdf(source)
    layout = doc.layout
    return {"标题": layout.title, "文号": layout.doc_no, "成文日期": layout.written.isoformat() if layout.written else "",
            "发文机关": layout.issuer, "正文字数": len(doc.body)}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("用法：python bench/real_gongwen.py 文件夹", file=sys.stderr)
        return 2
    facts = yaml.safe_load(FACTS.read_text(encoding="utf-8")) or {}
    files = wordimport.collect([Path(argv[0])])
    matched = compared = 0
    with tempfile.TemporaryDirectory(prefix="real_gongwen_") as temp:
        root = make_project(Path(temp))  # the tests' throw-away copy of the project
        org = yaml.safe_load((root / "data/orgs.yml").read_text(encoding="utf-8"))[0]["标识"]
        for source in files:
            digest = hashlib.sha256(source.read_bytes()).hexdigest()
            print(f"== {source.name}  sha256 {digest[:16]}…")
            result = subprocess.run([sys.executable, "-m", "xxgk.cli", "--root", str(root), "import", "--org", org,
                                     str(source)], capture_output=True, text=True, cwd=root, check=False)
            if result.returncode != 0:
                print(f"   未导入：{result.stderr.strip()}")
                continue
            found = found_facts(source)
            expected = facts.get(digest)
            for name in FIELDS:
                mark = ""
                if expected is not None:
                    ok = str(expected.get(name) or "") == found[name]
                    matched, compared = matched + ok, compared + 1
                    mark = "  ✓" if ok else f"  ✗ 应为“{expected.get(name) or '（无）'}”"
                print(f"   {name}：{found[name] or '（无）'}{mark}")
            print(f"   正文：{found['正文字数']} 字符")
            if expected is None:
                print("   （bench/real-gongwen.yml 中没有这个文件的事实）")
            elif expected.get("说明"):
                print(f"   说明：{expected['说明']}")
    print(f"\n{len(files)} 个文件，{matched}/{compared} 项与记录的事实一致。")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
