"""No page of this site is a template: the xxgk plugin renders no page of docs/ through mkdocs-macros
(README 安全). The home page's latest entries, reports and search box come from the xxgk templates
(xxgk/home.md; a site's own version goes into overrides/xxgk/home.md). The module stays because
mkdocs.yml names it (macros: module_name)."""


def define_env(env):
    pass
