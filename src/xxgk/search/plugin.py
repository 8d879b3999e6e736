"""The `xxgk-search` MkDocs plugin: Pagefind full-text search for the portal.

- the search page /search/ is generated (template search.html);
- templates mark what is indexed with data-pagefind-body; this plugin hands them the facets
  (`xxgk_search`) of catalog entries and of any page whose front matter has `search_index`;
- each page goes to Pagefind as soon as MkDocs has rendered it (Pagefind indexes on another
  core meanwhile); after the build the index and the query dictionary are written.
Only pages that reach the site can be indexed: the `xxgk` plugin has already removed drafts,
embargoed and unreviewed entries from the files.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .. import phases
from ..buildcache import BuildCache, cache_dir
from ..portal import urls
from ..problems import InputError
from ..portal.guide import GUIDE_CATEGORY
from .indexer import SiteIndex, require_extended
from .pagefind_files import FormatError
from .terms import org_aliases
from .words import load_words
from .view import CATEGORY, GROUP, SearchView, entry_search_view, page_search_view

log = logging.getLogger("mkdocs.plugins.xxgk-search")

SEARCH_PAGE = "search.md"
ASSETS_CSS = "assets/xxgk-search.css"
ASSETS_JS = "assets/xxgk-search.js"
# Material's own search (lunr) cannot find words inside Chinese compounds; it stays out.
CONFLICTING = ("search", "material/search")
# Generated pages that answer a citizen's question (how to apply, which form, whom to call, which
# rules): indexed as text. Not the 网站地图, the search page or 404: they answer nothing.
ANSWER_PAGES = (urls.APPLY, urls.FORM, urls.GUIDE, urls.REGULATIONS, urls.CONTACT)


class XxgkSearchConfig(Config):
    enabled = c.Type(bool, default=True)
    language = c.Type(str, default="zh")  # every page is indexed as this language


class XxgkSearchPlugin(BasePlugin[XxgkSearchConfig]):
    def __init__(self):
        super().__init__()
        self._entries: dict = {}
        self._project = None
        self._index: SiteIndex | None = None
        self._words: dict = {}
        self._shard = None

    def on_config(self, config, **kwargs):
        if not self.config.enabled:
            return config
        found = [name for name in CONFLICTING if name in config.plugins]
        if found:
            raise PluginError(f"mkdocs.yml 同时启用了主题自带的 {found[0]} 插件：全文检索由 xxgk-search 提供，"
                              "请从 plugins 中删去 search。")
        try:
            require_extended()
        except RuntimeError as exc:
            raise PluginError(str(exc)) from exc
        if ASSETS_CSS not in config.extra_css:
            config.extra_css.append(ASSETS_CSS)
        if all(getattr(s, "path", s) != ASSETS_JS for s in config.extra_javascript):
            script = c.ExtraScriptValue(ASSETS_JS)
            script.type = "module"
            config.extra_javascript.append(script)
        return config

    def on_files(self, files: Files, *, config):
        if not self.config.enabled:
            return files
        if files.get_file_from_path(SEARCH_PAGE) is None:
            files.append(File.generated(config, SEARCH_PAGE, content=_search_page()))
        xxgk = config.plugins.get("xxgk")
        self._project = getattr(xxgk, "project", None) if xxgk and xxgk.config.enabled else None
        # Runs after the xxgk plugin's on_files: these entries are exactly the published ones.
        self._entries = {e.src_uri: e for e in self._project.published()} if self._project else {}
        try:
            self._words = load_words(Path(config.config_file_path).parent)
        except InputError as exc:
            raise PluginError(f"站内搜索词表有误：{exc.problem}") from None
        self._close_index()
        # A shard job (xxgk.shards) indexes its organisations' entry pages into the build cache.
        self._shard = getattr(xxgk, "shard", None)
        try:
            root = Path(config.config_file_path).parent
            self._index = SiteIndex(self.config.language, BuildCache(cache_dir(root)))
            # An organisation's part of the index is made once its last entry page is written.
            self._index.expect(Counter(entry.org for entry in self._entries.values()))
        except (OSError, RuntimeError) as exc:
            raise PluginError(f"无法启动全文检索索引程序 Pagefind：{exc}") from exc
        if self._project is not None:  # pages written from the build cache come this way
            xxgk.page_readers.append(self._add_stored)
        return files

    def on_page_context(self, context, *, page, config, nav):
        if not self.config.enabled:
            return context
        view: SearchView | None = None
        entry = self._entries.get(page.file.src_uri)
        if entry is not None:
            view = entry_search_view(self._project.ref, entry)
        elif page.meta.get("search_index"):
            ref = self._project.ref if self._project else None
            try:
                view = page_search_view(page.meta["search_index"], ref)
            except ValueError as exc:
                log.warning(f"{page.file.src_uri}: search_index：{exc}")
        elif self._project is not None and page.url in ANSWER_PAGES:
            view = SearchView()
        if view is not None and (CATEGORY, GUIDE_CATEGORY) in view.filters:
            view.filters.append((GROUP, GUIDE_CATEGORY))
        context["xxgk_search"] = view
        return context

    def on_post_page(self, output, *, page, config):
        self._add(page.file.src_uri, page.url, output)
        phases.enter("writing")  # MkDocs writes the page next
        return output

    def _add(self, src_uri: str, url: str, html: str) -> None:
        """A page as written goes to the index, an entry page in its organisation's part."""
        if self._index is not None:
            phases.enter("search")
            entry = self._entries.get(src_uri)
            self._index.add(url, html, entry.org if entry is not None else "")

    def _add_stored(self, src_uri: str, url: str, stored) -> None:
        """A page written from the build cache (a pagecache.Stored): the index knows it by its HTML's
        digest and reads its file only if its part is made again."""
        if self._index is not None:
            phases.enter("search")
            entry = self._entries.get(src_uri)
            self._index.add_stored(url, stored.html, stored.digest, stored.path,
                                   entry.org if entry is not None else "")

    def on_post_build(self, *, config):
        if self._index is None:
            return
        phases.enter("search")
        if self._shard is not None:
            try:
                pages = self._index.write_parts(self._shard.orgs)
            except Exception as exc:
                raise _failed(exc) from exc
            finally:
                self._close_index()
                phases.enter("writing")
            log.info(f"分片 {self._shard.name}：{pages} 个条目页面的全文检索索引已存入构建缓存。")
            return
        try:
            orgs = org_aliases(self._project.ref.orgs.values()) if self._project else {}
            # Every organisation's 公开指南 is near-identical text: shown as one group of results.
            grouped = {"category": GUIDE_CATEGORY, "index": urls.GUIDE} if self._project else None
            summary = self._index.write(Path(config.site_dir), orgs, grouped, self._words)
        except Exception as exc:
            raise _failed(exc) from exc
        finally:
            self._close_index()
            phases.enter("writing")
        if summary.pages == 0:
            log.info("全文检索索引为空：还没有页面带 data-pagefind-body（例如尚无已发布的条目）。")
        if summary.reused:
            log.info("全文检索：送入索引的页面与上次构建相同，取用上次的索引（.cache/xxgk，删除该文件夹即重新生成）。")
        if not summary.reused and summary.indexed < summary.pages:
            log.info(f"全文检索：{summary.indexed} 个页面重新索引，其余 {summary.pages - summary.indexed} 个页面的"
                     "索引分组未变，取自构建缓存。")
        log.info(f"全文检索：已索引 {summary.pages} 个页面，查询词典 {summary.terms.words} 词"
                 f"（{summary.terms.shards} 个分片，{summary.terms.bytes} 字节）。")

    def on_build_error(self, *, error):
        self._close_index()

    def _close_index(self):
        if self._index is not None:
            self._index.close()
            self._index = None


def _failed(exc: Exception) -> PluginError:
    """The build stops: what went wrong while the index was made, and what to do about it."""
    if isinstance(exc, FormatError):  # Pagefind wrote files of a layout we do not know
        return PluginError(f"全文检索索引生成失败：Pagefind 写出的索引文件与本程序能读的格式不同，请安装 pyproject.toml "
                           f"中指定版本的 Pagefind（重新运行 make build 即会安装）。详情：{exc}")
    return PluginError(f"全文检索索引生成失败：{exc}")


def _search_page() -> str:
    return "---\ntemplate: search.html\ntitle: 站内搜索\nhide:\n  - navigation\n  - toc\n---\n"
