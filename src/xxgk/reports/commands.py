"""`xxgk report import` and `xxgk report check FOLDER|published file`: the command side of
importer.py and review.py (xxgk.cli parses the arguments and calls these)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ..problems import Problems
from ..reference import load_reference
from ..yamlio import write_atomic
from .formats import load_formats
from .importer import import_file
from .model import REPORTS_DIR, narrative_path, report_path
from .published import SUFFIXES, SourceError
from .review import SUMMARY_NAME, report_files, review, rule_ids, summary_csv, summary_html, summary_rows
from .words import load_words


def is_published_file(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def _print(problems: Problems) -> None:
    for problem in problems.sorted():
        print(problem)


def _safe_name(text: str) -> str:
    """An organ's name as a folder name: no path separators or control characters."""
    return re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "_", text).strip(". ") or "未知机构"


def _vocabulary(root: Path):
    """(ref, formats, words) of the project, or None with its problems printed."""
    problems = Problems()
    loaded = load_reference(root, problems), load_formats(root, problems), load_words(root, problems)
    if problems.errors:
        _print(problems)
        return None
    return loaded


def import_reports(root: Path, sources: list[Path], org_id: str | None, out: Path | None) -> int:
    loaded = _vocabulary(root)
    if loaded is None:
        return 1
    ref, formats, words = loaded
    if (org_id is None) == (out is None):
        print("错误：请用 --org 指定 data/orgs.yml 中的机构（写入 data/reports/ 和 docs/reports/），"
              "或用 --out 指定输出文件夹，二者选一。", file=sys.stderr)
        return 2
    if org_id is not None and org_id not in ref.orgs:
        print(f"错误：未知机构“{org_id}”。可用机构：{'、'.join(ref.orgs)}（见 data/orgs.yml）。", file=sys.stderr)
        return 2
    files: list[Path] = []
    for source in sources:
        if source.is_dir():
            files += sorted(p for p in source.rglob("*") if p.is_file() and is_published_file(p))
        elif source.is_file():
            files.append(source)
        else:
            print(f"错误：{source} 不存在。", file=sys.stderr)
            return 2
    if not files:
        print("错误：没有找到可导入的文件（.html、.htm、.docx、.pdf）。", file=sys.stderr)
        return 2
    status, written = 0, 0
    for path in files:
        file = str(path)
        try:
            imported = import_file(path, file, formats, words)
        except SourceError as exc:
            print(f"错误 {file}：{exc}")
            status = 1
            continue
        except OSError as exc:
            print(f"错误 {file}：文件无法读取（{exc.strerror or exc}）。")
            status = 1
            continue
        _print(imported.problems)
        if org_id is not None:
            data, text = report_path(root, org_id, imported.year), narrative_path(root, org_id, imported.year)
        else:
            folder = out / _safe_name(imported.agency)
            data, text = folder / f"{imported.year}.yml", folder / f"{imported.year}.md"
        taken = [p for p in (data, text) if p.exists()]
        if taken:
            print(f"错误 {file}：{'、'.join(str(p) for p in taken)} 已存在，未做任何改动（导入从不覆盖已有文件）。")
            status = 1
            continue
        write_atomic(data, imported.yaml_text(with_agency=org_id is None), overwrite=False)
        try:
            write_atomic(text, imported.markdown(), overwrite=False)
        except BaseException:
            data.unlink(missing_ok=True)  # all or nothing
            raise
        written += 1
        errors = len(imported.problems.errors)
        state = f"，有 {errors} 处未能读取，已标为“未读取”，请对照原文填写" if errors else ""
        print(f"已导入 {file}：{imported.title}（{imported.year}年度，《{imported.fmt.name}》）→ {data}、{text}{state}。")
        if errors:
            status = 1
    print(f"共导入 {written} 份报告（{len(files)} 个文件）。")
    return status


def check_folder(root: Path, folder: Path, out: Path | None, today=None) -> int:
    loaded = _vocabulary(root)
    if loaded is None:
        return 1
    ref, formats, words = loaded
    paths = [folder] if folder.is_file() else report_files(folder)
    if not paths:
        print(f"错误：{folder} 中没有年度报告文件（.yml、.json、.html、.docx、.pdf）。", file=sys.stderr)
        return 2
    prepare = None
    own = (root / REPORTS_DIR).resolve()
    if any(p.resolve().is_relative_to(own) for p in paths):  # the project's own: Table 三 from the register
        from ..project import load_project
        prepare = load_project(root, today).report_inputs.prepare
    items = review(root, paths, ref, formats, words, prepare)
    for item in items:
        _print(item.problems)
    rules = rule_ids(formats)
    rows = summary_rows(items, rules)
    print()
    print("机构\t年度\t格式\t" + "\t".join(rules) + "\t其他\t错误\t警告\t上年结转")
    for row in rows:
        print("\t".join(str(x) for x in (row["organ"], row["year"], row["format"], *row["rules"], row["other"],
                                          row["errors"], row["warnings"], row["carry"])))
    errors = sum(r["errors"] for r in rows)
    if folder.is_dir():
        target = out or folder
        csv_path, html_path = target / f"{SUMMARY_NAME}.csv", target / f"{SUMMARY_NAME}.html"
        write_atomic(csv_path, summary_csv(rows, rules), overwrite=True)
        write_atomic(html_path, summary_html(rows, rules, str(folder), root), overwrite=True)
        print(f"已写入 {csv_path} 和 {html_path}。")
    print(f"共检查 {len(items)} 份报告，{sum(1 for r in rows if r['errors'])} 份有错误，共 {errors} 个错误。")
    return 1 if errors else 0
