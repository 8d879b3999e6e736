"""Jinja macros for the hand-written pages that mkdocs.yml opts in (macros: force_render_paths);
a thin layer over xxgk.site."""

from xxgk import site


def define_env(env):
    def project():
        return env.conf["plugins"]["xxgk"].project

    def trusted(html: str) -> str:  # ours, values escaped: kept out of the page sanitiser
        return env.conf["plugins"]["xxgk"].trusted(html)

    @env.macro
    def catalog_table(org=None, category=None, topic=None, year=None, limit=None):
        """政府信息公开目录表格：可按机构标识、信息类别、主题分类（名称或代码）、年份筛选。"""
        return trusted(site.catalog_table(project(), env.page.url, org=org, category=category,
                                          topic=topic, year=year, limit=limit))

    @env.macro
    def catalog_facets(org=None):
        """按机构、年份、信息类别、主题分类的入口及条目数。"""
        return trusted(site.catalog_facets(project(), env.page.url, org=org))
