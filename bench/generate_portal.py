"""Generate a large synthetic portal (default 10,000 catalog entries) for the search payload figure.

The project is a copy of this one (configuration, data, theme, pages) whose docs/catalog/ is
replaced by generated entries; it is written into a temporary folder, never into docs/.
Titles follow the patterns of real disclosure catalogs; bodies recombine sentences of the demo
entries, so the vocabulary and page length are those of real content.

    .venv/bin/python bench/generate_portal.py --count 10000 --build
    .venv/bin/python bench/generate_portal.py --count 10000 --scale   # 40 orgs × 6 years (issue 7)

Without --scale (and as search_quality.py calls it) the portal keeps the demo's 6 orgs over 7 years.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = {".git", ".venv", "site", "tests", "bench", ".pytest_cache", ".hypothesis", "__pycache__", ".cache"}
YEARS = range(2019, 2026)  # the search benchmark's portal: the 6 demo orgs over 7 years
SCALE_YEARS = range(2020, 2026)  # the scale benchmark's portal (issue 7): 40 orgs over 6 years
ORG_COUNT = 40
# Departments added to the copy's data/orgs.yml up to ORG_COUNT: (标识, 名称, 文号 short form).
EXTRA_ORGS = [
    ("wjj", "示例区卫生健康局", "卫"), ("mzj", "示例区民政局", "民"), ("rsj", "示例区人力资源和社会保障局", "人社"),
    ("zjj", "示例区住房和城乡建设局", "建"), ("jtj", "示例区交通运输局", "交"), ("slj", "示例区水务局", "水"),
    ("nyj", "示例区农业农村局", "农"), ("wlj", "示例区文化广电旅游体育局", "文旅"), ("yjj", "示例区应急管理局", "应急"),
    ("sfj", "示例区司法局", "司"), ("tjj", "示例区统计局", "统"), ("sjj", "示例区审计局", "审"),
    ("gzw", "示例区国有资产监督管理局", "国资"), ("zrj", "示例区规划和自然资源局", "规自"), ("sthj", "示例区生态环境分局", "环"),
    ("cgj", "示例区城市管理和综合执法局", "城管"), ("kjj", "示例区科学技术局", "科"), ("gxj", "示例区工业和信息化局", "工信"),
    ("ybj", "示例区医疗保障局", "医保"), ("tyjrj", "示例区退役军人事务局", "退役"), ("xfj", "示例区信访局", "信"),
    ("zsj", "示例区政务服务数据管理局", "政数"), ("mzzj", "示例区民族宗教事务局", "宗"), ("tzj", "示例区投资促进局", "投促"),
    ("gxs", "示例区供销合作联社", "供销"), ("dag", "示例区档案馆", "档"), ("jrj", "示例区金融工作局", "金融"),
    ("lyj", "示例区林业局", "林"), ("swtj", "示例区商务统计中心", "商统"), ("qlj", "示例区侨务局", "侨"),
    ("jgswj", "示例区机关事务管理局", "机关"), ("fzj", "示例区人民政府研究室", "研"), ("xqzx", "示例区乡村振兴局", "振兴"),
    ("dqj", "示例区地方志办公室", "志"),
]

SUBJECTS = [
    "促进外商投资", "优化营商环境", "支持中小企业发展", "生活垃圾分类", "老旧小区改造", "校外培训机构监管",
    "食品安全监督抽检", "促进夜间经济发展", "支持电商直播产业发展", "电子消费券发放", "公务卡使用管理",
    "预算绩效管理", "政府投资项目管理", "社会信用体系建设", "特种设备安全监督检查", "知识产权保护",
    "安全生产专项整治", "突发事件应急处置", "义务教育学校招生", "中小学课后服务", "学前教育发展提升",
    "民办学校学位补贴", "老字号传承发展", "重点项目建设", "行政事业性收费管理", "政府集中采购",
    "财政专项资金管理", "数字经济发展", "高层次人才引进", "稳就业促创业", "居家养老服务", "城乡医疗救助",
    "保障性住房建设", "农村人居环境整治", "河湖长制落实", "大气污染防治", "节能降碳", "新能源汽车推广应用",
    "文化旅游融合发展", "全民健身设施建设", "城市更新", "地下管线安全管理", "智慧城市建设",
    "政务服务一网通办", "证明事项告知承诺制", "双随机一公开监管", "轻微违法行为免罚", "个体工商户帮扶",
    "外贸稳增长", "跨境电子商务", "会展经济发展", "农贸市场升级改造", "重要民生商品价格监测",
    "消费品以旧换新", "商业网点规划", "成品油市场整治", "预付式消费监管", "计量器具强制检定",
    "校园食品安全", "教师队伍建设", "职业教育产教融合", "防汛防台风", "森林防火", "燃气安全排查",
]
KINDS = ["管理办法", "实施细则", "若干措施", "工作方案", "实施意见", "三年行动计划", "暂行办法", "工作指引"]
EVENTS = ["召开{s}工作推进会", "开展{s}专项检查", "部署{s}工作", "举办{s}政策宣讲会", "调研{s}工作",
          "召开{s}座谈会", "通报{s}工作进展"]
NOTICES = ["{s}项目中标结果公告", "{s}项目采购意向", "{s}资金拟安排项目公示", "{s}检查结果公示",
           "{s}服务机构名单公示", "{s}工作情况通报"]
STATS = ["消费品市场运行情况", "重要民生商品价格监测情况", "市场主体发展情况", "固定资产投资情况",
         "外贸进出口情况", "教育事业发展统计公报", "财政收支情况", "规模以上工业生产情况"]
QUARTERS = ["第一季度", "上半年", "前三季度", "全年"]
ROLES = ["编外工作人员", "中小学教师", "社区工作者", "专职安全员", "辅助执法人员"]
OPENINGS = ["为做好{s}相关工作，现将有关事项通知如下。", "根据工作安排，{org}组织开展了{s}工作。",
            "{year}年以来，我区{s}工作稳步推进。", "为进一步推动{s}，结合我区实际，制定本方案。",
            "现就{s}有关情况说明如下。", "{org}高度重视{s}，采取多项措施抓好落实。"]
# 第二十条 item of the categories that fulfil one (scale shape only).
ARTICLE20 = {"政策文件": "（一）", "规划计划": "（三）", "统计信息": "（四）", "行政执法": "（六）", "财政信息": "（七）",
             "政府采购": "（九）", "人事信息": "（十四）"}
DOC_PREFIX = {"qzf": "示府办", "swj": "示商发", "fgj": "示发改", "czj": "示财发", "scjgj": "示市监", "jyj": "示教"}
PUNISH_PREFIX = {"qzf": "示府罚", "swj": "示商罚", "fgj": "示发改罚", "czj": "示财罚", "scjgj": "示市监处罚", "jyj": "示教罚"}


def harvest_sentences(catalog: Path) -> list[str]:
    """Sentences of the demo entries' bodies (no headings, tables or lists of links)."""
    sentences = []
    for path in sorted(catalog.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1] if text.startswith("---") and "\n---\n" in text else text
        for line in body.splitlines():
            line = line.strip()
            if not line or line[0] in "#|>-*![" or re.match(r"^\d+\.", line):
                continue
            for part in re.findall(r"[^。！？]+[。！？]", line):
                if 12 <= len(part) <= 120 and "http" not in part:
                    sentences.append(part)
    if not sentences:
        sentences = ["为进一步做好相关工作，现将有关事项通知如下。", "各单位要高度重视，认真组织实施。"]
    return sentences


