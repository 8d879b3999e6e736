"""mkdocs-macros pluglet (mkdocs.yml: macros.modules): the home page's portal macros,
a thin layer over xxgk.portal.home. Each returns HTML that the xxgk plugin keeps out of the
sanitiser applied to hand-written pages (it is ours, with every value escaped)."""

from ..templating import render
from . import home


def define_env(env):
    def project():
        return env.conf["plugins"]["xxgk"].project

    def trusted(html: str) -> str:
        return env.conf["plugins"]["xxgk"].trusted(html)

    @env.macro
    def search_box(placeholder="搜索政府信息"):
        """首页的大搜索框（模板 xxgk/partials/search-hero.html）。"""
        return trusted(render(project().root, "xxgk/partials/search-hero.html", base=env.page.url,
                              placeholder=placeholder))

    @env.macro
    def portal_sections():
        """门户各栏目入口：公开指南、公开制度、法定主动公开内容、依申请公开、年报、统计、开放数据、监测。"""
        return trusted(home.sections(project(), env.page.url))

    @env.macro
    def latest_reports(limit=6):
        """最新公布的政府信息公开工作年度报告。"""
        return trusted(home.latest_reports(project(), env.page.url, limit=int(limit)))
