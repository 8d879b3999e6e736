"""Site URLs of everything the portal package generates (directory URLs, no leading /)."""

GUIDE = "guide/"  # 政府信息公开指南: list of organisations
APPLY = "apply/"  # 依申请公开
FORM = "apply/form/"  # the application form, printable
FORM_DOCX = "apply/shenqingbiao.docx"  # the same form as a Word document
FORM_DOCX_NAME = "政府信息公开申请表.docx"  # the name a browser saves it under
FORM_JSON = "apply/form.json"  # the form's rows and .docx parts for the online form (xxgk.portal.forms)
FORM_SCRIPT = "assets/xxgk-apply.js"  # the online form's script, from the package
MANDATORY = "mandatory/"  # 法定主动公开内容 (条例第二十条)
REGULATIONS = "regulations/"  # 政府信息公开制度
STATS = "stats/"  # 统计 with the charts
OPENDATA = "opendata/"  # 开放数据: files and field documentation
CATALOG_JSON = "opendata/catalog.json"
CATALOG_CSV = "opendata/catalog.csv"
REPORTS_JSON = "opendata/reports.json"
REPORTS_CSV = "opendata/reports.csv"
FEED_ALL = "feeds/all.xml"
DASHBOARD = "dashboard/"  # 政务公开工作监测
EVIDENCE = "dashboard/evidence/"  # what the dashboard's problem cells point at
SITEMAP = "sitemap.xml"
SITEMAP_PAGE = "sitemap/"  # 网站地图, for people (sitemap.xml is for search engines)
CONTACT = "contact/"  # 联系我们
REGISTER = "register/"  # 依申请公开办理情况 (xxgk.register.site.URL)
SEARCH = "search/"  # the search results page (xxgk.search)


def guide(org_id: str) -> str:
    return f"{GUIDE}{org_id}/"


def feed(org_id: str | None = None) -> str:
    return FEED_ALL if org_id is None else f"feeds/{org_id}.xml"


def src(url: str) -> str:
    """src_uri of the generated Markdown page at a directory URL."""
    return f"{url}index.md"
