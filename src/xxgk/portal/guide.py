"""政府信息公开指南: one page per organisation, generated from its 公开指南 contact data in
data/orgs.yml and the shared rules in data/portal.yml (time limits, 信息处理费); plus the
list of guides and the 公开制度 page.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .. import site
from ..catalog import Entry
from ..reference import Org
from ..reports import site as report_site
from . import urls
from .markup import bullets, heading, link, page, table, text
from .settings import FeeScheme, Settings

if TYPE_CHECKING:
    from ..project import Project

REGULATION = "《中华人民共和国政府信息公开条例》"
GUIDE_CATEGORY = "公开指南"  # the 信息类别 facet of guide pages in the search
CONTACT_LABELS = (("office", "受理机构"), ("address", "通信地址"), ("postcode", "邮政编码"), ("phone", "咨询电话"),
                  ("fax", "传真"), ("email", "电子邮箱"), ("hours", "受理时间"))


def contact_rows(org: Org) -> list[list[str]]:
    return [[text(label), text(org.guide[key])] for key, label in CONTACT_LABELS if org.guide.get(key)]


def channels(org: Org) -> str:
    """How this org takes applications, from the contact data it publishes."""
    found = ["当面提交", "邮寄"] + (["传真"] if org.guide.get("fax") else []) + (["电子邮件"] if org.guide.get("email") else [])
    return "、".join(found)


def fee_table(scheme: FeeScheme) -> str:
    rows = [[text(span), text(rate)] for span, rate in scheme.band_texts()]
    return table([f"数量（{text(scheme.unit)}）", "收费标准"], rows, cls="xxgk-plain", label=f"{scheme.name}标准")


def fee_blocks(settings: Settings) -> list[str]:
    blocks = [f"<p>{text(settings.fee_note)}依据：{text(settings.fee_basis)}。</p>"]
    for scheme in settings.fee_schemes:
        quantity, worked = scheme.example()
        blocks += [f"<p><strong>{text(scheme.name)}</strong>：{text(scheme.note)}</p>", fee_table(scheme),
                   f'<p class="xxgk-note">例如：{quantity}{text(scheme.unit)}应缴 {text(worked)}。</p>']
    return blocks


def time_limit_table(settings: Settings) -> str:
    rows = [[text(case), text(limit), text("《条例》" + basis)] for case, limit, basis in settings.time_limits]
    return table(["情形", "时限", "依据"], rows, cls="xxgk-plain", label="依申请公开办理时限", row_headers=True)


def report_deadline(project: Project, org: Org) -> str | None:
    fmt = project.reports.formats.for_year(project.today.year - 1)
    if fmt is None or org.type not in fmt.deadlines:
        return None
    month, day = fmt.deadlines[org.type]
    return f"{month}月{day}日"


def org_guide(project: Project, settings: Settings, org: Org) -> str:
    base = urls.guide(org.id)
    office = project.ref.orgs.get(settings.office_org)
    deadline = report_deadline(project, org)
    supervisor = (f"{text(office.guide['office'])}（电话 {text(office.guide['phone'])}）" if office else "政府信息公开工作主管部门")
    blocks = [
        f"<p>为保障公民、法人和其他组织依法获取政府信息，根据{REGULATION}（以下简称《条例》），"
        f"编制{text(org.name)}政府信息公开指南。</p>",
        heading(2, "一、主动公开", "zdgk"),
        heading(3, "（一）公开范围"),
        f"<p>本机关依照《条例》第二十条、第二十一条的规定主动公开政府信息，第二十条各项的已公开信息见"
        f"{link('法定主动公开内容', urls.MANDATORY, base)}，本机关全部已公开信息见"
        f"{link(org.name + '信息公开目录', site.org_url(org.id), base)}。</p>",
        heading(3, "（二）公开方式"),
        f"<p>主动公开的政府信息在本网站（{text(settings.address)}）的政府信息公开目录中发布，可按信息类别、"
        f"主题分类和年份浏览，也可使用{link('站内搜索', 'search/', base)}；"
        f"新公开的信息可通过{link('本机关订阅源（Atom）', urls.feed(org.id), base, type='application/atom+xml')}获取。</p>",
        heading(3, "（三）公开时限"),
        f"<p>属于主动公开范围的政府信息，自该政府信息形成或者变更之日起 {project.ref.publish_workdays} 个工作日内"
        "予以公开（《条例》第二十六条）；法律、法规对公开期限另有规定的，从其规定。</p>",
        heading(2, "二、依申请公开", "ysqgk"),
        heading(3, "（一）受理机构"),
        table(["项目", "内容"], contact_rows(org), cls="xxgk-plain xxgk-contact", label="受理机构联系方式",
              row_headers=True),
        heading(3, "（二）申请方式"),
        f"<p>申请人可以{channels(org)}书面申请。申请应当包括：申请人的姓名或者名称、身份证明、联系方式；"
        "申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述；申请公开的政府信息的形式要求，"
        "包括获取信息的方式、途径（《条例》第二十九条）。采用书面形式确有困难的，可以口头提出，由受理机构代为填写。</p>",
        f"<p>申请表见{link('依申请公开', urls.APPLY, base)}页，可在线打印或下载 Word 文档。"
        "本网站不接受在线提交申请。</p>",
        heading(3, "（三）办理时限"),
        time_limit_table(settings),
        heading(3, "（四）信息处理费"),
        *fee_blocks(settings),
        heading(2, "三、监督和救济", "jdjj"),
        f"<p>公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者"
        f"政府信息公开工作主管部门{supervisor}投诉、举报，也可以依法申请行政复议或者提起行政诉讼（《条例》第五十一条）。</p>",
        heading(2, "四、政府信息公开工作年度报告", "ndbg"),
        f"<p>本机关{'于每年' + deadline + '前' if deadline else '按《条例》第四十九条规定的期限'}"
        f"公布上一年度政府信息公开工作年度报告，见{link(org.name + '年报专栏', report_site.org_url(org.id), base)}。</p>",
        f'<p class="xxgk-back">{link("全部政府信息公开指南", urls.GUIDE, base)}</p>',
    ]
    # Searchable as the org's 公开指南 (facets read by the xxgk-search plugin; JSON is YAML).
    spec = json.dumps({"发布机构": org.id, "信息类别": GUIDE_CATEGORY}, ensure_ascii=False)
    return page(f"{org.name}政府信息公开指南", blocks, meta={"search_index": spec})


def guide_index(project: Project) -> str:
    base = urls.GUIDE
    rows = [[link(f"{o.name}政府信息公开指南", urls.guide(o.id), base), text(o.guide["office"]), text(o.guide["phone"])]
            for o in project.ref.orgs.values()]
    blocks = [
        "<p>各机构的政府信息公开指南说明主动公开的范围、方式和时限，依申请公开的受理机构、申请方式、办理时限和"
        f"信息处理费，以及监督和救济途径。申请表见{link('依申请公开', urls.APPLY, base)}。</p>",
        table(["指南", "受理机构", "咨询电话"], rows, cls="xxgk-plain", label="各机构政府信息公开指南"),
        f"<p>相关制度见{link('政府信息公开制度', urls.REGULATIONS, base)}。</p>",
    ]
    return page("政府信息公开指南", blocks)


def local_rules(project: Project, settings: Settings) -> list[Entry]:
    return [e for e in project.published()
            if (settings.local_topic is None or e.topic == settings.local_topic)
            and (not settings.local_categories or e.category in settings.local_categories)]


def entry_table(project: Project, entries: list[Entry], base: str, label: str) -> str:
    """The catalog's table layout (索引号, 标题, 发布机构, 发布日期) for a given list of entries."""
    orgs = project.ref.orgs
    rows = [[f'<td class="xxgk-index">{text(e.index_no)}</td>', link(e.title, e.url, base),
             text(orgs[e.org].short_name), f'<td class="xxgk-date">{e.published.isoformat()}</td>'] for e in entries]
    return table(["索引号", "标题", "发布机构", "发布日期"], rows, cls="xxgk-catalog", label=label)


def regulations_page(project: Project, settings: Settings) -> str:
    base = urls.REGULATIONS
    national = bullets([f"{text(name)}{'：' + text(note) if note else ''}" for name, note in settings.national_rules])
    local = local_rules(project, settings)
    blocks = [
        "<p>本区政府信息公开工作依据的法规、规章和制度。</p>",
        heading(2, "国家规定"),
        national,
        heading(2, "本区制度"),
        entry_table(project, local, base, "本区政府信息公开制度") if local else '<p class="xxgk-empty">暂无。</p>',
        f"<p>各机构的受理方式和时限见{link('政府信息公开指南', urls.GUIDE, base)}。</p>",
    ]
    return page("政府信息公开制度", blocks)


def pages(project: Project, settings: Settings) -> dict[str, str]:
    found = {urls.src(urls.GUIDE): guide_index(project), urls.src(urls.REGULATIONS): regulations_page(project, settings)}
    for org in project.ref.orgs.values():
        found[urls.src(urls.guide(org.id))] = org_guide(project, settings, org)
    return found
