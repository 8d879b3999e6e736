"""A portal project on disk: its reference data and catalog, loaded and checked once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .catalog import Catalog, check_catalog, load_catalog
from .problems import Problems
from .reference import Reference, load_reference


@dataclass
class Project:
    root: Path
    ref: Reference
    catalog: Catalog
    problems: Problems  # everything found while loading and checking
    today: date

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    def published(self):
        return self.catalog.published(self.today)


def find_root(start: Path) -> Path:
    """The nearest folder upwards that holds mkdocs.yml and data/."""
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "data").is_dir():
            return folder
    return start


def load_project(root: Path, today: date | None = None) -> Project:
    """Load and check the whole project; the same call serves `xxgk check` and the build."""
    today = today or date.today()
    problems = Problems()
    ref = load_reference(root, problems)
    catalog = load_catalog(root, ref, problems)
    check_catalog(catalog, today, problems)
    return Project(root, ref, catalog, problems, today)
