"""The MkDocs side of xxgk: load and check the project, publish only published entries,
generate the listing pages and hand entry pages their template and metadata; likewise for
the annual reports (report pages, 年报专栏, list by year, JSON/CSV data files). Under
`mkdocs serve` it lets an edit to entry bodies re-render only those pages (xxgk.preview).

The same engine call as `xxgk check` decides; this module only connects it to MkDocs.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import functools
import glob
import hashlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from html import escape
from datetime import date
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import rjsmin
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.commands.build import _build_page, _populate_page  # re-rendering one page (preview)
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc
from mkdocs.utils import CountHandler, normalize_url

from . import pagecache, pagecheck, pagework, phases, preview, rendered, safety, shards
from .buildcache import cache_dir
from .catalog import read_entry
from .content import sanitize
from .deadline import TimeUp, deadline
from .headers import add_security_meta
from .portal import Portal, home, load_portal
from .portal.markup import RawHtml, md_text
from .problems import ERROR, InputError, Problem, Problems
from .project import Project, load_project
from .register import site as register_site
from .reports import site as report_site
from .reports.render import report_markdown
from .site import entry_view, listing_pages
from .templating import TEMPLATES, compiled_templates

HOME = "index.md"  # the home page: docs/index.md, followed by the portal's parts

log = logging.getLogger("mkdocs.plugins.xxgk")


SPARE_SITE = "previous-site"  # in the build cache: the site before the last one, reused (_adopt_spare)
OUR_SCRIPTS = "assets/xxgk-"  # our own scripts (docs/assets/, the package's assets/)


def _minify_scripts(files: Files, config) -> None:
    """Our scripts as visitors get them: without comments and layout (rjsmin, which keeps every token),
    a third of the bytes; the search worker is part of a first search's download."""
    for file in [f for f in files if f.src_uri.startswith(OUR_SCRIPTS) and f.src_uri.endswith(".js")]:
        try:
            text = file.content_string
        except UnicodeDecodeError:  # not a script of ours: published as it is
            continue
        files.remove(file)
        files.append(File.generated(config, file.src_uri, content=rjsmin.jsmin(text)))


def _located(hook):
    """A problem found while generating pages (a mistake in a site's template override) stops the
    build with its located Chinese message instead of a traceback."""
    @functools.wraps(hook)
    def wrapper(self, *args, **kwargs):
        try:
            return hook(self, *args, **kwargs)
        except InputError as exc:
            log.error(str(exc.problem))
            raise PluginError("页面无法生成，已停止构建。请按上面的提示改正后重试。") from None
    return wrapper


class XxgkConfig(Config):
    enabled = c.Type(bool, default=True)
    # Reference date for embargoes and deadline checks (YYYY-MM-DD); default: today.
    today = c.Optional(c.Type(str))


