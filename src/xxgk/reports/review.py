"""`xxgk report check FOLDER`: the supervising office's yearly review of many reports at once.

Every report in the folder — our YAML, interchange JSON, or the published files themselves
(HTML, .docx, PDF, read by the importer) — is checked with the same rules; consecutive years of
the same organ are checked against each other (R6). The summary goes to a CSV file and an HTML
page (templates/xxgk/report-review.html, autoescaped): organ, year and format, problems by rule, carry-over.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..exports import csv_text
from ..problems import InputError, Problems
from ..reference import Reference
from ..yamlio import parse_yaml, read_text
from .formats import Formats
from .importer import import_file
from .model import REPORTS_DIR, Report, float_sources, read_interchange_text, read_report, read_yaml_report
from .published import SUFFIXES, SourceError
from .novelty import check_copied
from .rules import check_report
from .words import Words
from ..templating import render

SUMMARY_NAME = "审查汇总"  # 审查汇总.csv and 审查汇总.html, written into the output folder
DATA_SUFFIXES = {".yml", ".yaml", ".json"}
_RULE = re.compile(r"^\[(R\d+)")


@dataclass
class Reviewed:
    file: str
    report: Report | None
    problems: Problems = field(default_factory=Problems)
    carry: str = "—"  # R6 against last year's report of the same organ
    narrative: str = ""  # the text of a published file (sections 一、五、六), for 正文雷同

    @property
    def organ(self) -> str:
        return self.report.agency if self.report else f"（未能读取：{Path(self.file).name}）"

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for problem in self.problems:
            if problem.level not in ("错误", "警告"):
                continue
            match = _RULE.match(problem.message)
            key = match[1] if match else "其他"  # reading, labels, units, deadlines
            found[key] = found.get(key, 0) + 1
        return found


def report_files(folder: Path) -> list[Path]:
    """The report files of a folder and its subfolders, summaries and narratives left out."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")
                  and p.stem != SUMMARY_NAME and (p.suffix.lower() in DATA_SUFFIXES or p.suffix.lower() in SUFFIXES))


def _label(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def read_one(root: Path, path: Path, ref: Reference, formats: Formats, words: Words) -> Reviewed:
    """One file as a report (not yet checked): its reading problems are kept with it."""
    file = _label(root, path)
    item = Reviewed(file, None)
    problems = item.problems
    suffix = path.suffix.lower()
    try:
        if suffix in SUFFIXES:
            try:
                imported = import_file(path, file, formats, words)
            except SourceError as exc:
                problems.error(file, None, None, str(exc))
                return item
            problems.extend(imported.problems)
            item.narrative = "\n\n".join("\n\n".join(lines) for lines in [imported.preamble, *imported.sections.values()])
            text = imported.yaml_text(with_agency=True)
            data, lines = parse_yaml(text, file)
            item.report = read_report(data, {}, file, formats, problems, year=imported.year,
                                      agency=imported.agency, sources=float_sources(text), words=words)
            return item
        text = read_text(path, file)
        if suffix == ".json":
            item.report = read_interchange_text(text, file, formats, problems, words)
            return item
        own = path.resolve().parent.parent == (root / REPORTS_DIR).resolve() and path.parent.name in ref.orgs
        if own:
            item.report = read_yaml_report(root, path.resolve(), file, ref, formats, problems, with_narrative=False,
                                           words=words)
            return item
        if not re.fullmatch(r"\d{4}", path.stem):
            problems.error(file, None, None, "年度报告文件应以四位年度命名，例如 2024.yml。")
            return item
        data, lines = parse_yaml(text, file)
        agency = data.get("机构") if isinstance(data, dict) else None
        item.report = read_report(data or {}, lines, file, formats, problems, year=int(path.stem),
                                  agency=str(agency or path.parent.name), sources=float_sources(text), words=words)
    except InputError as exc:
        problems.append(exc.problem)
    except OSError as exc:
        problems.error(file, None, None, f"文件无法读取（{exc.strerror or exc}）。")
    return item


def review(root: Path, paths: list[Path], ref: Reference, formats: Formats, words: Words,
           prepare=None) -> list[Reviewed]:
    """Read and check every file; consecutive years of one organ against each other (R6).

    `prepare(report, problems)`: for the project's own reports (Table 三 from the application
    register), as in `xxgk check`."""
    items = [read_one(root, p, ref, formats, words) for p in paths]
    readable = sorted((i for i in items if i.report is not None), key=lambda i: (i.organ, i.report.year))
    if prepare is not None:
        for item in readable:
            if item.report.org is not None:
                prepare(item.report, item.problems)
    organ = words.same_organs(i.organ for i in readable)  # 淮安市洪泽区人民政府 is 洪泽区人民政府 of last year
    by_key = {(organ[i.organ], i.report.year): i for i in readable}
    for item in readable:
        report = item.report
        last = by_key.get((organ[item.organ], report.year - 1))
        check_report(report, item.problems, last=last.report if last else None,
                     org=ref.orgs.get(report.org) if report.org else None)
        if last is not None and item.narrative and last.narrative:
            check_copied(report, last.report, item.problems, item.narrative, last.narrative, item.file)
        if last is None:
            item.carry = "无上年报告"
        elif report.carry_note:
            item.carry = "已说明"
        elif any(p.message.startswith("[R6") and "未核对" not in p.message for p in item.problems):
            item.carry = "不一致"
        elif any(p.message.startswith("[R6") for p in item.problems):
            item.carry = "未核对"
        else:
            item.carry = "一致"
    return sorted(items, key=lambda i: (organ.get(i.organ, i.organ), i.report.year if i.report else 0, i.file))


def rule_ids(formats: Formats) -> list[str]:
    ids = {r.id for f in formats.values() for r in f.rules} | {"R5"}
    return sorted(ids, key=lambda x: int(x[1:]) if x[1:].isdigit() else 99)


def summary_rows(items: list[Reviewed], rules: list[str]) -> list[dict]:
    rows = []
    for item in items:
        counts = item.counts()
        report = item.report
        rows.append({
            "organ": item.organ,
            "year": report.year if report else "",
            "format": report.format.doc_no or report.format.id if report else "",
            "file": item.file,
            "rules": [counts.get(r, 0) for r in rules],
            "other": counts.get("其他", 0),
            "errors": len(item.problems.errors),
            "warnings": len(item.problems.warnings),
            "carry": item.carry,
            "similarity": "—" if report is None or report.similarity is None else f"{report.similarity}%",
            "problems": [(p.level, p.message) for p in item.problems.sorted()],
        })
    return rows


def summary_csv(rows: list[dict], rules: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["机构", "年度", "格式", "文件", *rules, "其他问题", "错误", "警告", "上年结转（R6）", "正文与上年相同"])
    for row in rows:
        writer.writerow([csv_text(str(row["organ"])), row["year"], csv_text(str(row["format"])), csv_text(row["file"]),
                         *row["rules"], row["other"], row["errors"], row["warnings"], row["carry"], row["similarity"]])
    return "\ufeff" + out.getvalue()  # a BOM: spreadsheet programs then read the Chinese text


def summary_html(rows: list[dict], rules: list[str], folder: str, root: Path | None = None) -> str:
    """The summary page (templates/xxgk/report-review.html; a project's overrides/ may restyle it)."""
    return render(root, "xxgk/report-review.html", base="", rows=rows, rules=rules, folder=folder)
