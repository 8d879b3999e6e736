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
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = {".git", ".venv", "site", "tests", "bench", ".pytest_cache", ".hypothesis", "__pycache__"}
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


def entry_text(rng: random.Random, sentences: list[str], ref, org, year: int, serial: int, day: date) -> str:
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


def generate(target: Path, count: int, seed: int = 20241, orgs: int | None = None, years=YEARS) -> Path:
    """Copy the project to `target` (a new folder) and write `count` generated entries.
    `orgs`: grow data/orgs.yml of the copy to that many orgs (None: the demo's 6); `years`: the
    publication years the entries spread over. The scale benchmark uses orgs=ORG_COUNT, years=SCALE_YEARS."""
    sys.path.insert(0, str(ROOT / "src"))
    from xxgk.problems import Problems
    from xxgk.reference import load_reference

    shutil.copytree(ROOT, target, ignore=lambda folder, names: [n for n in names if n in SKIP or n.endswith(".egg-info")])
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
    for number, (org, year) in enumerate(slots):
        folder = catalog / org.id / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        total = per_slot + (1 if number < extra else 0)
        for serial in range(1, total + 1):
            day = date(year, 1, 2) + timedelta(days=(serial * 347 // max(total, 1)) % 355)
            text = entry_text(rng, sentences, ref, org, year, serial, day)
            (folder / f"{serial:05d}.md").write_text(text, encoding="utf-8")
    return target


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
