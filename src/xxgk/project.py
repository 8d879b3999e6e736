"""A portal project on disk: its reference data, catalog, application register and annual reports,
loaded and checked once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .catalog import Catalog, check_catalog, load_catalog
from .numbering import check_unique, documents
from .problems import Problems
from . import entrycache, phases, wording
from . import register as register_package
from .reference import Reference, load_reference
from .register import Register, RegisterRules, ReportInputs
from .reports import ReportSet, load_report_set
from .reports.formats import load_formats
from .reports.listing import check_listing, report_entries
from .sources import DocsFiles, check_unowned_attachments, inspect_docs, scan_rendered_sources


@dataclass
class Project:
    root: Path
    ref: Reference
    catalog: Catalog
    problems: Problems  # everything found while loading and checking
    today: date
    reports: ReportSet = field(default_factory=ReportSet)  # 政府信息公开工作年度报告
    register: Register = field(default_factory=lambda: Register(RegisterRules()))  # 政府信息公开申请登记
    report_inputs: ReportInputs | None = None  # register figures and catalog statistics for the reports
    docs_files: DocsFiles = field(default_factory=DocsFiles)  # what else docs/ holds (xxgk.sources)
    _listed: tuple | None = field(default=None, repr=False, compare=False)  # listed(), computed once

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    def published(self):
        """Published catalog entries (files under docs/catalog/), newest first."""
        return self.catalog.published(self.today)

    def listed(self):
        """What the catalog lists: the published entries and the published annual reports
        (xxgk.reports.listing), newest first. Computed once (every listing page asks for it);
        a new list each call, as published() gives."""
        key = (self.today, len(self.catalog.entries), len(self.reports))
        if self._listed is None or self._listed[0] != key:
            found = self.published() + report_entries(self.reports, self.ref, self.today)
            self._listed = (key, sorted(found, key=lambda e: (e.published, e.index_no), reverse=True))
        return list(self._listed[1])


def find_root(start: Path) -> Path:
    """The nearest folder upwards that holds mkdocs.yml and data/."""
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "data").is_dir():
            return folder
    return start


def load_project(root: Path, today: date | None = None) -> Project:
    """Load and check the whole project; the same call serves `xxgk check` and the build."""
    with entrycache.one_pass():
        return _load_project(root, today or date.today())


def _load_project(root: Path, today: date) -> Project:
    problems = Problems()
    ref = load_reference(root, problems)
    catalog = load_catalog(root, ref, problems)
    phases.enter("checks")  # the time of a build by phase (bench/guard.py); nothing without XXGK_PHASES
    check_catalog(catalog, today, problems)
    phases.enter("reading")
    formats = load_formats(root, problems)
    register = register_package.load(root, ref, formats, today, problems)  # deadlines as of `today`
    inputs = ReportInputs(ref, catalog, register, today)
    reports = load_report_set(root, ref, problems, formats=formats, prepare=inputs.prepare)
    phases.enter("checks")
    check_listing(reports, catalog, ref, problems)
    check_unique(documents(catalog, reports), problems)  # one 索引号 sequence for entries and reports
    phases.enter("reading")
    docs_files = inspect_docs(root, ref, problems)
    phases.enter("checks")
    check_unowned_attachments(docs_files, {a.src_uri for e in catalog.entries for a in e.attachments}, problems)
    scan_rendered_sources(root, ref, problems)
    wording.check_project(root, wording.load_wording(root, problems), catalog.entries, reports, docs_files.pages,
                          today, problems)
    phases.enter("reading")
    return Project(root, ref, catalog, problems, today, reports, register, inputs, docs_files)
