"""Hostile and broken input: never a traceback, always a located Chinese error."""

import re
from datetime import date

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import front_matter, make_project, run_mkdocs_build, run_xxgk
from xxgk.catalog import entry_fields
from xxgk.problems import InputError
from xxgk.project import load_project
from xxgk.reference import Reference
from xxgk.yamlio import parse_yaml

CJK = re.compile(r"[\u4e00-\u9fff]")
KEYS = [f.key for f in entry_fields(Reference())] + ["发布曰期", "title", "template", "<<"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30), st.floats(),
    st.text(max_size=30), st.sampled_from(["2024-02-30", "2024-13-01", "0000-00-00", "2024-03-05", "有效", "swj",
                                           "770010036/2024-00001", "\u202e\u200b", "（一）", "🙂", "\t"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.sampled_from(KEYS + ["审查人", "日期", "名称", "文件"]), inner, max_size=4),
                      max_leaves=12)


def assert_located_chinese(problems):
    for problem in problems:
        assert problem.file and problem.line is not None, problem
        assert CJK.search(problem.message), problem


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_parse_yaml_raises_only_located_errors(text):
    try:
        parse_yaml(text, "data/x.yml")
    except InputError as exc:
        assert_located_chinese([exc.problem])


@pytest.fixture(scope="module")
def project_root(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("fuzz"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.dictionaries(st.sampled_from(KEYS), values, max_size=8), base=st.booleans(),
       bom=st.booleans(), crlf=st.booleans(), tabs=st.booleans())
def test_random_front_matter_gives_located_errors(project_root, fields, base, bom, crlf, tabs):
    text = yaml.safe_dump(fields, allow_unicode=True, default_flow_style=False) if fields else ""
    if base:  # a valid entry with the random fields appended (duplicates included)
        text = front_matter()[4:].split("\n---\n")[0] + "\n" + text
    if tabs:
        text = text.replace("  ", "\t", 1)
    document = f"---\n{text}---\n\n正文\n"
    if crlf:
        document = document.replace("\n", "\r\n")
    path = project_root / "docs/catalog/swj/2024/00001.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\ufeff" if bom else "").encode() + document.encode("utf-8", errors="surrogatepass"))
    project = load_project(project_root, date(2026, 11, 27))
    assert_located_chinese(project.problems)
    for entry in project.published():  # whatever passes the checks is complete
        assert entry.index_no and entry.title and entry.published and entry.review


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" + "".join(
    f"{chr(99 + i)}: &{chr(99 + i)} [{', '.join([f'*{chr(98 + i)}'] * 9)}]\n" for i in range(8))
NESTED = "标题: " + "[" * 60 + "]" * 60 + "\n"

HOSTILE_DOCUMENTS = {
    "python-tag": "---\n标题: !!python/object/apply:os.system ['touch /tmp/xxgk-pwned']\n---\n",
    "custom-tag": "---\n标题: !自定义 甲\n---\n",
    "alias-bomb": "---\n" + ALIAS_BOMB + "---\n",
    "deep-nesting": "---\n" + NESTED + "---\n",
    "tab-indent": "---\n保密审查:\n\t业务科室: {审查人: 甲, 日期: 2024-03-04}\n---\n",
    "huge-number": "---\n文号: 1" + "0" * 400 + "\n---\n",
    "not-a-mapping": "---\n- 甲\n- 乙\n---\n",
    "unclosed": "---\n标题: 甲\n",
    "binary": "---\n标题: !!binary 5L2g5aW9\n---\n",
    "invalid-utf8": None,
}


@pytest.mark.parametrize("case", HOSTILE_DOCUMENTS)
def test_hostile_documents_in_check_and_build(tmp_path, case):
    document = HOSTILE_DOCUMENTS[case]
    root = make_project(tmp_path)
    path = root / "docs/catalog/swj/2024/00001.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"---\n\xff\xfe\xe4\n---\n" if document is None else document.encode())
    check = run_xxgk(root, "check")
    assert check.returncode == 1 and "Traceback" not in check.stdout + check.stderr
    assert re.search(r"错误 docs/catalog/swj/2024/00001\.md:\d+", check.stdout), check.stdout
    build = run_mkdocs_build(root, tmp_path / "site")
    assert build.returncode != 0 and "Traceback" not in build.stderr
    assert "docs/catalog/swj/2024/00001.md:" in build.stderr


def test_bom_and_crlf_entry_is_fine(tmp_path):
    root = make_project(tmp_path)
    path = root / "docs/catalog/swj/2024/00001.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xef\xbb\xbf" + front_matter().replace("\n", "\r\n").encode())
    assert run_xxgk(root, "check").returncode == 0
    assert run_mkdocs_build(root, tmp_path / "site").returncode == 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(["orgs.yml", "vocab.yml", "rules.yml", "holidays.yml", "safety.yml"]),
       data=st.one_of(values, st.dictionaries(st.sampled_from(
           ["信息类别", "主题分类", "第二十条", "有效性", "保密审查环节", "索引号格式", "政策解读提醒天数",
            "公开号码", 2031, "2031"]), values, max_size=4), st.lists(values, max_size=3)))
def test_random_reference_data_gives_located_errors(tmp_path_factory, name, data):
    root = make_project(tmp_path_factory.mktemp("ref"))
    (root / "data" / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    project = load_project(root, date(2026, 11, 27))
    assert_located_chinese(project.problems)


REPORT_DOCUMENTS = {
    "python-tag.yml": "表三: !!python/object/apply:os.system ['true']\n",
    "alias-bomb.yml": ALIAS_BOMB,
    "deep.yml": "表三: " + "[" * 60 + "]" * 60 + "\n",
    "tabs.yml": "表三:\n\t自然人: 1\n",
    "duplicate.yml": "发布日期: 2021-01-20\n发布日期: 2021-01-21\n",
    "huge.yml": "表四:\n  行政复议: [1" + "0" * 400 + ", 0, 0, 0]\n",
    "wrong-types.yml": "表三: [1, 2]\n表二: 甲\n草稿: 是\n",
    "not-utf8.yml": None,
    "broken.json": '{"agency": "示例区商务局", "year": 2020,',
    "types.json": '{"agency": 1, "year": "二〇二〇", "table3": [], "table4": {"行政复议": "甲"}}',
    "duplicate.json": '{"agency": "示例区商务局", "agency": "乙", "year": 2020}',
    "nan.json": '{"agency": "示例区商务局", "year": 2020, "format": "2019", "table4": {"行政复议": [NaN, 1e999, -1, 0, 0]}}',
}


@pytest.mark.parametrize("name", REPORT_DOCUMENTS)
def test_hostile_report_files_in_report_check(tmp_path, name):
    root = make_project(tmp_path)
    path = tmp_path / name
    document = REPORT_DOCUMENTS[name]
    path.write_bytes(b"\xff\xfe\n" if document is None else document.encode())
    result = run_xxgk(root, "report", "check", str(path))
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert re.search(r"错误 \S+:\d+ ", result.stdout), result.stdout