def _doc_prefix(org_id: str) -> str:
    short = {o[0]: o[2] for o in EXTRA_ORGS}.get(org_id, org_id)
    return DOC_PREFIX.get(org_id, f"示{short}发")


def _punish_prefix(org_id: str) -> str:
    short = {o[0]: o[2] for o in EXTRA_ORGS}.get(org_id, org_id)
    return PUNISH_PREFIX.get(org_id, f"示{short}罚")


def add_orgs(project: Path, count: int) -> None:
    """Append departments to the copy's data/orgs.yml up to `count` orgs, each with a unique 9-character 机构代码."""
    import yaml

    path = project / "data" / "orgs.yml"
    text = path.read_text(encoding="utf-8")
    existing = yaml.safe_load(text) or []
    missing = count - len(existing)
    if missing > len(EXTRA_ORGS):
        raise ValueError(f"最多 {len(existing) + len(EXTRA_ORGS)} 个机构")
    blocks = []
    for number, (org_id, name, _) in enumerate(EXTRA_ORGS[:max(missing, 0)]):
        code = f"77002{number + 1:03d}X"
        blocks.append(
            f"- 标识: {org_id}\n  名称: {name}\n  简称: {name.replace('示例区', '区')}\n"
            f'  机构代码: "{code}"\n  类型: 部门\n  上级: qzf\n  公开指南:\n'
            f"    工作机构: {name}办公室\n    地址: 示例区府前路{number + 2}号\n"
            f'    邮编: "5109{number + 10:02d}"\n    电话: 020-8700{number + 1000:04d}\n'
            "    办公时间: 工作日上午9:00—12:00，下午14:00—17:30（法定节假日除外）\n")
    if blocks:
        path.write_text(text.rstrip("\n") + "\n\n" + "\n".join(blocks), encoding="utf-8")


