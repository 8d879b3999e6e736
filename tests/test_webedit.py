"""网页编辑 (Decap CMS): its own site (`xxgk build --editor`, admin/), never part of the public portal;
its configuration is the project's schema, its page keeps its own policy; bad settings are located messages."""

import gzip
import re
from datetime import date

import pytest
import yaml

from conftest import ROOT, make_project, run_mkdocs_build, run_xxgk
from xxgk import catalog, webedit
from xxgk.project import load_project


@pytest.fixture(scope="module")
def editor_site(tmp_path_factory):
    """The demo's editor site, built as the internal host gets it."""
    site = tmp_path_factory.mktemp("editor") / "site-editor"
    result = run_xxgk(ROOT, "build", "--editor", "--site", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "编辑网站已生成" in result.stdout
    return site


def admin_config(site):
    return yaml.safe_load((site / "admin/config.yml").read_text(encoding="utf-8"))


def published_bytes(site):
    """Every file of a built site as the visitor receives it, the search index unpacked."""
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            yield path, gzip.decompress(data) if path.suffix in (".pf_fragment", ".pf_index", ".pf_meta") else data


def test_the_public_site_has_no_editor_and_names_no_repository(demo_site):
    repository = yaml.safe_load((ROOT / "data/portal.yml").read_text(encoding="utf-8"))["网页编辑"]["后端"]["仓库"]
    assert repository and (ROOT / "node_modules/decap-cms").exists()  # switched on, Decap installed: still absent
    assert not (demo_site / "admin").exists() and not list(demo_site.rglob("config.yml"))
    found = [(path.relative_to(demo_site).as_posix(), word) for path, data in published_bytes(demo_site)
             for word in (repository, "decap", "netlify-cms")
             if re.search(re.escape(word.encode()), data, re.I)]
    assert not found
    assert not [p for p, data in published_bytes(demo_site) if p.suffix == ".html" and b"'unsafe-eval'" in data]


def fields_by_name(fields):
    return {f["name"]: f for f in fields}


def test_catalog_collection_follows_the_schema_and_the_vocabularies(editor_site):
    ref = load_project(ROOT, date.today()).ref
    config = admin_config(editor_site)
    assert config["locale"] == "zh_Hans" and config["publish_mode"] == "editorial_workflow"
    entries = config["collections"][0]
    assert entries["folder"] == "docs/catalog" and entries["format"] == "frontmatter"
    assert entries["path"] == "{{发布机构}}/{{year}}/{{slug}}"
    assert entries["media_folder"] == entries["public_folder"] == "files"  # beside the entry
    # Every field of the schema, in its order (Decap writes keys in this order), then the body.
    assert [f["name"] for f in entries["fields"]] == [f.key for f in catalog.entry_fields(ref)] + ["body"]
    assert all(f["label"] == f["name"] for f in entries["fields"][:-1])
    fields = fields_by_name(entries["fields"])
    assert fields["索引号"]["widget"] == "hidden"  # the editor never types it
    assert [o["value"] for o in fields["发布机构"]["options"]] == list(ref.orgs)
    assert fields["发布机构"]["options"][1]["label"] == "示例区商务局"
    assert fields["主题分类"]["options"] == list(ref.topics)
    assert fields["信息类别"]["options"] == list(ref.categories)
    assert fields["有效性"]["options"] == list(ref.validity) and not fields["有效性"]["required"]
    assert fields["第二十条"]["multiple"] and fields["第二十条"]["options"][0]["value"] == "（一）"
    for name in ("成文日期", "发布日期"):
        assert fields[name]["format"] == "YYYY-MM-DD" and fields[name]["time_format"] is False
    required = {f.key for f in catalog.entry_fields(ref) if f.required}
    assert {n for n, f in fields.items() if f.get("required", True)} == required | {"body"}
    steps = fields["保密审查"]["fields"]
    assert [s["name"] for s in steps] == list(ref.review_roles)
    assert [f["name"] for f in steps[0]["fields"]] == ["审查人", "日期"]
    attachment = fields_by_name(fields["附件"]["fields"])
    assert attachment["文件"]["widget"] == "file" and attachment["名称"]["required"]
    assert fields["相关"]["widget"] == "relation" and fields["相关"]["value_field"] == "索引号"
    assert fields["草稿"]["widget"] == "boolean"
    assert "pdf" in fields["附件"]["hint"]


def test_report_narratives_are_a_collection_of_bodies(editor_site):
    reports = admin_config(editor_site)["collections"][1]
    assert reports["folder"] == "docs/reports" and reports["create"] is False
    assert [f["name"] for f in reports["fields"]] == ["body"] and reports["fields"][0]["modes"] == ["raw"]


def test_the_editor_site_is_admin_alone_with_its_own_policy(editor_site, demo_site):
    page = (editor_site / "admin/index.html").read_text(encoding="utf-8")
    assert "&#39;unsafe-eval&#39;" in page and 'src="decap-cms.js"' in page and "https://" not in page.split("<body")[1]
    assert "<title>网页编辑 - 示例区政府信息公开</title>" in page and 'name="robots" content="noindex' in page
    assert (editor_site / "admin/decap-cms.js").stat().st_size > 1_000_000
    assert not list((editor_site / "admin").glob("*.map"))
    assert {p.parent.name for p in editor_site.rglob("*") if p.is_file()} == {"admin"}  # nothing of the portal
    assert admin_config(editor_site)["backend"]["repo"] == "zhengwu/xxgk"
    assert "admin" not in (demo_site / "sitemap.xml").read_text(encoding="utf-8")


def test_rebuilding_the_editor_replaces_it_whole(tmp_path):
    root = make_project(tmp_path)
    site = tmp_path / "site-editor"
    (site / "admin").mkdir(parents=True)
    (site / "admin/stale.js").write_text("old", encoding="utf-8")
    result = run_xxgk(root, "build", "--editor", "--site", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (site / "admin/config.yml").is_file() and not (site / "admin/stale.js").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site-editor"]  # no .building/.old left
    default = run_xxgk(root, "build", "--editor")
    assert default.returncode == 0 and (root / "site-editor/admin/config.yml").is_file()


def test_config_has_no_draft_and_no_reviewer(editor_site):
    text = (editor_site / "admin/config.yml").read_text(encoding="utf-8")
    demo = load_project(ROOT, date.today())
    assert not [e.title for e in demo.catalog.entries if e.title in text]
    assert not [name for e in demo.catalog.entries for name, _ in e.review.values() if name in text]


BAD = """
网页编辑:
  启用: true
  后端: {类型: svn, 仓库: a/b, 网址: git.example.gov.cn}
  本地端口: 八〇八一
"""


def test_bad_settings_are_located(tmp_path):
    root = make_project(tmp_path)
    portal = root / "data/portal.yml"
    text = portal.read_text(encoding="utf-8")
    portal.write_text(text[: text.index("网页编辑:")] + BAD, encoding="utf-8")
    check = run_xxgk(root, "check")
    assert check.returncode == 1
    assert "字段“类型”：“svn”不在允许的取值中" in check.stdout
    assert "字段“网址”：“git.example.gov.cn”应为以 http:// 或 https:// 开头的完整网址" in check.stdout
    assert "字段“本地端口”：应为 decap-server 的端口号" in check.stdout


def test_missing_decap_stops_the_editor_build_with_the_remedy_and_never_the_portal(tmp_path):
    root = make_project(tmp_path)
    (root / "node_modules").unlink(missing_ok=True)
    editor = run_xxgk(root, "build", "--editor", "--site", str(tmp_path / "site-editor"))
    assert editor.returncode == 1 and "node_modules/decap-cms/dist/decap-cms.js" in editor.stdout
    assert "npm ci" in editor.stdout and not (tmp_path / "site-editor").exists()
    build = run_mkdocs_build(root, tmp_path / "site")  # the portal needs no npm: it has no editor
    assert build.returncode == 0, build.stderr[-3000:]
    assert not (tmp_path / "site/admin").exists()


def test_switched_off_there_is_no_editor_site(tmp_path):
    root = make_project(tmp_path)
    portal = root / "data/portal.yml"
    portal.write_text(portal.read_text(encoding="utf-8").replace("  启用: true", "  启用: false"), encoding="utf-8")
    editor = run_xxgk(root, "build", "--editor", "--site", str(tmp_path / "site-editor"))
    assert editor.returncode == 1 and "没有启用网页编辑" in editor.stdout
    assert not (tmp_path / "site-editor").exists()


def test_backend_hosts_reach_the_policy():
    edit = webedit.WebEdit(True, {"name": "gitlab", "repo": "zw/xxgk", "base_url": "https://git.gov.example",
                                  "api_root": "https://git.gov.example/api/v4"}, 8081)
    policy = webedit.policy(edit)
    assert "connect-src 'self' blob: https://git.gov.example http://127.0.0.1:8081;" in policy
    assert "script-src 'self' 'unsafe-eval';" in policy


def test_local_mode_speaks_of_this_machine_and_the_list_starts_with_the_newest(monkeypatch):
    ref = load_project(ROOT, date.today()).ref
    remote = webedit.WebEdit(True, {"name": "gitlab", "repo": "zw/xxgk"})
    assert "合并请求" in webedit.config_yaml(ref, remote)  # there, a new entry is a merge request
    monkeypatch.setenv("XXGK_EDIT_PORT", "8081")  # `make edit`
    local = webedit.WebEdit(True, {"name": "gitlab", "repo": "zw/xxgk"}, webedit.env_port())
    text = webedit.config_yaml(ref, local)
    assert "合并请求" not in text and "保存后直接写入本机文件" in text
    entries = webedit.decap_config(ref, local)["collections"][0]
    assert entries["sortable_fields"][0] == {"field": "发布日期", "default_sort": "desc"}
    # The preview shows 机构名称 rather than swj (tests/test_webedit_browser.py watches it in Chromium).
    assert '<script src="xxgk-preview.js">' in webedit.admin_page(local, ROOT, "示例区")
    assert (webedit.ASSETS / webedit.PREVIEW_SCRIPT).is_file()