class XxgkPlugin(BasePlugin[XxgkConfig]):
    project: Project | None = None
    shard: shards.Shard | None = None  # XXGK_SHARD (xxgk.shards)
    portal: Portal | None = None

    _building: Path | None = None  # the fresh folder this build writes into (see _build_aside)
    _reusing = False  # the folder is the previous site but one, being cleared (_adopt_spare)
    _folders_aside = None  # the process making the entry pages' folders, and those folders (_make_entry_folders)
    _final_site: Path | None = None

    def on_config(self, config, **kwargs):
        if not self.config.enabled:
            return config
        phases.start("reading")  # XXGK_PHASES: the time of this build by phase (bench/guard.py)
        # mkdocs-macros reads force_render_paths with a pathspec style that pathspec deprecates: not ours to fix.
        warnings.filterwarnings("ignore", message="GitWildMatchPattern", category=DeprecationWarning)
        self._sources: dict[str, str] = {}  # built page -> the file it comes from (xxgk.pagecheck)
        self._checked: dict[str, list[str]] = {}  # built entry page -> its check's messages, known already
        self._build_aside(config)
        # Ours has full addresses and every page (_post_build): MkDocs' own would list 10,000 pages for nothing.
        config.theme.static_templates.discard("sitemap.xml")
        # Our page templates ship in the package, after the site's overrides/ and before Material's.
        if str(TEMPLATES) not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(TEMPLATES))
        today = date.fromisoformat(self.config.today) if self.config.today else None
        root = Path(config.config_file_path).resolve().parent
        self.project = load_project(root, today)
        self.portal = load_portal(self.project, config.site_name)  # data/portal.yml; its problems join the project's
        problems = self.project.problems
        for level, line in problems.listed(self.project.ref.warning_list_limit):
            # Warnings are printed but do not fail a strict build; errors stop it below.
            (log.error if level == ERROR else log.info)(line)
        if problems.errors:
            if preview.active is not None:  # under `mkdocs serve`: the browser shows them (xxgk.preview)
                preview.active.problems = [p for p in problems.sorted() if p.is_error]
            raise PluginError(f"政府信息公开目录有 {len(problems.errors)} 个错误，已停止构建。请按上面的提示改正后重试。")
        self._page_scan = rendered.PageScan(self.project)  # personal data in the pages as written
        try:  # XXGK_SHARD: render only this shard's entry pages, into the build cache (xxgk.shards)
            self.shard = shards.active(root, self.project.ref.orgs)
        except InputError as exc:
            raise PluginError(str(exc.problem)) from None
        self._views: dict[str, dict] = {}  # entry page -> entry_view, from on_nav to on_page_context
        self._report_views: dict[str, dict] = {}  # report page -> report_view, likewise from on_page_markdown
        self._warnings = CountHandler()  # warnings logged while pages are made (see _post_build)
        self._warnings.setLevel(logging.WARNING)
        logging.getLogger("mkdocs").addHandler(self._warnings)
        # Plugins that read each page as written (on_post_page: the search index) and must also be
        # handed the pages this build writes from the cache without rendering them: each is called
        # with (src_uri, url, the pagecache.Stored page).
        self.page_readers: list = []
        return config

    @_located
    def on_files(self, files: Files, *, config):
        if not self.config.enabled:
            return files
        project = self.project
        generated: dict[str, str | bytes] = {}
        published = self._published = {e.src_uri: e for e in project.published()}
        reports = {report_site.page_src(r): r for r in project.reports.published(project.today)}
        # What docs/ may publish: published entries, their attachments and reports, hand-written pages,
        # declared assets (xxgk.sources). Drafts and their files, stray files and whatever MkDocs found
        # through a symbolic link never reach the site.
        owned = (published.keys() | reports.keys() | {a.src_uri for e in published.values() for a in e.attachments}
                 | set(project.docs_files.pages) | set(project.docs_files.assets))
        self._hand_written = set(project.docs_files.pages)
        docs_dir = config.docs_dir
        for file in list(files):
            if file.src_dir == docs_dir and file.src_uri not in owned:
                files.remove(file)
        self._folders_aside = self._make_entry_folders([f for f in files if f.src_uri in published])
        phases.enter("rendering")
        generated.update(listing_pages(project))
        phases.enter("downloads")
        # A shard job renders entry pages only: the reports' downloads (Word, CSV, JSON) are the merge job's.
        generated.update(report_site.generated_files(project) if self.shard is None else report_site.list_pages(project))
        phases.enter("rendering")
        self._reports = reports
        # The portal: guides, 依申请公开 and its form, 第二十条, feeds, open data, 统计, 监测 (xxgk.portal).
        generated.update(self.portal.files(config.nav))
        # 依申请公开办理情况 for the supervising office, from the application register (xxgk.register).
        generated.update(register_site.pages(project))
        if HOME not in self._hand_written:  # no docs/index.md: the home page is the portal's parts alone
            generated[HOME] = f"# {md_text(config.site_name)}\n"
        self._generated_pages = set()
        for src_uri, content in generated.items():
            if files.get_file_from_path(src_uri) is None:  # a page of docs/ by the same name wins
                files.append(File.generated(config, src_uri, content=content))
                if src_uri.endswith(".md"):
                    self._generated_pages.add(src_uri)
        _minify_scripts(files, config)
        # 网页编辑 is never part of the portal: `xxgk build --editor` makes its own site (xxgk.webedit).
        self._raw_html = RawHtml()
        self._too_slow: list[Problem] = []  # editors' pages stopped at their time budget
        return files

    def _make_entry_folders(self, entry_files: list[File]) -> tuple[subprocess.Popen, set[str]] | None:
        """Start making the folders of the entry pages in the fresh folder of this build, in a process
        beside this one, while this one makes the generated pages: with directory URLs every entry page
        has its own folder, and 10,000 mkdir calls took a second of a one-entry build (pages from the
        cache are linked into them, _write_stored). None: nothing to make, or no process to make it."""
        if self._building is None or self._spare.exists():
            return None  # `mkdocs serve`, or the previous site's folders are there to reuse (_adopt_spare)
        folders = {os.path.dirname(f.abs_dest_path) for f in entry_files if not f.inclusion.is_excluded()
                   and not (self.shard is not None and self._outside_shard(f.src_uri))}
        try:
            maker = subprocess.Popen([sys.executable, "-I", "-S", "-c", _MAKE_FOLDERS], stdin=subprocess.PIPE,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:
            return None  # each folder is made as its page is written
        try:
            with maker.stdin:  # read at once by the process: a few hundredths of a second
                maker.stdin.write(b"\0".join(os.fsencode(folder) for folder in sorted(folders)))
        except OSError:
            maker.kill()
            maker.wait()
            return None
        return maker, folders  # awaited in on_nav (_entry_folders_made)

    def _entry_folders_made(self) -> set[str]:
        """The folders the process of _make_entry_folders made (waiting for it); empty if it failed."""
        found, self._folders_aside = self._folders_aside, None
        if found is None:
            return set()
        maker, folders = found
        try:
            return folders if maker.wait(timeout=120) == 0 else set()
        except subprocess.TimeoutExpired:
            maker.kill()
            return set()

    def on_page_read_source(self, *, page, config):
        phases.enter("rendering")
        # An entry was read and checked with the project: MkDocs need not read and parse it again.
        entry = self.config.enabled and self._published.get(page.file.src_uri)
        return entry.body if entry else None

    @_located
    @event_priority(50)  # before mkdocs-macros, wherever mkdocs.yml lists it
    def _page_markdown(self, markdown, *, page, config, files):
        if not self.config.enabled:
            return markdown
        # No page is a template: not those of docs/ (content), nor ours (rendered once already, with the
        # values of data/ in them), whatever a page's own settings or mkdocs.yml's render_by_default and
        # force_render_paths say. mkdocs-macros obeys render_macros: false before anything else (every
        # page.meta set below keeps it).
        page.meta["render_macros"] = False
        if page.file.src_uri not in self._generated_pages:
            page.render = self._render_within_budget(page)  # an editor's page renders within its time budget
        if page.file.src_uri == HOME:
            # The home page: the title and text of docs/index.md, then the portal's parts (xxgk.portal.home),
            # which are ours: they pass the sanitiser of the page's content untouched.
            return markdown.rstrip() + "\n\n" + self._raw_html.hold(home.page(self.project, page.url)) + "\n"
        entry = self._published.get(page.file.src_uri)
        if entry:
            # Our settings only: MkDocs also reads a `---` block or `key: value` lines at the start of
            # the body as page settings, and the body must not choose its template or title.
            # Material prints page.title as HTML, so the title goes in escaped.
            page.meta = {"render_macros": False, "template": "entry.html", "title": escape(entry.title)}
            # The body as our parser split it, so front matter can never leak into the page.
            return entry.body
        report = self._reports.get(page.file.src_uri)
        if report:
            # Searchable as a 工作报告 of its org and year (facets read by the xxgk-search plugin).
            facets = {"发布机构": report.org, "信息类别": "工作报告", "年份": report.year,
                      **({"发布日期": report.published.isoformat()} if report.published else {})}
            page.meta = {"render_macros": False, "template": "report.html", "title": escape(report.title),
                         "search_index": facets}
            # The whole report in the official order, tables inserted; then the org's charts (xxgk.portal).
            keep = self._raw_html.keep  # the tables and charts are ours: they need no Markdown
            self._report_views[page.file.src_uri] = report_site.report_view(self.project, report, page.url)
            made_of = self.project.reports.made_of.get((report.org, report.year))
            return (report_markdown(report, keep, self.project.root, self.portal.fragments, made_of) + "\n\n"
                    + keep(self.portal.report_charts(report)) + "\n")
        return markdown

    def _outside_shard(self, src_uri: str) -> bool:
        entry = self._published.get(src_uri)
        return entry is None or entry.org not in self.shard.orgs

    def _render_within_budget(self, page):
        """Page.render of an editor's page under the time budget of data/safety.yml 正文.渲染时限秒:
        past it the page is left empty, its located error is kept, and the build renders the rest
        before it stops (_post_build)."""
        render, limits = getattr(page.render, "unbounded", page.render), self.project.ref.body_limits

        def bounded(config, files):
            try:
                with deadline(limits.render_seconds):
                    render(config, files)
            except (TimeUp, RecursionError) as exc:
                page.content = ""
                entry = self._published.get(page.file.src_uri)
                file, line = (entry.file, entry.body_line) if entry else (f"docs/{page.file.src_uri}", 1)
                what = (f"超过了 {limits.render_seconds:g} 秒的时限（data/safety.yml 的“正文.渲染时限秒”）"
                        if isinstance(exc, TimeUp) else "时结构嵌套太深")
                self._too_slow.append(Problem(ERROR, file, line, "正文", (
                    f"生成这个页面{what}，已停止生成它。请简化正文：删除大量的“<”“[”“*”等符号或很深的缩进，"
                    "表格数据请作为附件上传。")))
        bounded.unbounded = render
        return bounded

    @event_priority(-100)  # after every plugin: the Markdown MkDocs is about to convert
    def _last_markdown(self, markdown, *, page, config, files):
        if not self.config.enabled:
            return markdown
        src_uri = page.file.src_uri
        if src_uri in self._generated_pages:
            markdown = self._raw_html.hold(markdown)
        if src_uri in self._published or src_uri in self._nav_pages:
            return markdown  # an entry page is looked up by its entry (on_nav); the nav holds its pages
        # Any other page is made of its settings, its Markdown (our HTML in it), its report's values,
        # and the files its links may point to (a link to a file gone must warn again).
        key = self._pages.key(page.url, page.meta, self._raw_html.expanded(markdown),
                              self._report_views.get(src_uri), self._linkable)
        stored = self._write_stored(page.file, key)
        if stored is None:
            self._pages.missed(src_uri, key)
            return markdown
        self._raw_html.release(markdown)  # its blocks are not needed: the page is not converted
        self._report_views.pop(src_uri, None)
        page.render = _unrendered(page)
        self._use_stored(files, page.file, stored)
        return ""

    on_page_markdown = CombinedEvent(_page_markdown, _last_markdown)

    def trusted(self, html: str) -> str:
        """A placeholder for HTML that we made (macros, report tables): it passes the sanitiser
        applied to editors' pages untouched."""
        return self._raw_html.keep(html)

    def on_page_content(self, html, *, page, config, files):
        if not self.config.enabled:
            return html
        if page.file.src_uri not in self._generated_pages:
            html = sanitize(html)  # entries, narratives, hand-written pages: the allowlist of xxgk.content
        return self._raw_html.release(html)

    @_located
    def _post_page(self, output, *, page, config):
        # The policy allows the inline scripts of the templates, never any in the page's content.
        output = add_security_meta(output, content=page.content)
        src_uri = page.file.src_uri
        if self.config.enabled:
            self._sources[page.file.dest_uri] = self._source_of(src_uri)
            # A page rendered in every build whose HTML was scanned before brings its verdicts; any
            # other is scanned as written (_check_written).
            scanned = self._pages.scanned_before(src_uri, output)
            if scanned is not None:
                self._report_scan(scanned, src_uri, page.url)
        phases.enter("writing")  # MkDocs writes the page next (after the search plugin's turn)
        return output

    def _not_rendered(self, files: Files) -> None:
        """Pages this build does not render leave MkDocs' pages (xxgk.pagecache): in a shard job every
        page but its organisations' entries (other jobs make them); in every build the entry pages whose
        stored HTML is current, written here. Each stays in `files` as a _Written file, so that links to
        it keep their address. An entry in the nav is always rendered (the nav holds its Page)."""
        phases.enter("writing")
        # One page after the other: each costs a tenth of a millisecond (reading and checking the stored
        # HTML, a link), and threads doing it beside this one took twice as long, contending for the GIL.
        for file in [f for f in files if f.is_documentation_page()]:
            src_uri = file.src_uri
            if self.shard is not None and self._outside_shard(src_uri):
                self._not_built(files, file)
                continue
            entry = self._published.get(src_uri)
            if entry is None or src_uri in self._nav_pages:
                continue
            view = entry_view(self.project, entry, file.url)
            # The entry as read: by what it was read from, when that is its own text (xxgk.entrycache)
            read_from = self.project.catalog.read_from.get(src_uri)
            key = self._pages.key(file.url, ["read from", read_from] if read_from else entry, view)
            stored = self._write_stored(file, key)
            if stored is None:  # left to MkDocs, then stored
                self._pages.missed(src_uri, key)
                self._views[src_uri] = view  # the template's values, made once (on_page_context)
            else:
                self._use_stored(files, file, stored)
        phases.enter("rendering")

    def _write_stored(self, file: File, key: str) -> pagecache.Stored | None:
        """The page stored under `key`, written where MkDocs would write it.
        In the fresh folder of `xxgk build` it is a hard link to the cache's file of its HTML: no copy
        to write now and to delete with the next build's old site. Nothing writes into that folder's
        files afterwards, and the cache checks the file's bytes before every use (xxgk.pagecache)."""
        stored = self._pages.fetch(key)
        if stored is not None:
            path = file.abs_dest_path
            folder = os.path.dirname(path)
            try:
                if folder not in self._folders:
                    if not (self._reusing and folder in self._spare_folders):  # the reused site has it
                        os.makedirs(folder, exist_ok=True)
                    self._folders.add(folder)
                if self._reusing and path in self._spare_links:
                    if os.path.samefile(path, stored.path):
                        self._kept.add(path)  # the previous site's link to the same checked file
                        return stored
                    os.unlink(path)  # never written through: the file may be another site's too
                self._kept.add(path)
                if self._building is not None and file.dest_uri not in self._shared_dests:
                    try:
                        os.link(stored.path, path)
                        return stored
                    except OSError:
                        pass  # the cache on another disk, or a file system without links: a copy
                with open(path, "wb") as out:
                    out.write(stored.html)
            except OSError as exc:
                raise PluginError(f"无法写入网页 {path}（{exc.strerror}）。请检查磁盘空间和该文件夹的权限后重试。") from None
        return stored

    def _use_stored(self, files: Files, file: File, stored: pagecache.Stored) -> None:
        """A page written from the cache, as a full build writes it: the search index's copy and the
        scans' verdicts (the allowed personal values depend on other entries: asked now)."""
        self._reused["entry" if file.src_uri in self._published else "other"] += 1
        self._sources[file.dest_uri] = self._source_of(file.src_uri)
        self._checked[file.dest_uri] = stored.check
        self._report_scan(stored.scan, file.src_uri, file.url)
        if self.page_readers:
            for read in self.page_readers:
                read(file.src_uri, file.url, stored)
            phases.enter("writing")
        self._not_built(files, file)

    @staticmethod
    def _not_built(files: Files, file: File) -> None:
        files.remove(file)
        files.append(_Written.of(file))

    @event_priority(-100)  # after every plugin: the page as MkDocs writes it
    def _check_written(self, output, *, page, config):
        """The built-page check (xxgk.pagecheck) of a page scanned now, stored in the cache with the
        scan's findings (an entry page with its HTML); a page whose verdicts the cache holds brings its
        stored messages. check_site reads neither again."""
        if not self.config.enabled:
            return output
        _let_go(page)
        src_uri = page.file.src_uri
        known = self._pages.checked(src_uri)
        if known is not None:
            self._checked[page.file.dest_uri] = known
            return output
        to_store = self._pages.to_store(src_uri)
        if to_store is not None:  # personal data, then the check, as the visitor receives the page
            self._page_work.submit((page, to_store), output, page.file.dest_uri, to_store)
        return output

    def _examined(self, context, found: pagework.Examined) -> None:
        """The verdicts on a page written by this build (xxgk.pagework), in the order pages were written."""
        page, to_store = context
        self._report_scan(found.scan, page.file.src_uri, page.url)
        self._checked[page.file.dest_uri] = found.check
        stored = self._pages.stored(to_store, found.sums)
        if stored is not None and self._building is not None and page.file.dest_uri not in self._shared_dests:
            self._stored_now.append((page.file.abs_dest_path, stored))  # linked to it once written

    def _report_scan(self, scan: list, src_uri: str, url: str) -> None:
        """Personal data found in a page as the visitor receives it (xxgk.rendered): markup cannot split a number."""
        findings = [safety.Finding(kind, value, 0) for kind, value in scan]
        for problem in self._page_scan.report(findings, src_uri, url):
            log.error(str(problem))

    on_post_page = CombinedEvent(_post_page, _check_written)

    def _source_of(self, src_uri: str) -> str:
        """For messages about a built page: the file to fix."""
        report = self._reports.get(src_uri)
        if report:
            return report.file
        if src_uri in self._generated_pages:
            return f"生成的页面 {src_uri}（模板在 overrides/ 或 xxgk 自带的 src/xxgk/templates/ 中）"
        return f"docs/{src_uri}"

    def _post_build(self, *, config):
        phases.enter("writing")
        if self.config.enabled:
            self._page_work.finish()  # every page's verdicts, their messages counted with the warnings
            logging.getLogger("mkdocs").removeHandler(self._warnings)
            if self._warnings.get_counts():
                self._pages.forget()  # a page from the cache would not repeat the warnings (strict or not)
            # Every page was tried: what each check found is reported, then the build stops, so that
            # one fault never hides another. Pages past their time budget, personal data in the pages
            # as written, and every built page as the visitor receives it: template residue, unconverted
            # Markdown, broken headings, with their page and source (xxgk.pagecheck).
            for problem in self._too_slow:
                log.error(str(problem))
            pages = pagecheck.site_pages(Path(config.site_dir))  # the check's and the sitemap's
            found = pagecheck.check_site(Path(config.site_dir), self._sources, self._checked, pages)
            for problem in found:
                log.error(str(problem))
            stops = [f"{len(self._too_slow)} 个页面超过生成时限" if self._too_slow else "",
                     f"构建出的网页中有 {len(self._page_scan.problems)} 处疑似个人信息" if self._page_scan.problems else "",
                     f"生成的网页有 {len(found)} 处问题" if found else ""]
            if any(stops):
                if preview.active is not None:
                    preview.active.problems = [*self._too_slow, *self._page_scan.problems, *found]
                raise PluginError("；".join(filter(None, stops)) + "，已停止构建。请按上面的提示改正后重试。")
            if self.shard is not None:  # its entry pages are in the cache; the merge job makes the rest
                self._pages.prune()  # the job's cache (its artifact) holds this shard's current pages only
                rendered_pages = len(self._sources)
                log.info(f"分片 {self.shard.name}：已生成 {rendered_pages} 个条目页面并存入构建缓存（.cache/xxgk）。")
                return
            if not self._warnings.get_counts():  # its pages stay in the cache (else forgotten above)
                _link_to_cache(self._stored_now)
            # MkDocs' own sitemap is empty without site_url; ours has full addresses
            self.portal.write_sitemap(Path(config.site_dir), pages)
            if preview.active is None:  # `mkdocs serve` pages (another site address) leave the build's in place
                self._pages.prune()
                self.portal.fragments.prune()  # every report page was made: older tables and charts go
            if self._reused:
                log.info(f"构建缓存：{self._reused['entry']} 个条目页面、{self._reused['other']} 个其他页面内容未变，"
                         "直接取用（.cache/xxgk，删除该文件夹即完整构建）。")
            _write_redirects(self.project, Path(config.site_dir), config.site_url)
            if preview.active is not None:  # under `mkdocs serve`: this build's pages can be re-rendered
                preview.active.refresh = self.refresh_entries

    # --- no half site ---------------------------------------------------------------------------
    # A build killed or failed halfway used to leave a site/ with index.html, the feeds and the
    # sitemap: it looked complete and could be deployed. So the build writes into a fresh sibling
    # folder (site.building-<pid>) and only a finished build takes the name site/.

    def _build_aside(self, config) -> None:
        self._building = self._final_site = None
        final = Path(config.site_dir)
        if _is_serve_dir(final):  # `mkdocs serve` builds into its own temporary folder
            return
        _remove_stale(final)
        self._building = final.with_name(f"{final.name}.building-{os.getpid()}")
        self._final_site = final
        self._spare = cache_dir(Path(config.config_file_path).resolve().parent) / SPARE_SITE
        self._mkdocs_config = config
        config.site_dir = str(self._building)  # every plugin (Pagefind too) reads it from here on

    @event_priority(-1000)  # after every other plugin's post_build: Pagefind and our sitemap are written
    def _swap_site(self, *, config):
        building, final = self._building, self._final_site
        if building is None:
            return
        if config.strict and _warnings_logged():
            return  # MkDocs aborts a strict build right after this hook; on_build_error removes the folder
        # Two renames, not a copy: the old site stays whole until the new one is complete.
        old = final.with_name(f"{final.name}.old-{os.getpid()}")
        try:
            if final.exists():
                final.rename(old)
            try:
                building.rename(final)
            except OSError:
                if old.exists():
                    old.rename(final)  # put the previous site back
                raise
        except OSError as exc:
            raise PluginError(f"网站已生成在 {building}，但无法替换 {final}（{exc.strerror}），"
                              "原网站保持不变。请检查该文件夹的权限后重试。") from exc
        self._building = None
        config.site_dir = str(final)  # `mkdocs gh-deploy` publishes config.site_dir
        if old.exists():
            try:  # the next build reuses its folders and its pages' links (_adopt_spare)
                old.rename(self._spare)
            except OSError:  # another build's spare is there, or the cache is elsewhere
                shutil.rmtree(old, ignore_errors=True)

    on_post_build = CombinedEvent(_post_build, _swap_site)

    def _adopt_spare(self) -> bool:
        """Reuse the site before the last one (kept in the build cache by _swap_site) as this build's
        folder: its folders exist, and its pages from the cache that are still current are links to
        the same checked files (_write_stored keeps them). MkDocs has only emptied the fresh folder so
        far. Of the spare only such links stay (_spare_links), and only until on_env if no page takes
        them. The rest goes before anything can be written at its place: pages' files (.html) now, the
        others (Pagefind's fragments, downloads: removing them costs more than the rest of a one-entry
        build's writing) by threads meanwhile, awaited in on_env. Anything doubtful: a fresh folder."""
        self._spare_links: set[str] = set()  # its files linked elsewhere (pages from the cache)
        self._spare_folders: set[str] = set()  # its folders, there until on_env
        self._kept: set[str] = set()  # paths written from the cache by this build
        self._emptied: list[str] = []  # its folders with nothing to keep, children first (removed in on_env)
        self._removing: list = []  # removal of files nothing is written to before on_env
        spare, building = getattr(self, "_spare", None), self._building
        if building is None or spare is None or spare.is_symlink() or not spare.is_dir():
            return False
        try:
            if building.exists():
                building.rmdir()  # empty: only MkDocs' clean_directory has been at it
            spare.rename(building)
        except OSError:
            return False
        doomed: list[str] = []
        try:
            _sweep(str(building), self._spare_links, doomed, self._emptied)
        except OSError:
            self._spare_links.clear()
            shutil.rmtree(building, ignore_errors=True)
            return False
        self._spare_folders = {os.path.dirname(path) for path in self._spare_links}.union(self._emptied)
        removers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="xxgk-sweep")
        self._removing = [removers.submit(_remove_files, doomed[i::2]) for i in range(2)]
        removers.shutdown(wait=False)
        return True

    def on_build_error(self, *, error):
        if getattr(self, "_page_work", None) is not None:
            self._page_work.abort()
        if getattr(self, "_warnings", None) is not None:
            logging.getLogger("mkdocs").removeHandler(self._warnings)
        self._entry_folders_made()  # the process making folders in the build's folder is done first
        if self._building is not None:  # a failed build: its folder goes, the previous site stays
            shutil.rmtree(self._building, ignore_errors=True)
            self._mkdocs_config.site_dir = str(self._final_site)
            self._building = None

    # The nav, environment and files of this build: for the nav cache and for re-rendering
    # single pages under `mkdocs serve` (xxgk.preview).
    def on_nav(self, nav, *, config, files):
        self._nav = nav
        self._nav_pages = {page.file.src_uri for page in nav.pages}
        if self.config.enabled:  # incremental builds: unchanged pages from the cache (xxgk.pagecache)
            self._pages = pagecache.PageCache(self.project.root, pagecache.site_digest(self.project.root, config, nav, self.portal))
            self._folders: set[str] = self._entry_folders_made()  # folders of the site made for pages from the cache
            self._stored_now: list[tuple[str, str]] = []  # entry pages rendered and stored now: site file, cache file
            self._reused: collections.Counter = collections.Counter()  # pages from the cache: entry, other
            self._linkable = hashlib.sha256("\0".join(sorted(f.src_uri for f in files)).encode()).hexdigest()
            dests = collections.Counter(f.dest_uri for f in files)
            self._shared_dests = {dest for dest, count in dests.items() if count > 1}  # written over: no links
            phases.enter("writing")  # clearing the reused site folder, then pages from the cache
            self._reusing = self._adopt_spare()
            self._not_rendered(files)
        return nav

    def on_env(self, env, *, config, files):
        phases.enter("writing")  # MkDocs copies the static files next
        self._env, self._files, self._mkdocs_config = env, files, config
        if self.config.enabled and self._reusing:  # every page from the cache is written by now
            self._reusing = False
            try:
                for removing in self._removing:
                    removing.result()
                _remove_links(self._building, self._spare_links - self._kept)
                for folder in self._emptied:
                    with contextlib.suppress(OSError):  # gone already, or a page of this build is in it
                        os.rmdir(folder)
            except OSError as exc:
                raise PluginError(f"无法清理网站文件夹 {self._building}（{exc.strerror}）。"
                                  "请检查该文件夹的权限后重试。") from None
        if self.config.enabled:
            # The pages MkDocs renders next are scanned and checked as written, beside this process
            # in a large build (xxgk.pagework); under `mkdocs serve` here.
            self._page_work = pagework.PageWork(len(files.documentation_pages()), self._examined,
                                                self._page_scan.rules, parallel=preview.active is None)
            # The theme's own templates stay reachable as "material/…" from overrides of the same
            # name; overrides/partials/nav.html and tabs.html render them once per site section
            # and depth, since the nav is the same on every page outside it there (xxgk_chrome).
            theme_dirs = [d for d in config.theme.dirs if d not in (config.theme.custom_dir, str(TEMPLATES))]
            env.loader = ChoiceLoader([PrefixLoader({"material": FileSystemLoader(theme_dirs)}), env.loader])
            env.bytecode_cache = compiled_templates(self.project.root)
            env.globals["xxgk_chrome_cache"] = {}
            env.globals["xxgk_footer"] = self.portal.footer()  # partials/copyright.html (xxgk.portal.furniture)
        return env

    def on_serve(self, server, *, config, builder):
        if self.config.enabled:
            watched = [config.docs_dir, config.config_file_path, *config.watch, *config.theme.dirs]
            preview.active = preview.Preview(builder, watched)
            preview.active.refresh = self.refresh_entries
            server.builder = preview.active
            server.set_app(preview.active.wsgi(server.get_app()))  # a failed build answers with its errors
        return server

    def on_shutdown(self):
        preview.active = None
        phases.write()

    def refresh_entries(self, paths: list[Path]) -> bool:
        """Re-render the pages of entries whose body alone changed; False (nothing done) otherwise."""
        project, config = self.project, self._mkdocs_config
        docs = Path(config.docs_dir).resolve()
        edits = []
        for path in paths:
            try:
                src_uri = path.resolve().relative_to(docs).as_posix()
            except ValueError:
                return False
            old = self._published.get(src_uri)
            if old is None:
                return False
            file = self._files.get_file_from_path(src_uri)
            if file is None or file.page is None:
                return False  # written from the cache, not rendered: the whole build runs again
            problems = Problems()
            new = read_entry(project.root, src_uri, project.ref, problems)
            if new is None or dataclasses.replace(new, body=old.body) != old:
                return False  # front matter changed: listings, feeds and facets may too
            # Problems found in the body (personal data, markings) must be those the build knew.
            if _body_problems(problems, old) != _body_problems(project.problems, old):
                return False
            edits.append((old, new.body))
        files = self._files
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for entry, body in edits:
            entry.body = body
            page = files.get_file_from_path(entry.src_uri).page
            _populate_page(page, config, files)
            _build_page(page, config, doc_files, self._nav, self._env)
        return True

    def on_post_template(self, output_content, *, template_name, config):
        if self.config.enabled and template_name.endswith(".html"):
            return add_security_meta(output_content)
        return output_content

    def on_template_context(self, context, *, template_name, config):
        # MkDocs renders 404.html with links from "/" when site_url is empty: wrong when the portal is
        # served under a sub-path. Its links start from the path of data/portal.yml 网址 instead
        # (absolute, since a missing address may be at any depth).
        if self.config.enabled and template_name == "404.html":
            base = urlsplit(self.portal.settings.address).path or "/"
            context["base_url"] = base
            context["extra_css"] = [normalize_url(path, None, base) for path in config.extra_css]
            context["extra_javascript"] = [normalize_url(str(script), None, base) for script in config.extra_javascript]
        return context

    def on_page_context(self, context, *, page, config, nav):
        # Links in the nav are relative: outside the nav, pages of one top-level section at one
        # depth (every catalog entry) share the same nav HTML.
        phases.enter("rendering")
        outside = self.config.enabled and page.file.src_uri not in self._nav_pages
        context["xxgk_chrome"] = f"{page.url.split('/')[0]}:{page.url.count('/')}" if outside else None
        entry = self.config.enabled and self._published.get(page.file.src_uri)
        if entry:
            context["entry"] = self._views.pop(page.file.src_uri, None) or entry_view(self.project, entry, page.url)
        report = self.config.enabled and self._reports.get(page.file.src_uri)
        if report:
            context["report"] = self._report_views.pop(page.file.src_uri, None) or report_site.report_view(
                self.project, report, page.url)
        if self.config.enabled:  # “当前位置” and the page metadata (xxgk.portal.furniture)
            context["xxgk_page"] = self.portal.page_furniture(config.nav, page.url, page.title or "",
                                                              entry or None, report or None)
        return context


