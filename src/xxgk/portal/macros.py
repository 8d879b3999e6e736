"""mkdocs-macros pluglet (mkdocs.yml: macros.modules): the home page's portal macros,
a thin layer over xxgk.portal.home."""

from . import home


def define_env(env):
    def project():
        return env.conf["plugins"]["xxgk"].project

    @env.macro
    def portal_sections():
        """门户各栏目入口：公开指南、公开制度、法定主动公开内容、依申请公开、年报、统计、开放数据、监测。"""
        return home.sections(env.page.url)

    @env.macro
    def latest_reports(limit=6):
        """最新公布的政府信息公开工作年度报告。"""
        return home.latest_reports(project(), env.page.url, limit=int(limit))
