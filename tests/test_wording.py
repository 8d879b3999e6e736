"""用语检查 (issue 23): wrong and outdated wording from data/wording.yml, located, in everything published."""

from datetime import date

from conftest import ROOT, front_matter, make_project, run_mkdocs_build, run_xxgk
from xxgk.problems import Problems
from xxgk.wording import load_wording

WORDING = load_wording(ROOT, Problems())


def forms(text: str, written=date(2025, 6, 1), allowed=frozenset()) -> list[tuple[str, int]]:
    return [(hit.form, hit.line) for hit in WORDING.find(text, 10, written, allowed)]


def test_rules_are_declared_in_data():
    problems = Problems()
    wording = load_wording(ROOT, problems)
    assert not problems, [str(p) for p in problems]
    assert len(wording.rules) >= 80
    assert {r.kind for r in wording.rules} == {"提法", "机构", "法规", "时期"}


def test_a_form_split_by_blanks_line_breaks_or_emphasis_is_found_at_its_line():
    assert forms("开展扫黑险恶专项斗争") == [("扫黑险恶", 10)]
    assert forms("第一行。\n开展扫黑　险恶专项斗争") == [("扫黑险恶", 11)]
    assert forms("开展扫黑\n险恶专项斗争") == [("扫黑险恶", 10)]
    assert forms("开展**扫黑**险恶专项斗争") == [("扫黑险恶", 10)]
    assert forms("| 1 | 扫黑险恶线索摸排 |") == [("扫黑险恶", 10)]
    assert forms("扫黑\n\n险恶") == []  # two paragraphs


def test_renamed_institutions_in_new_documents_only_and_not_when_cited():
    assert forms("根据国家工商行政管理总局的部署") == [("国家工商行政管理总局", 10)]
    assert forms("根据国家工商行政管理总局的部署", written=date(2017, 5, 1)) == []
    assert forms("原国家工商行政管理总局的规定继续适用") == []
    assert forms("《国家工商行政管理总局关于做好登记工作的通知》") == []
    assert forms("国家工商行政管理总局关于做好登记工作的通知（工商企注字〔2016〕18号）") == []
    assert forms("国家工商行政管理总局令第71号") == []
    assert forms("加强农业部门和环境保护部门协作") == []
    assert forms("国家卫生计生委印发") == [("国家卫生计生委", 10)]  # the longer form, once
    assert forms("根据国家工商行政管理总局的部署", allowed={"国家工商行政管理总局"}) == []


def test_repealed_laws_are_found_inside_book_title_marks():
    assert forms("依据《中华人民共和国合同法》签订协议") == [("中华人民共和国合同法", 10)]
    assert forms("依据原《中华人民共和国合同法》签订的协议") == []
    assert forms("依据《中华人民共和国合同法》签订协议", written=date(2020, 5, 1)) == []


def test_a_finding_fails_check_and_build_located_and_a_draft_only_warns(tmp_path):
    body = "正文第一段。\n\n我局召开扫黑险恶专项斗争推进会。\n"
    entry = front_matter(标题="示例区商务局关于转发国家工商行政管理总局有关文件的通知").replace("正文内容。\n", body)
    root = make_project(tmp_path, {"swj/2024/00001.md": entry})
    check = run_xxgk(root, "check")
    assert check.returncode == 1
    lines = entry.split("\n")
    body_line = lines.index("我局召开扫黑险恶专项斗争推进会。") + 1
    title_line = next(i for i, line in enumerate(lines, 1) if line.startswith("标题:"))
    assert (f"错误 docs/catalog/swj/2024/00001.md:{body_line} 用语“扫黑险恶”有误，应为“扫黑除恶”" in check.stdout), check.stdout
    assert (f"警告 docs/catalog/swj/2024/00001.md:{title_line} 字段“标题”：用语“国家工商行政管理总局”有误" in check.stdout)
    build = run_mkdocs_build(root, tmp_path / "site")
    assert build.returncode != 0 and "扫黑险恶" in build.stderr

    draft = entry.replace("---\n\n", "草稿: true\n---\n\n", 1)
    (root / "docs/catalog/swj/2024/00001.md").write_text(draft, encoding="utf-8")
    check = run_xxgk(root, "check")
    assert check.returncode == 0 and "警告（草稿中的问题）" in check.stdout and "扫黑险恶" in check.stdout


def test_an_entry_states_a_deliberate_old_name_with_a_reason(tmp_path):
    entry = front_matter(标题="关于转发国家工商行政管理总局有关文件的通知").replace(
        "---\n\n", "用语例外:\n  - {用语: 国家工商行政管理总局, 理由: 转载2017年的历史文件}\n---\n\n", 1)
    root = make_project(tmp_path, {"swj/2024/00001.md": entry})
    check = run_xxgk(root, "check")
    assert check.returncode == 0 and "用语“" not in check.stdout, check.stdout
    missing_reason = entry.replace(", 理由: 转载2017年的历史文件", "")
    (root / "docs/catalog/swj/2024/00001.md").write_text(missing_reason, encoding="utf-8")
    check = run_xxgk(root, "check")
    assert check.returncode == 1 and "字段“理由”：缺少必填字段" in check.stdout


def test_report_narratives_and_pages_are_checked(tmp_path):
    root = make_project(tmp_path)
    for folder in ("data/reports/swj", "docs/reports/swj"):
        (root / folder).mkdir(parents=True)
    (root / "data/reports/swj/2021.yml").write_text((ROOT / "data/reports/swj/2021.yml").read_text(encoding="utf-8"),
                                                    encoding="utf-8")
    narrative = (ROOT / "docs/reports/swj/2021.md").read_text(encoding="utf-8") + "\n持续推进两学一作学习教育。\n"
    (root / "docs/reports/swj/2021.md").write_text(narrative, encoding="utf-8")
    (root / "docs/about.md").write_text("# 关于本站\n\n本站由示例区乡村振新办公室维护。\n", encoding="utf-8")
    check = run_xxgk(root, "check")
    assert check.returncode == 1
    assert f"错误 docs/reports/swj/2021.md:{narrative.count(chr(10))} 用语“两学一作”" in check.stdout, check.stdout
    assert "错误 docs/about.md:3 用语“乡村振新”" in check.stdout


def test_the_demo_has_no_wording_finding():
    check = run_xxgk(ROOT, "check")
    assert "用语“" not in check.stdout