def _let_go(page) -> None:
    """A page as MkDocs writes it is made: its Markdown and HTML are not read again in this build (links
    and anchors are checked from what rendering found). MkDocs would hold every rendered page's until the
    end, through the search index's merge: the listings of a large portal (tens of MB per 10,000 entries)."""
    page.markdown, page.content = "", ""
    if page.file.generated_by is not None:  # a generated page's Markdown, kept by its File
        page.file.content_string = ""


def _unrendered(page):
    """Page.render of a page written from the build cache: nothing to convert."""
    def render(config, files):
        page.content, page.toc, page._title_from_render = "", get_toc([]), None
        page.present_anchor_ids, page.links_to_anchors = set(), {}
    return render


class _Written(File):
    """A page of the site that MkDocs neither renders nor copies: written from the build cache, or
    made by another shard job. Links to it resolve to its address as to any page."""

    def __init__(self, page: File):
        super().__init__(page.src_path, page.src_dir, page.dest_dir, page.use_directory_urls,
                         dest_uri=page.dest_uri, inclusion=page.inclusion)

    @classmethod
    def of(cls, page: File) -> _Written:
        """`_Written(page)` for a page whose paths and address MkDocs has worked out already: they are
        taken as they are (a tenth of the time of working them out again), its Page left behind."""
        written = cls.__new__(cls)
        written.__dict__.update(page.__dict__, dest_uri=page.dest_uri)  # a page's, never worked out again
        written.__dict__.pop("page", None)
        return written

    def is_documentation_page(self) -> bool:
        return False

    def is_static_page(self) -> bool:
        return False

    def copy_file(self, dirty: bool = False) -> None:
        pass


