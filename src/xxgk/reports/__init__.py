"""政府信息公开工作年度报告: formats as data, report figures from YAML, 勾稽 checks, pages, open data.

- formats.py     the national formats declared in data/formats/*.yml
- model.py       a report as given (our YAML or the interchange JSON) and its narrative
- rules.py       the checks, driven by the format's declarations
- render.py      the official tables as HTML
- interchange.py label-keyed JSON, one CSV per table, and YAML for the scaffold
- scaffold.py    `xxgk report new`
- site.py        report pages, 年报专栏 and the portal-wide list for MkDocs
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..problems import InputError, Problems
from ..reference import Reference
from .. import rendered
from ..safety import Screen
from ..yamlio import read_text
from .formats import Format, Formats, load_formats
from .model import REPORTS_DIR, Report, load_reports, read_interchange_text, read_yaml_report, report_cache
from .rules import check_report
from .words import load_words

__all__ = ["Format", "Formats", "Report", "ReportSet", "check_file", "load_report_set"]


@dataclass
class ReportSet:
    formats: Formats = field(default_factory=Formats)
    by_key: dict[tuple[str, int], Report] = field(default_factory=dict)
    # (org, year) -> the hash of all that the report as checked is made of (None: not known), which
    # keys what is made of the report alone (its downloads: xxgk.reports.site)
    made_of: dict[tuple[str, int], str | None] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.by_key)

    def __iter__(self):
        return iter(sorted(self.by_key.values(), key=lambda r: (r.org, r.year)))

    def get(self, org: str, year: int) -> Report | None:
        return self.by_key.get((org, year))

    def published(self, today: date) -> list[Report]:
        """Published reports, newest year first, then by org."""
        found = [r for r in self if r.is_published(today)]
        return sorted(found, key=lambda r: (-r.year, r.org))


def load_report_set(root: Path, ref: Reference, problems: Problems, *, formats: Formats | None = None,
                    prepare=None) -> ReportSet:
    """Load the formats and every report, and check them (in year order: R6 needs last year's totals).

    `prepare(report, problems)` runs on every report before any check (xxgk.register: Table 三
    from the application register, narrative statistics)."""
    formats = formats if formats is not None else load_formats(root, problems)
    reports = ReportSet(formats, load_reports(root, ref, formats, problems, load_words(root, problems)))
    if prepare is not None:
        for report in reports:
            prepare(report, problems)
    # What the checks make of a report (its settled values, findings, validity, problems) depends on it as
    # prepared, last year's report as checked, its org (data/) and the code: found again by all of those.
    checked = report_cache(root, formats, "report-checks")
    for report in reports:
        last = reports.get(report.org, report.year - 1)
        key = checked.state_key(report, last)
        found = checked.get(key)
        if found is None or found[0] is None or found[0].keys() != vars(report).keys():
            own = Problems()
            check_report(report, own, last=last, org=ref.orgs.get(report.org))
            found = checked.put(key, vars(report), own)
        state, own = found
        vars(report).update(state)
        reports.made_of[(report.org, report.year)] = checked.made_of(key)
        problems.extend(own)
        if not report.draft:
            _check_safety(root, report, ref, problems)
    checked.save()
    return reports


def _check_safety(root: Path, report: Report, ref: Reference, problems: Problems) -> None:
    """Personal data and secrecy markings in what a report publishes besides its figures."""
    screen = Screen(ref.public_numbers, {}, problems, ref.safety_rules)
    if report.carry_note:
        screen.check(report.carry_note, report.file, report.lines.get(("上年结转说明",), 1), "上年结转说明")
    if report.narrative is not None:
        file = report.narrative.file
        try:
            text = read_text(root / file, file)
            screen.check(text, file, 1, None)
            rendered.check_markdown(text, root, file, 1, None, screen)
        except InputError as exc:  # already reported when the narrative was read
            del exc


def check_file(root: Path, path: Path, ref: Reference, problems: Problems, *, prepare=None) -> Report | None:
    """`xxgk report check FILE`: our YAML (checked with the project's other years) or interchange JSON.

    `prepare`: as for load_report_set, applied to the project's own reports."""
    path = path.resolve()
    try:
        file = path.relative_to(root).as_posix()
    except ValueError:
        file = str(path)
    formats = load_formats(root, problems)
    words = load_words(root, problems)
    if path.suffix.lower() == ".json":
        try:
            text = read_text(path, file)
        except InputError as exc:
            problems.append(exc.problem)
            return None
        report = read_interchange_text(text, file, formats, problems, words)
        if report is not None:
            check_report(report, problems)  # tables only: no narrative, no other years
        return report
    if not path.is_file():
        problems.error(file, None, None, "文件不存在。")
        return None
    # The project's own report: with its narrative and last year's report for R6/R7.
    own = path.parent.parent == (root / REPORTS_DIR).resolve()
    report = read_yaml_report(root, path, file, ref, formats, problems, with_narrative=own, words=words)
    if report is None:
        return None
    last = None
    if own:
        scratch = Problems()  # last year's own problems are not this file's
        last_path = path.with_name(f"{report.year - 1}.yml")
        if last_path.is_file():
            last = read_yaml_report(root, last_path, file, ref, formats, scratch, with_narrative=True, words=words)
            if last is not None:
                if prepare is not None:
                    prepare(last, scratch)
                check_report(last, scratch)
        if prepare is not None:
            prepare(report, problems)
    check_report(report, problems, last=last, org=ref.orgs.get(report.org))
    return report
