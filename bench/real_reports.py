"""Real published annual reports against our hand transcriptions (issue #15).

    python bench/real_reports.py FOLDER_OF_ORIGINALS

The originals are not in the repository (see bench/real-reports/README.md); each transcription
bench/real-reports/<name>.expected.json is matched to its original in FOLDER by the SHA-256 given
in that README, or else by a file name starting with <name>. Each original is imported with the
real importer and every transcribed cell compared. A cell is
  一致    the importer read the transcribed value;
  未读取  the importer left it “未读取” (honestly not read; “原文没有” when the transcription says
          the original does not publish the cell in the official layout);
  错误    the importer read a value other than the original's.
It also prints the format, year and organ read from the title (compared with the transcription's)
and the lines found for each narrative section (一、五、六). Exit status 1 when a cell is wrong,
the title is misread or an original is missing.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from xxgk.problems import Problems  # noqa: E402
from xxgk.reports import transcription  # noqa: E402
from xxgk.reports.formats import load_formats  # noqa: E402
from xxgk.reports.importer import import_file  # noqa: E402
from xxgk.reports.model import UNREAD  # noqa: E402
from xxgk.reports.published import SUFFIXES, SourceError  # noqa: E402
from xxgk.reports.words import load_words  # noqa: E402

BENCH = ROOT / "bench" / "real-reports"


def checksums() -> dict[str, str]:
    """name -> SHA-256, from the table in README.md."""
    text = (BENCH / "README.md").read_text(encoding="utf-8")
    return {m[1]: m[2] for m in re.finditer(r"^\| (\S+) \|.*`([0-9a-f]{64})` \|$", text, re.M)}


def find_originals(folder: Path, names: list[str]) -> dict[str, Path]:
    sums = checksums()
    by_sum = {hashlib.sha256(p.read_bytes()).hexdigest(): p
              for p in sorted(folder.iterdir()) if p.is_file() and p.suffix.lower() in SUFFIXES}
    found = {}
    for name in names:
        path = by_sum.get(sums.get(name, ""))
        if path is None:
            path = next((p for p in by_sum.values() if p.name.startswith(name)), None)
        if path is not None:
            found[name] = path
    return found


def where(cell: transcription.CellResult) -> str:
    return " ".join(str(x) for x in cell.where)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print(__doc__.strip().splitlines()[2].strip())
        return 2
    problems = Problems()
    formats, words = load_formats(ROOT, problems), load_words(ROOT, problems)
    names = sorted(p.name.removesuffix(".expected.json") for p in BENCH.glob("*.expected.json"))
    originals = find_originals(Path(argv[0]), names)
    sums = checksums()
    totals = {"报告": 0, "单元格": 0, "一致": 0, "未读取": 0, "原文没有": 0, "错误": 0, "问题": 0, "缺原件": 0,
              "标题不一致": 0, "正文缺部分": 0}
    for name in names:
        expected = json.loads((BENCH / f"{name}.expected.json").read_text(encoding="utf-8"))
        print(f"== {name}：{expected['机构']} {expected['年度']} 年（{expected['格式']} 年格式）")
        path = originals.get(name)
        if path is None:
            print(f"   没有找到原件（SHA-256 {sums.get(name, '未登记')}），跳过。")
            totals["缺原件"] += 1
            continue
        same = hashlib.sha256(path.read_bytes()).hexdigest() == sums.get(name)
        print(f"   原件：{path.name}（SHA-256 {'与 README 一致' if same else '与 README 不同：按文件名找到'}）")
        try:
            imported = import_file(path, path.name, formats, words)
        except SourceError as exc:
            print(f"   无法导入：{exc}")
            totals["缺原件"] += 1
            continue
        meta = [(k, expected[k], v) for k, v in (("格式", imported.fmt.id), ("年度", imported.year), ("机构", imported.agency))]
        for key, want, got in meta:
            print(f"   {key}：{got}" + ("" if want == got else f"（转录为 {want}，不一致）"))
            totals["标题不一致"] += want != got
        parts = [(s.title, len(imported.sections.get(s.title) or [])) for s in imported.fmt.narrative_sections]
        print(f"   正文：前言 {len(imported.preamble)} 段，" + "，".join(f"{t} {n} 段" for t, n in parts))
        totals["正文缺部分"] += sum(n == 0 for _, n in parts)
        cells = transcription.compare(imported, expected)
        matched = [c for c in cells if c.got == c.expected and c.got != UNREAD]
        unread = [c for c in cells if c.got == UNREAD]
        absent = [c for c in unread if c.expected == UNREAD]
        wrong = [c for c in cells if c.got != c.expected and c.got != UNREAD]
        print(f"   单元格 {len(cells)}：一致 {len(matched)}，未读取 {len(unread)}（其中原文没有 {len(absent)}），错误 {len(wrong)}")
        for c in wrong:
            print(f"     错误 {where(c)}：原文 {c.expected!r}，导入 {c.got!r}")
        for c in unread:
            if c.expected != UNREAD:
                print(f"     未读取 {where(c)}：原文 {c.expected!r}")
        said = list(imported.problems)
        print(f"   导入程序报告的问题 {len(said)} 条（错误 {len(imported.problems.errors)}，警告 {len(imported.problems.warnings)}）：")
        for p in said:
            print(f"     {'错误' if p.is_error else '警告'} {p.message}")
        totals["报告"] += 1
        totals["单元格"] += len(cells)
        totals["一致"] += len(matched)
        totals["未读取"] += len(unread)
        totals["原文没有"] += len(absent)
        totals["错误"] += len(wrong)
        totals["问题"] += len(said)
    print(f"== 合计：{totals['报告']} 份报告，单元格 {totals['单元格']}：一致 {totals['一致']}，"
          f"未读取 {totals['未读取']}（其中原文没有 {totals['原文没有']}），错误 {totals['错误']}；"
          f"导入程序报告的问题 {totals['问题']} 条；格式、年度、机构与转录不一致 {totals['标题不一致']} 处；"
          f"正文缺少的部分 {totals['正文缺部分']} 个；缺原件 {totals['缺原件']} 份")
    return 1 if totals["错误"] or totals["缺原件"] or totals["标题不一致"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
