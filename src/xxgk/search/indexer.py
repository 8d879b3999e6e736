"""Writing the Pagefind index of a built site through Pagefind's Python API."""

from __future__ import annotations

import asyncio
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from .pagefind_files import indexed_words
from .terms import TermsSummary, write_dictionary

BUNDLE = "pagefind"  # the folder Pagefind's JavaScript expects at the site root


@dataclass
class IndexSummary:
    pages: int  # pages in the index (those rendered with data-pagefind-body)
    terms: TermsSummary


def require_extended() -> None:
    """Chinese segmentation exists only in Pagefind's extended binary."""
    try:
        import pagefind_bin_extended  # noqa: F401
    except ImportError as exc:
        raise RuntimeError("需要 Pagefind 扩展版（含中文分词）：pip install 'pagefind[extended]'") from exc


async def _write_index(site: Path, bundle: Path, language: str) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    # One language for the whole site, so one index serves every page.
    config = IndexConfig(force_language=language, output_path=str(bundle))
    async with PagefindIndex(config) as index:
        await index.add_directory(str(site))


def _run(coroutine) -> None:
    """asyncio.run, also when the caller already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine)
        return
    failure: list[BaseException] = []

    def target():
        try:
            asyncio.run(coroutine)
        except BaseException as exc:  # handed to the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def build_index(site: Path, language: str = "zh", orgs: dict[str, tuple[str, str]] | None = None) -> IndexSummary:
    """Index `site` (a built MkDocs site) into site/pagefind/, replacing any earlier index.
    `orgs`: what readers type for an organisation -> (its name as the 发布机构 facet holds it, its 标识)."""
    require_extended()
    site = site.resolve()
    bundle = site / BUNDLE
    if bundle.exists():  # `mkdocs serve` and --dirty builds reuse the folder: no stale pages
        shutil.rmtree(bundle)
    _run(_write_index(site, bundle, language))
    pages = sum(1 for _ in (bundle / "fragment").glob("*.pf_fragment"))
    terms = write_dictionary(bundle, indexed_words(bundle) if pages else [], pages, orgs or {})
    return IndexSummary(pages, terms)
