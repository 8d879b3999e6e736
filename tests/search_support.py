"""A small portal with known content for the search tests (the demo content keeps changing).

Two canaries: a unique word in a draft and in an embargoed entry, which must never reach the
index, and the same kind of word in a published entry, which must (so the check can fail).
"""

from __future__ import annotations

from pathlib import Path

from conftest import make_project, run_mkdocs_build

DRAFT_CANARY = "xxgkcanarydraft7q2"
EMBARGO_CANARY = "xxgkcanaryembargo7q2"
LIVE_CANARY = "xxgkcanarylive7q2"

CODES = {"qzf": "77001001X", "swj": "770010036", "fgj": "770010044", "czj": "770010052",
         "scjgj": "770010060", "jyj": "770010079"}


def entry(org: str, number: str, title: str, category: str, topic: str, written: str, published: str,
          body: str, **extra) -> tuple[str, str]:
    """(path under docs/catalog/, text) of an entry; number is "2024-00001"."""
    year, serial = number.split("-")
    fields = {
        "索引号": f"{CODES[org]}/{number}",
        "标题": title,
        "发布机构": org,
        "成文日期": written,
        "发布日期": published,
        "主题分类": topic,
        "信息类别": category,
        "保密审查": "".join(f"\n  {role}: {{审查人: 审查员, 日期: {written}}}"
                        for role in ("业务科室", "信息发布人", "分管领导")),
    }
    fields.update(extra)
    head = "\n".join(f"{k}: {v}" for k, v in fields.items() if v is not None)
    return f"{org}/{year}/{serial}.md", f"---\n{head}\n---\n\n{body}\n"


ENTRIES = dict([
    entry("swj", "2024-00001", "示例区商务局关于印发《示例区促进外商投资若干措施》的通知", "政策文件",
          "商贸、海关、旅游\\对外经贸合作", "2024-03-01", "2024-03-05",
          "为促进外商投资，对新设外商投资企业给予开办奖励，对外资总部企业给予租金补贴。"
          f"本措施自印发之日起施行。{LIVE_CANARY}",
          文号="示商发〔2024〕3号", 有效性="有效", 关键词="[外商投资, 外资总部]"),
    entry("swj", "2024-00002", "《示例区促进外商投资若干措施》政策解读", "政策解读",
          "商贸、海关、旅游\\对外经贸合作", "2024-03-06", "2024-03-08",
          "解读奖励标准、申报时间和外商投资企业服务专员制度。", 相关="[770010036/2024-00001]"),
    entry("czj", "2024-00001", "示例区财政局2024年部门预算公开", "财政信息", "财政、金融、审计\\财政",
          "2024-02-01", "2024-02-05", "本部门2024年收支预算总计1860万元，三公经费预算比上年下降5%。"),
    entry("czj", "2023-00001", "示例区财政局2023年部门决算公开", "财政信息", "财政、金融、审计\\财政",
          "2023-08-01", "2023-08-03", "本部门2023年决算收入1720万元，决算支出与年初预算基本一致。"),
    entry("jyj", "2024-00001", "示例区教育局2024年部门预算公开", "财政信息", "财政、金融、审计\\财政",
          "2024-02-02", "2024-02-06", "本部门2024年预算安排义务教育经费和课后服务补助。"),
    entry("fgj", "2024-00001", "示例区发展和改革局关于优化营商环境的实施意见", "政策文件",
          "综合政务\\政府工作", "2024-05-06", "2024-05-08",
          "推行证明事项告知承诺制，政务服务事项实现一网通办，持续优化营商环境。",
          文号="示发改〔2024〕6号", 有效性="有效"),
    entry("scjgj", "2022-00001", "示例区市场监督管理局行政处罚决定书（示市监处罚〔2022〕7号）", "行政执法",
          "市场监管、安全生产监管\\市场监管", "2022-06-01", "2022-06-02",
          "当事人销售过期食品，依法给予警告并处罚款。", 文号="示市监处罚〔2022〕7号"),
    entry("qzf", "2024-00001", "示例区人民政府关于草稿事项的通知", "部门动态", "综合政务\\政务公开",
          "2024-04-01", "2024-04-02", f"尚未审定的草稿内容 {DRAFT_CANARY}。", 草稿="true"),
    entry("qzf", "2099-00001", "示例区人民政府关于未来事项的公告", "公告公示", "综合政务\\政务公开",
          "2099-01-05", "2099-01-06", f"尚未到发布日期的内容 {EMBARGO_CANARY}。"),
])

# A page outside the catalog that asks to be indexed (as reports and guides do).
GUIDE = """---
search_index:
  发布机构: qzf
  信息类别: 工作报告
  发布日期: 2024-01-20
---

# 示例区政府信息公开指南

申请政府信息公开可以当面提交、邮寄或在线提交申请表。
"""
UNLISTED = "# 不参与检索的页面\n\n这一页没有 search_index，不进入检索。\n"


def build_search_site(tmp_path: Path) -> tuple[Path, Path]:
    """(project root, built site) of the search test portal."""
    root = make_project(tmp_path, ENTRIES)
    (root / "docs" / "opt-in.md").write_text(GUIDE, encoding="utf-8")
    (root / "docs" / "unlisted.md").write_text(UNLISTED, encoding="utf-8")
    site = tmp_path / "site"
    result = run_mkdocs_build(root, site)
    assert result.returncode == 0, result.stderr[-4000:]
    return root, site