# Run by `python -I -S -c`: makes the folders named on standard input (NUL between them).
_MAKE_FOLDERS = """
import os, sys
for folder in sys.stdin.buffer.read().split(b"\\0"):
    if folder:
        os.makedirs(folder, exist_ok=True)
"""


def _is_serve_dir(site: Path) -> bool:
    """`mkdocs serve` builds into tempfile.mkdtemp(prefix="mkdocs_") and serves it from there."""
    return site.parent == Path(tempfile.gettempdir()) and site.name.startswith("mkdocs_")


def _sweep(folder: str, links: set[str], doomed: list[str], emptied: list[str]) -> bool:
    """Clear a reused site folder of everything but pages (.html) with other links (linked from the
    build cache), whose paths go into `links`. Files at a page's place (.html) or where a folder
    may be needed (no extension) go now; the others into `doomed`, and folders left with nothing to
    keep into `emptied`, children first. True if anything stays in `folder`."""
    kept = False
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if _sweep(entry.path, links, doomed, emptied):
                    kept = True
                else:
                    emptied.append(entry.path)
            elif entry.is_file(follow_symlinks=False) and entry.name.endswith(".html") \
                    and entry.stat(follow_symlinks=False).st_nlink > 1:  # other links (search fragments): doomed
                links.add(entry.path)
                kept = True
            elif not entry.is_file(follow_symlinks=False) or entry.name.endswith(".html") or "." not in entry.name:
                os.unlink(entry.path)
            else:
                doomed.append(entry.path)
    return kept


