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
from functools import lru_cache
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined, pass_context
from markupsafe import Markup


TEMPLATES = Path(__file__).parent / "templates"
OVERRIDES = "overrides"  # the site's own templates, relative to the project root (mkdocs.yml: custom_dir)


def relative_url(target: str, base: str) -> str:
    """Link from the page at site URL `base` to site URL `target` (both without leading /)."""
    base_dir = base if base.endswith("/") or not base else posixpath.dirname(base) + "/"
    path = target.rstrip("/")
    if not path or base_dir.startswith(path + "/"):  # the target holds the page: up from here
        rel = _relative_folder(path, base_dir)
    else:  # many targets share a folder (catalog/swj/2024/…): its relative path is computed once
        folder, _, name = path.rpartition("/")
        rel = _relative_folder(folder, base_dir)
        rel = name if rel == "." else f"{rel}/{name}"
    if target.endswith("/") or not target:
        rel = rel.rstrip("/") + "/"
        if rel == "./":
            return "./"
    return rel


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
    )
    env.filters["md"] = md_text
    env.filters["url"] = _url
    return env


def render(root: Path | None, name: str, **data) -> str:
    """Template `name` (e.g. "xxgk/guide.md") rendered with `data`."""
    return environment(root).get_template(name).render(**data)


def scaffold_text(name: str, **values) -> str:
    """A file that xxgk writes for editors (templates/scaffolds/<name>: a home page, an imported entry),
    with $name placeholders filled. Plain text, not Jinja: the files it makes are content."""
    return string.Template((TEMPLATES / "scaffolds" / name).read_text(encoding="utf-8")).substitute(values)
