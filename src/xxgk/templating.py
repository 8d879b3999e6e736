"""Markup lives in templates: every generated page and partial is a Jinja template with autoescaping.

The project's templates ship in the package (xxgk/templates/, upgraded with it); a file of the same
name in the site's overrides/ wins, as in Material. Two kinds live there:
- MkDocs page templates (main.html, entry.html, report.html, search.html, partials/…), found through
  the theme, which the plugin extends with the package folder;
- the generated pages under xxgk/: `xxgk/<page>.md` renders a page's Markdown source (headings for the
  table of contents, HTML blocks for the rest), `xxgk/partials/<name>.html` a piece of HTML.
The engine hands them plain data (records, rows, figures, site URLs); `| url` makes a site URL
relative to the page being rendered (`base` in the context), `| md` escapes text for a Markdown line.
Every page template has a `notice` block under its title; an override can extend the package's
template ("default/xxgk/<page>.md") and fill just that block, or replace the page whole.
"""

from __future__ import annotations

import posixpath
import string
import traceback
from functools import lru_cache
from pathlib import Path

from jinja2 import (ChoiceLoader, Environment, FileSystemBytecodeCache, FileSystemLoader, PrefixLoader,
                    StrictUndefined, TemplateError, pass_context)
from markupsafe import Markup

from .buildcache import cache_dir
from .problems import ERROR, InputError, Problem


TEMPLATES = Path(__file__).parent / "templates"
OVERRIDES = "overrides"  # the site's own templates, relative to the project root (mkdocs.yml: custom_dir)


def relative_url(target: str, base: str) -> str:
    """Link from the page at site URL `base` to site URL `target` (both without leading /)."""
    base_dir = base if base.endswith("/") or not base else posixpath.dirname(base) + "/"
    path = target.rstrip("/")
    if not path or base_dir.startswith(path + "/"):  # the target holds the page: up from here
        rel = _up(path, base_dir)
    else:  # many targets share a folder (catalog/swj/2024/…): its relative path is computed once
        folder, _, name = path.rpartition("/")
        rel = _relative_folder(folder, base_dir)
        rel = name if rel == "." else f"{rel}/{name}"
    if target.endswith("/") or not target:
        rel = rel.rstrip("/") + "/"
        if rel == "./":
            return "./"
    return rel


def _up(folder: str, base_dir: str) -> str:
    """From `base_dir` up to `folder`, which holds it: one ".." per folder in between, counted without
    posixpath (every entry page has its own base_dir: a cache of results would not help)."""
    rest = base_dir[len(folder) + 1:] if folder else base_dir
    if base_dir.startswith("/") or "//" in base_dir or "/." in "/" + rest:
        return _relative_folder(folder, base_dir)  # not a plain folder path: as posixpath says
    return "/".join([".."] * rest.count("/")) or "."


@lru_cache(maxsize=4096)
def _relative_folder(folder: str, base_dir: str) -> str:
    return posixpath.relpath("/" + folder, "/" + base_dir)


def md_text(value) -> Markup:
    """Plain text for a Markdown line (heading, paragraph): HTML and Markdown syntax escaped."""
    from .portal.markup import md_text as escape_md  # one escaping rule for Python and templates

    return Markup(escape_md(value))


@pass_context
def _url(context, target: str) -> str:
    return relative_url(target, context["base"])


@lru_cache(maxsize=8)
def environment(root: Path | None) -> Environment:
    """The templates of the project at `root`: its overrides/ first, then the package's (only the
    package's without a project)."""
    folders = ([root / OVERRIDES] if root is not None else []) + [TEMPLATES]
    # "default/xxgk/guide.md" is always the package's own: an override of the same name extends it.
    default = PrefixLoader({"default": FileSystemLoader(TEMPLATES)})
    env = Environment(
        loader=ChoiceLoader([default, *(FileSystemLoader(folder) for folder in folders)]),
        autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        bytecode_cache=compiled_templates(root),
    )
    env.filters["md"] = md_text
    env.filters["url"] = _url
    return env


def compiled_templates(root: Path | None) -> FileSystemBytecodeCache | None:
    """Where Jinja keeps the templates it compiled, in the build cache (.cache/xxgk/templates): a
    one-entry build compiles dozens of templates otherwise. Jinja checks each against its source's
    checksum and the Python version, and writes it atomically. None: no project, or no such folder."""
    if root is None:
        return None
    folder = cache_dir(root) / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only checkout: templates are compiled each build, as before
    return FileSystemBytecodeCache(str(folder))


def render(root: Path | None, name: str, **data) -> str:
    """Template `name` (e.g. "xxgk/guide.md") rendered with `data`. A template that fails (a site's
    override with a mistake) raises InputError naming its file and line."""
    try:
        return environment(root).get_template(name).render(**data)
    except TemplateError as exc:
        raise InputError(_template_problem(exc, root, name)) from None


def _template_problem(exc: TemplateError, root: Path | None, name: str) -> Problem:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".md"))]
    file, line = (frames[-1].filename, frames[-1].lineno) if frames else (getattr(exc, "filename", None) or name,
                                                                          getattr(exc, "lineno", None))
    if root is not None and file and Path(file).is_relative_to(root):
        file = Path(file).relative_to(root).as_posix()
    elif file and Path(file).is_relative_to(TEMPLATES):
        file = "xxgk 自带模板 " + Path(file).relative_to(TEMPLATES).as_posix()
    return Problem(ERROR, file, line, None, f"模板有误（{exc.message or type(exc).__name__}），"
                   f"页面无法生成。请对照 src/xxgk/templates/ 中的同名模板改正，或删除该覆盖文件。")


def scaffold_text(name: str, **values) -> str:
    """A file that xxgk writes for editors (templates/scaffolds/<name>: a home page, an imported entry),
    with $name placeholders filled. Plain text, not Jinja: the files it makes are content."""
    return string.Template((TEMPLATES / "scaffolds" / name).read_text(encoding="utf-8")).substitute(values)