def _link_to_cache(pages: list[tuple[str, str]]) -> None:
    """The entry pages rendered and stored now, as MkDocs wrote them into the fresh site folder, become
    links to the cache's files of the same bytes, like the pages taken from the cache: the next build
    reuses this site's folder (_adopt_spare) keeping links, where it would delete 10,000 copies one
    by one. Only a page whose written bytes are the cache's (the HTML the scans saw) is linked; a file
    system without links keeps the copies."""
    for site_file, cached in pages:
        temporary = site_file + ".xxgk-link"
        try:
            with open(site_file, "rb") as written, open(cached, "rb") as stored:
                if written.read() != stored.read():
                    continue  # not what was stored: left as MkDocs wrote it
        except OSError:
            continue  # MkDocs writes nothing for an empty page
        try:
            os.link(cached, temporary)
            os.replace(temporary, site_file)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            return


def _remove_files(paths: list[str]) -> None:
    for path in paths:
        os.unlink(path)


def _remove_links(site: Path, paths: set[str]) -> None:
    """Remove these files of a reused site folder, and the folders they leave empty."""
    top = str(site)
    for path in paths:
        os.unlink(path)
        folder = os.path.dirname(path)
        while folder != top and not os.listdir(folder):
            os.rmdir(folder)
            folder = os.path.dirname(folder)


