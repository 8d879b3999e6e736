"""Formerly the home page's macros. No page is a template any more (the home page's parts come from
templates/xxgk/home.md, see xxgk.portal.home); the module stays, empty, for the mkdocs.yml files of
older portals that still list it under macros: modules."""


def define_env(env):
    pass