def title_for(rng: random.Random, category: str, org_name: str, year: int, serial: int, org_id: str):
    s = rng.choice(SUBJECTS)
    doc_no = None
    if category == "政策文件":
        doc_no = f"{_doc_prefix(org_id)}〔{year}〕{serial}号"
        return f"{org_name}关于印发《示例区{s}{rng.choice(KINDS)}》的通知", s, doc_no
    if category == "政策解读":
        return f"《示例区{s}{rng.choice(KINDS)}》政策解读", s, None
    if category == "部门动态":
        return org_name.replace("示例区", "区") + rng.choice(EVENTS).format(s=s), s, None
    if category == "公告公示":
        return f"{org_name}{year}年" + rng.choice(NOTICES).format(s=s), s, None
    if category == "财政信息":
        return f"{org_name}{year}年部门{rng.choice(['预算', '决算'])}公开", "预算", None
    if category == "政府采购":
        start = rng.randint(1, 10)
        return f"{org_name}{year}年{start}月至{start + 2}月政府采购意向", "政府采购", None
    if category == "统计信息":
        return f"{year}年{rng.choice(QUARTERS)}示例区{rng.choice(STATS)}", "统计", None
    if category == "行政执法":
        doc_no = f"{_punish_prefix(org_id)}〔{year}〕{serial}号"
        return f"{org_name}行政处罚决定书（{doc_no}）", "行政处罚", doc_no
    if category == "人事信息":
        return f"{org_name}{year}年公开招聘{rng.choice(ROLES)}公告", "招聘", None
    if category == "规划计划":
        return f"{org_name}{year}年{s}工作计划", s, None
    if category == "工作报告":
        return f"{org_name}{year}年{s}工作总结", s, None
    return f"{org_name}{s}工作情况", s, None


def entry_text(rng: random.Random, sentences: list[str], ref, org, year: int, serial: int, day: date,
               policies: Counter | None = None) -> str:
    """One entry. With `policies` (scale shape) entries carry their 第二十条 items and every 政策文件
    (a 规范性文件 under 第二十条第（一）项) is counted by (org, year written), for the reports' Table 二."""
    categories = [c for c in ref.categories if c != "机关简介"]
    category = rng.choice(categories)
    title, subject, doc_no = title_for(rng, category, org.name, year, serial, org.id)
    topic = rng.choice(list(ref.topics))
    published = day + timedelta(days=rng.randint(0, 3))
    lines = [
        f"索引号: {org.code}/{year}-{serial:05d}",
        f"标题: {title}",
        f"发布机构: {org.id}",
        f"成文日期: {day.isoformat()}",
        f"发布日期: {published.isoformat()}",
    ]
    if doc_no:
        lines.append(f"文号: {doc_no}")
    lines += [f"主题分类: {topic}", f"信息类别: {category}"]
    if category == "政策文件":
        lines.append("有效性: 有效")
    if policies is not None and category in ARTICLE20:
        lines.append(f"第二十条: [{ARTICLE20[category]}]")
        if category == "政策文件":
            policies[(org.id, day.year)] += 1
    lines.append(f"关键词: [{subject}]")
    lines.append("保密审查:")
    for role in ref.review_roles:
        lines.append(f"  {role}: {{审查人: 审查员{rng.randint(1, 9)}, 日期: {day.isoformat()}}}")
    paragraphs = [rng.choice(OPENINGS).format(s=subject, org=org.name, year=year)] if rng.random() < 0.6 else []
    for number in range(rng.randint(3, 7)):
        if rng.random() < 0.3:
            paragraphs.append(f"### {'一二三四五六七'[number]}、{rng.choice(['工作目标', '主要措施', '职责分工', '保障措施', '有关要求', '基本情况'])}")
        paragraphs.append("".join(rng.choice(sentences) for _ in range(rng.randint(2, 5))))
    return "---\n" + "\n".join(lines) + "\n---\n\n" + "\n\n".join(paragraphs) + "\n"