def _remove_stale(final: Path) -> None:
    """Remove site.building-<pid> and site.old-<pid> left by builds that were killed."""
    for path in final.parent.glob(f"{glob.escape(final.name)}.*-*"):
        kind, _, pid = path.name[len(final.name) + 1:].partition("-")
        if kind not in ("building", "old") or not pid.isdigit() or not path.is_dir():
            continue
        if int(pid) != os.getpid() and _alive(int(pid)):
            continue  # another build is running now
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _warnings_logged() -> bool:
    """Whether MkDocs counted a warning in this strict build (its CountHandler on the "mkdocs" logger)."""
    return any(isinstance(h, CountHandler) and h.get_counts() for h in logging.getLogger("mkdocs").handlers)


def _body_problems(problems, entry) -> set:
    """Problems of the entry's own file not tied to a front-matter field: those of its body."""
    return {p for p in problems if p.file == entry.file and p.field is None}


def _write_redirects(project, site: Path, site_url) -> None:
    """The old portal's addresses (data/redirects.yml and the entries' 原网址, from xxgk migrate) as redirects."""
    from .redirects import RedirectError, emit

    entries = {e.old_url: "/" + e.url for e in project.catalog.published(project.today) if e.old_url}
    try:
        emit(project.root, site, site_url, entries)
    except RedirectError as exc:
        raise PluginError(str(exc)) from None
