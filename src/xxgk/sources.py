"""Every file of docs/, and the values of data/ that the portal renders: what may be published, and its checks.

MkDocs publishes whatever lies in docs/, following symbolic links. We publish only what a published
page owns: catalog entries and their attachments (xxgk.catalog), report narratives (xxgk.reports),
hand-written pages, and the site assets declared in data/safety.yml. Everything else is reported
and left out, and symbolic links, pipes and devices are refused: they could publish files of the
build machine or hang the build. Hand-written pages, assets and the rendered data files are
scanned for personal data like entries are.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from . import content, rendered, safety
from .catalog import CATALOG_DIR, RESERVED
from .problems import InputError, Problems
from .reference import Reference
from .reports.model import NARRATIVE_DIR
from .yamlio import name_not_utf8, read_text, shown_name, special_file, split_front_matter

# Files outside docs/ whose text appears on the portal: the site's settings and templates, and the data
# (orgs, vocabularies, portal settings, report figures and formats). The application register is not
# published: its few shown fields are scanned where it is read.
RENDERED_SOURCES = ("mkdocs.yml", "overrides/**/*.html", "overrides/**/*.md", "data/*.yml", "data/formats/*.yml", "data/reports/*/*.yml")


@dataclass
class DocsFiles:
    pages: list[str] = field(default_factory=list)  # hand-written Markdown pages, src_uri under docs/
    assets: list[str] = field(default_factory=list)  # declared site assets
    attachments: list[str] = field(default_factory=list)  # files under catalog/ that are not entries
    stray: list[str] = field(default_factory=list)  # owned by nothing: reported, never published


def _kind(src_uri: str, ref: Reference) -> str:
    top, _, rest = src_uri.partition("/")
    if top == CATALOG_DIR and rest:
        name = src_uri.rsplit("/", 1)[-1]
        return "entry" if name.endswith(".md") and name not in RESERVED else "attachment"
    if top == NARRATIVE_DIR and rest:
        return "narrative" if src_uri.endswith(".md") else "stray"
    if src_uri.startswith(ref.site_assets):
        return "asset"
    return "page" if src_uri.endswith(".md") else "stray"


def inspect_docs(root: Path, ref: Reference, problems: Problems) -> DocsFiles:
    """Walk docs/ without following links; classify every file and check what is not an entry."""
    docs = root / "docs"
    found = DocsFiles()
    screen = safety.Screen(ref.public_numbers, {}, problems, ref.safety_rules)
    for folder, dirnames, names in os.walk(docs):
        prefix = Path(folder).relative_to(docs).as_posix()
        prefix = "" if prefix == "." else prefix + "/"
        for name in sorted(dirnames) + sorted(names):
            refusal = name_not_utf8(name)
            if refusal:  # nothing under it is read, and MkDocs would stop at its name: reported, left out
                problems.error(f"docs/{shown_name(prefix)}{shown_name(name)}", None, None, refusal)
                (dirnames if name in dirnames else names).remove(name)
        for name in sorted(dirnames):
            if os.path.islink(os.path.join(folder, name)):
                problems.error(f"docs/{prefix}{name}", None, None,
                               "这是指向文件夹的符号链接，可能把网站以外的文件带进网站，不予发布。请删除该链接，把文件本身放进来。")
                dirnames.remove(name)
        for name in sorted(names):
            if name.startswith("."):
                continue  # MkDocs leaves hidden files out
            src_uri = prefix + name
            file = f"docs/{src_uri}"
            kind = _kind(src_uri, ref)
            if kind == "entry":
                continue  # read and checked by xxgk.catalog, which refuses special files too
            refusal = special_file(os.path.join(folder, name))
            if refusal:
                problems.error(file, None, None, refusal)
                continue
            if kind == "attachment":
                found.attachments.append(src_uri)
            elif kind == "asset":
                found.assets.append(src_uri)
                _scan_file(docs / src_uri, file, screen, problems)
            elif kind == "page":
                too_large = content.file_too_large(docs / src_uri, ref.body_limits)
                if too_large:
                    problems.error(file, 1, "正文", too_large)
                    continue
                try:
                    text = read_text(docs / src_uri, file)
                    # A page's own settings block (title, hide…) is allowed; what follows is content.
                    body, body_line = (split_front_matter(text, file)[2:] if text.startswith("---") else (text, 1))
                except InputError as exc:
                    problems.append(exc.problem)
                    continue
                content.check_markdown(body, file, body_line, problems, ref.body_limits)
                screen.check(text, file, 1, None)
                rendered.check_markdown(body, root, file, body_line, None, screen)
                found.pages.append(src_uri)
            elif kind == "stray":
                found.stray.append(src_uri)
    for src_uri in found.stray:
        problems.warning(f"docs/{src_uri}", None, None,
                         "这个文件不属于任何页面，不会发布。如果是网站的样式、图片等资源，请放到 docs/assets/ 下"
                         "或在 data/safety.yml 的“站点资源”中声明；如果是附件，请放到条目所在文件夹并在条目的“附件”中列出。")
    return found


def _scan_file(path: Path, file: str, screen: safety.Screen, problems: Problems) -> None:
    """A site asset: documents as the scanner reads them, styles and scripts as text; images and fonts
    hold no text to scan (they are declared by the site's maintainer)."""
    try:
        text = safety.extract_text(path).text
    except safety.Dangerous as exc:
        problems.error(file, None, None, f"这个文件不能发布：{exc.reason}")
        return
    except safety.Unreadable:
        try:
            text = read_text(path, file)
        except InputError:
            return
    screen.check(text, file, 1, None)


def check_unowned_attachments(files: DocsFiles, referenced: set[str], problems: Problems) -> None:
    """Files under docs/catalog/ that no entry lists: reported, and never published."""
    for src_uri in files.attachments:
        if src_uri not in referenced:
            files.stray.append(src_uri)
            problems.warning(f"docs/{src_uri}", None, None,
                             "没有任何条目在“附件”中列出这个文件，不会发布。请在条目中列出它，或删除它。")


def scan_rendered_sources(root: Path, ref: Reference, problems: Problems) -> None:
    """Personal data in the files outside docs/ whose text the portal shows (a personal mobile in orgs.yml)."""
    screen = safety.Screen(ref.public_numbers, {}, problems, ref.safety_rules)
    for pattern in RENDERED_SOURCES:
        for path in sorted(root.glob(pattern)):
            file = path.relative_to(root).as_posix()
            try:
                screen.check(read_text(path, file), file, 1, None)
            except InputError:
                pass  # reported where the file is read for its data