def generate(target: Path, count: int, seed: int = 20241, orgs: int | None = None, years=YEARS,
             reports: bool | None = None) -> Path:
    """Copy the project to `target` (a new folder) and write `count` generated entries.
    `orgs`: grow data/orgs.yml of the copy to that many orgs (None: the demo's 6); `years`: the
    publication years the entries spread over. The scale benchmark uses orgs=ORG_COUNT, years=SCALE_YEARS.
    `reports` (default: with `orgs`): replace the demo's reports and registers by an annual report
    and an application register for every org and year."""
    reports = bool(orgs) if reports is None else reports
    sys.path.insert(0, str(ROOT / "src"))
    from xxgk.problems import Problems
    from xxgk.reference import load_reference

    shutil.copytree(ROOT, target, symlinks=True, ignore=lambda folder, names: [n for n in names if n in SKIP or n.endswith(".egg-info")])
    catalog = target / "docs" / "catalog"
    sentences = harvest_sentences(ROOT / "docs" / "catalog")
    shutil.rmtree(catalog, ignore_errors=True)
    if orgs:
        add_orgs(target, orgs)
    ref = load_reference(target, Problems())
    rng = random.Random(seed)
    org_list = list(ref.orgs.values())
    slots = [(org, year) for org in org_list for year in years]
    per_slot, extra = divmod(count, len(slots))
    policies = Counter() if reports else None
    taken = set() if reports else report_numbers(target)  # the demo's reports keep their 索引号
    for number, (org, year) in enumerate(slots):
        folder = catalog / org.id / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        total = per_slot + (1 if number < extra else 0)
        free = (n for n in itertools.count(1) if f"{org.code}/{year}-{n:05d}" not in taken)
        for serial in itertools.islice(free, total):
            day = date(year, 1, 2) + timedelta(days=(serial * 347 // max(total, 1)) % 355)
            text = entry_text(rng, sentences, ref, org, year, serial, day, policies)
            (folder / f"{serial:05d}.md").write_text(text, encoding="utf-8")
    if reports:
        write_reports(target, ref, org_list, years, policies, seed)
    return target


def report_numbers(project: Path) -> set[str]:
    """The 索引号 of the annual reports in data/reports/: a generated entry must not take one."""
    found = (re.search(r"^索引号:\s*(\S+)", path.read_text(encoding="utf-8"), re.M)
             for path in (project / "data" / "reports").glob("*/*.yml"))
    return {match.group(1).strip("'\"") for match in found if match}


# --- annual reports and application registers (scale shape) ----------------------------------------

CHANNELS = {"网络": 50, "邮寄": 24, "当面": 20, "传真": 3, "其他": 3}
APPLICANTS = {"自然人": 74, "商业企业": 14, "科研机构": 2, "社会公益组织": 2, "法律服务机构": 5, "其他": 3}
# Outcome weights by label prefix (the longest prefix wins); the special outcomes below are drawn apart.
OUTCOMES = {"（一）": 38, "（二）": 12, "（三）": 0, "（三）不予公开/3.": 0.3, "（三）不予公开/4.": 4,
            "（三）不予公开/5.": 1, "（三）不予公开/6.": 3, "（三）不予公开/7.": 1, "（三）不予公开/8.": 1,
            "（四）无法提供/1.": 18, "（四）无法提供/2.": 4, "（五）不予处理/1.": 4, "（五）不予处理/2.": 3,
            "（五）不予处理/3.": 1, "（五）不予处理/4.": 0.5, "（五）不予处理/5.": 1, "（六）其他处理": 1}
UNCLEAR, ABANDONED, UNPAID = "补正后申请内容仍不明确", "逾期不补正", "未按收费通知要求缴纳费用"
SPECIAL = (UNCLEAR, ABANDONED, UNPAID)
ASKED = ["{s}的相关文件", "{s}项目的审批材料", "{s}资金的使用情况", "{s}工作的实施方案", "{s}的检查结果",
         "{s}项目的招标文件", "{s}的会议纪要", "{s}政策的制定依据", "{s}的统计数据", "{s}的验收材料"]
NOTES = {"correction": "申请内容不明确，一次性告知补正", "consult": "征求相关单位意见",
         "extension": "涉及信息较多，需调阅档案，经办公室负责人批准延期答复", "abandoned": "申请人逾期未补正",
         "fee": "申请数量明显超过合理范围，按件收取信息处理费"}

INTROS = ["{year}年，{org}坚持以公开为常态、不公开为例外，围绕{s}等重点工作深化政务公开。",
          "{year}年，{org}认真贯彻落实《条例》，把政务公开与{s}工作同部署、同推进。",
          "{year}年，{org}以公开促落实、促规范、促服务，重点做好{s}领域的信息公开。",
          "{year}年，{org}对照年度政务公开工作要点，结合{s}工作推进政府信息公开。"]
ACTIVE = ["围绕{s}，及时发布政策文件并同步开展解读。", "对涉及群众切身利益的{s}信息，做到应公开尽公开。",
          "按季度更新{s}相关信息，方便公众查询。", "在门户网站设置{s}专题，集中发布政策、进展和成效。",
          "重要政策文件发布时同步发布解读材料，解读形式包括图解、问答和视频。"]
APPLY = ["严格执行依申请公开登记、审核、答复制度，答复文书均经法制审核。",
         "对申请内容不明确的，一次性告知申请人补正。", "规范答复文书格式，做到说理充分、救济途径告知完整。",
         "对依申请公开中较为集中的信息，经评估后转为主动公开。"]
MANAGE = ["落实政府信息公开保密审查制度，拟公开信息经业务科室、信息发布人、分管领导三级审核后发布。",
          "开展规范性文件清理，及时公布现行有效文件目录。", "建立政府信息公开目录动态更新机制，做到信息形成后及时公开。",
          "对已公开信息开展定期检查，及时更正过时、错误信息。"]
PLATFORM = ["优化门户网站政府信息公开目录，实现按机构、类别、年度统一检索。",
            "完善政务新媒体管理，政务公开信息同步推送。", "升级门户网站检索功能，提高信息查找的便捷性。",
            "在政务服务中心设置政府信息公开查阅点，方便群众现场查阅。"]
SUPERVISE = ["将政务公开纳入年度考核，开展年中、年末两次检查。", "组织政务公开业务培训，提升工作人员业务能力。",
             "委托第三方开展政务公开评估，针对问题逐项整改。", "畅通社会监督渠道，认真处理公众意见建议。"]
GOV_SUPERVISE = "区政府将政务公开纳入绩效考核，开展社会评议，本年度未发生因政府信息公开工作被追究责任的情况。"
PROBLEMS = ["政策解读形式较为单一，图解、问答等形式运用不够。", "部分栏目信息更新不够及时。",
            "依申请公开答复文书说理有待加强。", "年末结转申请有所增加，部分申请涉及多个部门，办理周期较长。",
            "基层工作人员政务公开业务能力有待提升。"]
MEASURES = ["下一步将丰富解读形式，提高解读的针对性。", "下一步将建立栏目更新责任清单，定期检查通报。",
            "下一步将加强答复文书审核，开展典型案例学习。", "下一步将建立跨部门会商机制，压缩内部流转时间。",
            "下一步将加强业务培训，提升工作规范化水平。"]


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _outcome_weight(key: str) -> float:
    if any(word in key for word in SPECIAL):
        return 0
    prefix = max((p for p in OUTCOMES if key.startswith(p)), key=len, default=None)
    return OUTCOMES[prefix] if prefix else 1


def make_applications(rng: random.Random, cal, formats, org_id: str, year: int, count: int):
    """`count` applications received in `year`, replied on time (some with a 补正, consultation or extension)."""
    from xxgk.register.model import Application
    try:
        from xxgk.reports.applications import outcome_keys
    except ImportError:  # code before 2026-11-30, built by bench/ab_build.py with this generator
        from xxgk.register.table3 import outcome_keys

    apps, days = [], (date(year + 1, 1, 1) - date(year, 1, 1)).days
    for received in sorted(date(year, 1, 1) + timedelta(days=rng.randrange(days)) for _ in range(count)):
        app = Application("", org_id, year, {}, (), number=f"{year}-{len(apps) + 1:03d}", received=received,
                          channel=_weighted(rng, CHANNELS), applicant=_weighted(rng, APPLICANTS),
                          summary=rng.choice(ASKED).format(s=rng.choice(SUBJECTS)))
        draw = rng.random()
        special = UNCLEAR if draw < 0.02 else ABANDONED if draw < 0.05 else UNPAID if draw < 0.055 else None
        if year < 2021 and special in (ABANDONED, UNPAID):
            special = None  # the 2019 format has no such rows
        start, notes = received, []
        if special in (UNCLEAR, ABANDONED) or rng.random() < 0.08:
            app.correction_notice = cal.add_workdays(received, rng.randint(1, 6))
            notes.append(NOTES["correction"])
            if special != ABANDONED:
                app.corrected = start = app.correction_notice + timedelta(days=rng.randint(2, 12))
        if special is None and rng.random() < 0.08:
            app.consult_days = rng.randint(5, 15)
            notes.append(NOTES["consult"])
        if special is None and rng.random() < 0.06:
            app.extension_days = rng.randint(10, 20)
            app.extension_notice = cal.add_workdays(start, rng.randint(12, 19) + app.consult_days)
            notes.append(NOTES["extension"])
            app.replied = cal.add_workdays(start, rng.randint(21, 20 + app.extension_days) + app.consult_days)
        elif special == ABANDONED:
            app.replied = cal.add_workdays(app.correction_notice, rng.randint(15, 20))
            notes.append(NOTES["abandoned"])
        else:
            app.replied = cal.add_workdays(start, min(rng.randint(2, 20), rng.randint(2, 20)) + app.consult_days)
        keys = outcome_keys(formats.for_year(app.replied.year))
        if special:
            app.outcome = next(k for k in keys if special in k)
        else:
            app.outcome = rng.choices(keys, weights=[_outcome_weight(k) for k in keys])[0]
            if app.outcome.startswith("（一）") and app.replied.year >= 2021 and rng.random() < 0.03:
                app.fee = rng.randint(1, 5) * 100
                notes.append(NOTES["fee"])
        app.note = "；".join(notes) or None
        apps.append(app)
    return apps


def register_yaml(org, year: int, apps) -> str:
    head = (f"# {org.name} {year} 年政府信息公开申请登记（依申请公开办理台账），由 bench/generate_portal.py 生成。\n"
            "# 字段说明见示例台账 data/register/qzf/2022.yml。\n")
    if not apps:
        return head + "申请: []\n"
    items = []
    for a in apps:
        lines = [f"  - 编号: {a.number}", f"    收到日期: {a.received}", f"    渠道: {a.channel}",
                 f"    申请人类型: {a.applicant}", f"    内容摘要: {a.summary}"]
        if a.correction_notice:
            corrected = f", 补正日期: {a.corrected}" if a.corrected else ""
            lines.append(f"    补正: {{通知日期: {a.correction_notice}{corrected}}}")
        if a.consult_days:
            lines.append(f"    征求意见工作日: {a.consult_days}")
        if a.extension_notice:
            lines.append(f"    延期: {{告知日期: {a.extension_notice}, 工作日: {a.extension_days}}}")
        lines += [f"    办理结果: {a.outcome}", f"    答复日期: {a.replied}"]
        if a.fee:
            lines.append(f"    信息处理费: {a.fee}")
        if a.note:
            lines.append(f"    备注: {a.note}")
        items.append("\n".join(lines))
    return head + "申请:\n" + "\n\n".join(items) + "\n"


def table2_values(rng: random.Random, fmt, profile: dict, issued: int, stock: dict) -> dict:
    """Table 二 by (block, row, column): 规范性文件 issued = the catalog's, stock carried year to year (R7)."""
    values = {}
    for block in fmt.tables["表二"].blocks:
        for row in block.rows:
            scale = profile.get(row, 0)
            for column in block.columns:
                label, value = column.label, 0
                if row.endswith("规范性文件"):
                    if label in ("本年制发件数", "本年新制作数量", "本年新公开数量"):
                        value = issued
                    elif label == "本年废止件数":
                        value = stock["废止"]
                    elif label in ("现行有效件数", "对外公开总数量"):
                        value = stock["现行有效"]
                elif row == "规章":
                    value = 0
                elif label in ("本年处理决定数量", "处理决定数量"):
                    value = int(scale * rng.uniform(0.7, 1.3))
                elif label == "上一年项目数量":
                    value = profile.get(row + "项目", 0)
                elif label == "本年增/减":
                    value = rng.choice([0, 0, 0, 1, -1]) if profile.get(row + "项目") else 0
                elif label == "本年收费金额（单位：万元）":
                    value = Decimal(f"{scale * rng.uniform(0.8, 1.2):.4f}") if scale else 0
                elif label == "采购项目数量":
                    value = rng.randint(1, 12)
                elif label == "采购总金额":
                    value = Decimal(f"{rng.uniform(5, 300):.2f}")
                values[(block.caption, row, label)] = value
    return values


def table4_row(rng: random.Random, fmt, applications: int) -> list[int]:
    """Table 四 (one data row): a few cases for orgs with many applications, mostly upheld."""
    row = []
    for col in fmt.tables["表四"].cols:
        if col.total:
            row.append(0)
            continue
        chance = {"结果维持": 0.5, "结果纠正": 0.1, "其他结果": 0.1, "尚未审结": 0.1}.get(col.label, 0)
        row.append(sum(1 for _ in range(applications // 8) if rng.random() < chance))
    return row


def narrative(rng: random.Random, fmt, org, year: int, blocks: dict, answered_open: int, table4: dict) -> str:
    s = rng.choice(SUBJECTS)
    norm = next((v for (caption, row, label), v in blocks.items()
                 if row.endswith("规范性文件") and label in ("现行有效件数", "对外公开总数量")), 0)
    active = ("本年度通过政府信息公开目录主动公开政府信息{{ 统计.主动公开 }}条，其中政策文件{{ 统计.主动公开.政策文件 }}条，"
              f"现行有效的规范性文件{norm}件。" + "".join(a.format(s=s) for a in rng.sample(ACTIVE, 2)))
    apply = ("全年共收到政府信息公开申请{{ 台账.本年新收 }}件，上年结转{{ 台账.上年结转 }}件；办结{{ 台账.办结 }}件，"
             "结转下年度继续办理{{ 台账.结转下年度 }}件。"
             f"其中予以公开{answered_open}件。本年度被申请行政复议{table4['行政复议']}件、"
             f"被提起行政诉讼{table4['行政诉讼']}件。" + rng.choice(APPLY))
    supervise = rng.choice(SUPERVISE) + (GOV_SUPERVISE if org.type == "政府" else "")
    parts = [
        f"本报告由{org.name}根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《{fmt.name}》编制。"
        f"本报告所列数据的统计期限为{year}年1月1日至12月31日。",
        "## 一、总体情况", rng.choice(INTROS).format(year=year, org=org.name, s=s),
        "### （一）主动公开", active, "### （二）依申请公开", apply,
        "### （三）政府信息管理", "".join(rng.sample(MANAGE, 2)),
        "### （四）政府信息公开平台建设", rng.choice(PLATFORM), "### （五）监督保障", supervise,
        "## 五、存在的主要问题及改进情况",
        "".join(p + m for p, m in rng.sample(list(zip(PROBLEMS, MEASURES)), rng.randint(1, 2))),
        "## 六、其他需要报告的事项",
        "依据《政府信息公开信息处理费管理办法》规定，本年实际收取信息处理费共计{{ 台账.信息处理费 }}元。"
        if year >= 2021 else "无。",
    ]
    assert [p[3:] for p in parts if p.startswith("## ")] == [x.title for x in fmt.narrative_sections]
    return "\n\n".join(parts) + "\n"


def publication_date(rng: random.Random, fmt, org, year: int) -> date:
    """By the deadline of 条例第四十九条 (部门 1月31日, 政府 3月31日); about 1 in 25 a little late."""
    month, day = fmt.deadlines[org.type]
    deadline = date(year + 1, month, day)
    if rng.random() < 0.04:
        return deadline + timedelta(days=rng.randint(1, 20))
    return deadline - timedelta(days=rng.randint(0, min(25, (deadline - date(year + 1, 1, 2)).days)))


def write_reports(project: Path, ref, orgs, years, policies: Counter, seed: int) -> None:
    """An application register and an annual report for every org and year, replacing the demo's.
    Table 三 is the engine's own count of the register (xxgk.register.table3.matrix), as `xxgk report new`
    fills it; the narrative quotes the register and catalog through {{ 台账.… }} / {{ 统计.… }}."""
    from xxgk.problems import Problems
    from xxgk.register.table3 import TABLE, grid, matrix
    from xxgk.reports.formats import load_formats
    from xxgk.reports.interchange import tables_yaml
    from xxgk.reports.model import OMITTED

    for folder in (project / "data" / "reports", project / "data" / "register", project / "docs" / "reports"):
        for child in folder.iterdir() if folder.is_dir() else []:
            if child.is_dir():
                shutil.rmtree(child)
    formats = load_formats(project, Problems())
    rng = random.Random(f"{seed}-reports")  # independent of --count: the same reports at every N
    for org in orgs:
        government = org.type == "政府"
        profile = {"行政许可": rng.choice([0, 0, 20, 80, 300, 1500]) * (3 if government else 1),
                   "其他对外管理服务事项": rng.choice([0, 10, 40]), "行政处罚": rng.choice([0, 0, 3, 15, 60]),
                   "行政强制": rng.choice([0, 0, 0, 2]), "行政事业性收费": rng.choice([0, 0, 0, 1.5, 12])}
        for row in ("行政许可", "其他对外管理服务事项", "行政处罚", "行政强制", "行政事业性收费"):
            profile[row + "项目"] = rng.randint(1, 30) if profile[row] else 0
        stock = {"现行有效": rng.randint(5, 40), "废止": 0}
        apps = []
        for year in years:
            count = rng.randint(10, 30) if government else int(rng.triangular(0, 31, 2))
            mine = make_applications(rng, ref.calendar, formats, org.id, year, count)
            apps += mine
            path = project / "data" / "register" / org.id / f"{year}.yml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(register_yaml(org, year, mine), encoding="utf-8")

            fmt = formats.for_year(year)
            issued = policies[(org.id, year)]
            stock["废止"] = min(rng.randint(0, 3), stock["现行有效"])  # the same draws at every N
            stock["现行有效"] += issued - stock["废止"]
            blocks = table2_values(rng, fmt, profile, issued, stock)
            table3 = matrix(apps, year, fmt)
            table4 = table4_row(rng, fmt, count)
            t3, t4 = grid(fmt), fmt.tables["表四"]
            opened = sum(v for v, col in zip(table3[t3.row_index("（一）予以公开")], t3.cols)
                         if v is not OMITTED and not col.total)
            groups = {g: sum(table4[c] for c in cols if not t4.cols[c].total) for g, cols in t4.groups().items()}
            cases = {"行政复议": groups.get("行政复议", 0),
                     "行政诉讼": groups.get("未经复议直接起诉", 0) + groups.get("复议后起诉", 0)}
            published = publication_date(rng, fmt, org, year)
            data = (f"# {fmt.report_title(org.name, year)}：表格数据（二、三、四部分）\n"
                    f"# 适用格式：《{fmt.name}》（{fmt.doc_no or fmt.id}）。正文（其余各部分）写在 docs/reports/{org.id}/{year}.md。\n"
                    f"# 由 bench/generate_portal.py 生成；表三按依申请公开登记台账 data/register/{org.id}/ 计算。\n"
                    f"发布日期: {published}\n\n"
                    + tables_yaml(fmt, blocks, {TABLE: table3, "表四": [table4]}))
            path = project / "data" / "reports" / org.id / f"{year}.yml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(data, encoding="utf-8")
            path = project / "docs" / "reports" / org.id / f"{year}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(narrative(rng, fmt, org, year, blocks, opened, cases), encoding="utf-8")


def build(project: Path, site: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"),
                             "-d", str(site)], cwd=project, capture_output=True, text=True,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    if result.returncode != 0:
        raise RuntimeError(f"生成的门户构建失败：\n{result.stderr[-3000:]}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="生成用于测量检索下载量的大型示例门户")
    parser.add_argument("--count", type=int, default=10000, help="目录条目数，默认 10000")
    parser.add_argument("--out", type=Path, default=None, help="输出目录（默认新建临时目录）")
    parser.add_argument("--scale", action="store_true",
                        help=f"扩展规模基准的形态：{ORG_COUNT} 个机构、{SCALE_YEARS[0]}—{SCALE_YEARS[-1]} 共 6 年")
    parser.add_argument("--seed", type=int, default=20241, help="随机种子（同一种子生成同样的门户）")
    parser.add_argument("--build", action="store_true", help="生成后用 mkdocs 构建到 <输出目录>/site")
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="xxgk-portal-"))
    shape = dict(orgs=ORG_COUNT, years=SCALE_YEARS) if args.scale else {}
    project = generate(out / "project", args.count, args.seed, **shape)
    print(f"已生成 {args.count} 个条目：{project}")
    if args.build:
        build(project, out / "site")
        print(f"已构建：{out / 'site'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
