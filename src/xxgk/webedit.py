"""网页编辑: Decap CMS, for staff who edit the catalog in the browser, as its own small site.

The editor is never part of the public portal (an editing entrance on the public host is a finding of
every security inspection): `xxgk build --editor` writes it to site-editor/admin/, to be served from
an internal host, behind the office's network or single sign-on (README 网页编辑); `make edit` builds
and serves it beside `xxgk serve` on one machine.

Decap commits Markdown with front matter through the Git host's API (GitLab, Gitea, GitHub), a new
entry as a merge request (editorial workflow), or writes files through decap-server on one machine
(`make edit`). Its configuration is generated here from the project's own schema at every build:
the fields of xxgk.catalog.entry_fields in their order, the vocabularies of data/vocab.yml, the
organisations of data/orgs.yml, the review steps and the attachment limit of data/safety.yml.
Nothing of it is kept by hand. The editor never types the 索引号: the field is hidden and the
merge request's CI job runs `xxgk assign` on new entries (README, .gitlab-ci.yml).

The page admin/ has its own Content-Security-Policy (template xxgk/admin.html): Decap
compiles its configuration schema with `new Function` ('unsafe-eval') and talks to the Git host's
API. Only the editor site has that policy; the portal's pages keep theirs (xxgk.headers).
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from . import catalog, wording
from .headers import web_address
from .problems import InputError, Problems
from .reference import Reference
from .schema import Field, read
from .templating import render
from .yamlio import load_yaml_file

FILE = "data/portal.yml"
KEY = "网页编辑"
ADMIN = "admin/"  # URL of the editing interface in the editor site
EDITOR_SITE = "site-editor"  # `xxgk build --editor` writes here by default, never into the portal's site/
TEMPLATE = "xxgk/admin.html"  # a package template; a site's overrides/ may replace it
DIST = Path("node_modules/decap-cms/dist")  # under the project root, installed by `npm ci`
SCRIPT = "decap-cms.js"  # the bundle with every locale registered; it loads its chunks from its own folder
CATALOG_FOLDER = f"docs/{catalog.CATALOG_DIR}"
REPORTS_FOLDER = "docs/reports"

SETTINGS = (
    Field("启用", "enabled", "bool", required=True),
    Field("后端", "backend", "mapping"),
)  # and 本地端口, a number, read apart
# Our key -> Decap's backend key. README: 网页编辑.
BACKEND = (
    Field("类型", "name", required=True, choices=lambda: BACKENDS),
    Field("仓库", "repo", required=True),
    Field("分支", "branch"),
    Field("网址", "base_url"),
    Field("接口", "api_root"),
    Field("认证路径", "auth_endpoint"),
    Field("应用ID", "app_id"),
    Field("认证方式", "auth_type", choices=lambda: ("pkce", "implicit")),
)
BACKENDS = ("gitlab", "gitea", "github")
DEFAULT_API = {"gitlab": "https://gitlab.com/api/v4", "github": "https://api.github.com",
               "gitea": "https://try.gitea.io/api/v1"}  # Decap's defaults when 接口 is not given

# What an editor reads beside a field (Decap `hint`).
HINTS = {
    "标题": "信息的完整标题，与正式文件一致。",
    "成文日期": "文件签发（成文）的日期。",
    "发布日期": "在门户公开的日期，不得早于成文日期；日期未到时条目不会出现在门户上。",
    "文号": "照原件填写，年份用六角括号〔〕，如“某发〔2024〕5号”；没有文号的留空。",
    "信息类别": "政策文件必须同时填写“有效性”。",
    "有效性": "政策文件必填。",
    "关键词": "多个关键词用英文逗号分隔。",
    "附件": "允许的文件类型：{types}；单个文件不超过 {size:g} MB。文件保存在条目所在文件夹的 files/ 中。",
    "相关": "关联的政策文件或政策解读，按索引号或标题查找。",
    "保密审查": "三个环节（{roles}）依次由审查人填写姓名和日期，审查日期不得早于成文日期、不得晚于发布日期。"
              "审查未完成的条目可以保存，但合并请求的检查不会通过，不能发布。",
    "草稿": "打开后条目暂不发布，即使合并也不会出现在门户上。",
    "隐私豁免": "正文中确需公开的个人信息（如公示的联系电话），逐条写明内容和理由。",
    "用语例外": "检查提示为旧称或过时用语、但确需照录原文的（如转载历史文件），逐条写明用语和理由。",
}
INDEX_HINT = "索引号在合并请求中自动分配，无需填写。"
# Local mode (`make edit`: decap-server writes the files of this machine) has no merge request.
LOCAL_HINTS = {
    "保密审查": "三个环节（{roles}）依次由审查人填写姓名和日期，审查日期不得早于成文日期、不得晚于发布日期。"
              "审查未完成的条目可以保存，但 xxgk check 会报错，不能发布。",
    "草稿": "打开后条目暂不发布，即使提交也不会出现在门户上。",
}
LOCAL_INDEX_HINT = "索引号无需填写：保存后直接写入本机文件，提交前运行 xxgk assign <文件> 分配（文件随之改名为流水号）。"
DESCRIPTION = "每个条目是 docs/catalog/<机构>/<年份>/ 下的一个文件。新建的条目在合并请求中分配索引号并检查，合并后发布。"
LOCAL_DESCRIPTION = ("每个条目是 docs/catalog/<机构>/<年份>/ 下的一个文件。本机编辑：保存后直接写入本机文件，"
                     "运行 xxgk assign 为新条目分配索引号、xxgk check 检查后，用 git 提交即可发布。")
# The entry list, newest first (Decap sorts by this field when the editor has not chosen another).
SORTABLE = [{"field": "发布日期", "default_sort": "desc"}, "标题", "索引号"]
PREVIEW_SCRIPT = "xxgk-preview.js"  # admin/: shows the names of select options (机构名称, not swj) in the preview
ASSETS = Path(__file__).parent / "assets"  # outside templates/, which MkDocs would also publish as theme files
BODY = {"label": "正文", "name": "body", "widget": "markdown", "modes": ["raw", "rich_text"],
        "hint": "Markdown 格式；可切换到“富文本”编辑。"}


@dataclass
class WebEdit:
    enabled: bool = False
    backend: dict = field(default_factory=dict)  # Decap's backend settings
    local_port: int | None = None  # decap-server on this machine (`make edit`)

    @property
    def local_mode(self) -> bool:
        """Built for `make edit` (XXGK_EDIT_PORT): saving writes the files of this machine."""
        return env_port() is not None

    @property
    def local_url(self) -> str | None:
        return f"http://127.0.0.1:{self.local_port}/api/v1" if self.local_port else None

    def api_origins(self) -> list[str]:
        """Hosts the page talks to: the Git host's API and its OAuth server, decap-server."""
        found = [self.backend.get("api_root") or DEFAULT_API[self.backend["name"]]] if self.backend else []
        if self.backend.get("base_url"):
            found.append(self.backend["base_url"])
        if self.local_url:
            found.append(self.local_url)
        origins = []
        for url in found:
            parts = urlsplit(url)
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in origins:
                origins.append(origin)
        return origins


def load_settings(root: Path, problems: Problems) -> WebEdit:
    """网页编辑 of data/portal.yml; absent means off."""
    try:
        data, lines = load_yaml_file(root / FILE, FILE)
    except InputError:
        return WebEdit()  # reported by xxgk.portal.settings, which reads the same file
    raw = data.get(KEY) if isinstance(data, dict) else None
    if raw is None:
        return WebEdit()
    line = lines.get((KEY,), 1)
    if not isinstance(raw, dict):
        problems.error(FILE, line, KEY, "应写成“启用: true”和“后端: …”等几项。")
        return WebEdit()
    raw = dict(raw)
    port = raw.pop("本地端口", None)
    values = read(raw, lines, FILE, SETTINGS, problems, path=(KEY,))
    edit = WebEdit(enabled=bool(values["enabled"]))
    if port is not None:
        if isinstance(port, int) and not isinstance(port, bool) and 0 < port < 65536:
            edit.local_port = port
        else:
            problems.error(FILE, lines.get((KEY, "本地端口"), line), "本地端口",
                           "应为 decap-server 的端口号，例如 8081（见 make edit）。")
    edit.local_port = env_port() or edit.local_port
    backend = values["backend"]
    if backend is None:
        if edit.enabled:
            problems.error(FILE, line, "后端", "启用网页编辑时须写明“后端”：类型（gitlab、gitea 或 github）和仓库。")
        return edit
    path = (KEY, "后端")
    found = read(backend, lines, FILE, BACKEND, problems, path=path)
    for key, attr in (("网址", "base_url"), ("接口", "api_root")):
        url = found[attr]
        if url and not web_address(url):
            problems.error(FILE, lines.get(path + (key,), line), key,
                           f"“{url}”应为以 http:// 或 https:// 开头的完整网址，例如 https://git.example.gov.cn；"
                           "只能由英文字母、数字和 . - _ ~ % / 组成，不能含空格、分号、逗号、引号、问号和 #。")
            found[attr] = None
    if found["name"] and found["repo"]:
        edit.backend = {k: v for k, v in found.items() if v is not None}
    return edit


def bundle(root: Path) -> Path:
    return root / DIST / SCRIPT


def missing_bundle(root: Path) -> str | None:
    """Why the editing interface cannot be built here, or None."""
    if bundle(root).is_file():
        return None
    return (f"data/portal.yml 启用了网页编辑，但找不到 {DIST / SCRIPT}。请运行 make build（或 make serve），"
            "它会用 npm ci 安装 package-lock.json 中锁定的 Decap CMS；也可以先运行 npm ci。")


def bundle_files(root: Path) -> dict[str, Path]:
    """admin/<name> -> file of node_modules: the bundle, its chunks and WebAssembly (no source maps)."""
    dist = root / DIST
    names = [SCRIPT, f"{SCRIPT}.LICENSE.txt"]
    names += sorted(p.name for p in dist.iterdir() if p.name.endswith(f".{SCRIPT}") or p.suffix == ".wasm")
    return {ADMIN + name: dist / name for name in names if (dist / name).is_file()}


def policy(edit: WebEdit) -> str:
    """The policy of /admin/ alone: the portal's, plus 'unsafe-eval' for Decap and its Git host.
    No script from another host: Decap is served from admin/ like the portal's own scripts."""
    hosts = " ".join(edit.api_origins())
    return (f"default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: blob: {hosts}; font-src 'self'; connect-src 'self' blob: {hosts}; "
            "worker-src 'self' blob:; frame-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'"
            ).replace("  ", " ").replace(" ;", ";")


def admin_page(edit: WebEdit, root: Path, site_name: str) -> str:
    return render(root, TEMPLATE, base="admin/", policy=policy(edit), site_name=site_name, script=SCRIPT,
                  preview_script=PREVIEW_SCRIPT)


# --- the configuration, from the schema ----------------------------------------------------------

def _date(key: str, required: bool) -> dict:
    return {"label": key, "name": key, "widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD",
            "time_format": False, "picker_utc": False, "required": required}


def _select(key: str, options: list, required: bool, multiple: bool = False) -> dict:
    found = {"label": key, "name": key, "widget": "select", "options": options, "required": required}
    if multiple:
        found["multiple"] = True
    return found


def _strings(fields: tuple[Field, ...], widgets: dict | None = None) -> list[dict]:
    """Sub-fields of a list or object item: text, dates, or a given widget."""
    found = []
    for item in fields:
        if item.key in (widgets or {}):
            found.append({"label": item.key, "name": item.key, "required": item.required, **widgets[item.key]})
        elif item.kind == "date":
            found.append(_date(item.key, item.required))
        else:
            found.append({"label": item.key, "name": item.key, "widget": "string", "required": item.required})
    return found


def _entry_field(item: Field, ref: Reference, local: bool = False) -> dict:
    key, required = item.key, item.required
    hints = {**HINTS, **LOCAL_HINTS} if local else HINTS
    hint = hints.get(key, "").format(types="、".join(sorted(ref.attachment_types)),
                                      size=ref.attachment_max_bytes / 1024 / 1024, roles="、".join(ref.review_roles))
    if key == "索引号":
        return {"label": key, "name": key, "widget": "hidden", "required": False,
                "hint": LOCAL_INDEX_HINT if local else INDEX_HINT}
    if key == "发布机构":
        found = _select(key, [{"label": o.name, "value": o.id} for o in ref.orgs.values()], required)
    elif key == "第二十条":
        found = _select(key, [{"label": f"{no}{text}", "value": no} for no, text in ref.article20.items()],
                        required, multiple=True)
    elif item.choices is not None:
        found = _select(key, list(item.choices()), required, multiple=item.kind == "texts")
    elif key == "附件":
        file = {"widget": "file", "choose_url": False, "media_folder": "files", "public_folder": "files"}
        found = {"label": key, "name": key, "widget": "list", "required": required, "label_singular": "附件",
                 "summary": "{{fields.名称}}", "fields": _strings(catalog.ATTACHMENT_FIELDS, {"文件": file})}
    elif key == "相关":
        found = {"label": key, "name": key, "widget": "relation", "collection": "catalog", "required": required,
                 "multiple": True, "value_field": "索引号", "search_fields": ["索引号", "标题"],
                 "display_fields": ["{{索引号}} {{标题}}"]}
    elif key == "保密审查":
        # Optional in the form: each step is filled by its reviewer while the merge request is open.
        steps = [{"label": role, "name": role, "widget": "object", "required": False, "collapsed": False,
                  "fields": _strings(tuple(Field(f.key, f.attr, f.kind) for f in catalog.REVIEW_FIELDS))}
                 for role in ref.review_roles]
        found = {"label": key, "name": key, "widget": "object", "required": required, "fields": steps}
    elif key in ("隐私豁免", "用语例外"):
        fields = catalog.WAIVER_FIELDS if key == "隐私豁免" else wording.EXCEPTION_FIELDS
        found = {"label": key, "name": key, "widget": "list", "required": required, "collapsed": True,
                 "fields": _strings(fields)}
    elif item.kind == "date":
        found = _date(key, required)
    elif item.kind == "bool":
        found = {"label": key, "name": key, "widget": "boolean", "required": False, "default": False}
    elif item.kind == "texts":
        found = {"label": key, "name": key, "widget": "list", "required": required}
    elif key == "内容概述":
        found = {"label": key, "name": key, "widget": "text", "required": required}
    else:
        found = {"label": key, "name": key, "widget": "string", "required": required}
    if hint:
        found["hint"] = hint
    return found


def decap_config(ref: Reference, edit: WebEdit) -> dict:
    fields = [_entry_field(item, ref, edit.local_mode) for item in catalog.entry_fields(ref)]
    config = {
        "locale": "zh_Hans",
        "backend": {**edit.backend, "squash_merges": True,
                    "commit_messages": {"create": "新建{{collection}}：{{slug}}", "update": "修改{{collection}}：{{slug}}",
                                        "delete": "删除{{collection}}：{{slug}}", "uploadMedia": "上传附件：{{path}}",
                                        "deleteMedia": "删除附件：{{path}}"}},
        "publish_mode": "editorial_workflow",
        "omit_empty_optional_fields": True,  # an untouched optional field is left out, as xxgk check expects
        "media_folder": "docs/assets/uploads",  # unused: every upload goes to the entry's files/ folder
        "slug": {"encoding": "unicode", "clean_accents": False, "sanitize_replacement": "-"},  # keeps Chinese file names
        "collections": [
            {
                "name": "catalog", "label": "政府信息公开目录", "label_singular": "目录条目",
                "description": LOCAL_DESCRIPTION if edit.local_mode else DESCRIPTION,
                "folder": CATALOG_FOLDER, "extension": "md", "format": "frontmatter", "create": True,
                # docs/catalog/<发布机构>/<year>/<file>.md; the name never looks like a serial number.
                "path": "{{发布机构}}/{{year}}/{{slug}}",
                "slug": "{{year}}{{month}}{{day}}-{{hour}}{{minute}}{{second}}",
                "identifier_field": "标题",
                "summary": "{{发布日期}}　{{标题}}",
                "sortable_fields": SORTABLE,
                "view_filters": [{"label": o.short_name or o.name, "field": "发布机构", "pattern": f"^{re.escape(o.id)}$"}
                                 for o in ref.orgs.values()],
                "media_folder": "files", "public_folder": "files",
                "fields": [*fields, BODY],
            },
            {
                "name": "reports", "label": "年度报告正文", "label_singular": "年度报告正文",
                "description": "年度报告的文字部分（docs/reports/<机构>/<年度>.md）。表格数据在 data/reports/ 中，不在此编辑；"
                               "新的年度报告用 xxgk report new 创建。",
                "folder": REPORTS_FOLDER, "extension": "md", "format": "frontmatter", "create": False, "delete": False,
                "path": "{{机构}}/{{slug}}",  # two levels: <org>/<year>.md
                "identifier_field": "body",
                "summary": "{{dirname}} {{filename}} 年度",
                "fields": [{**BODY, "modes": ["raw"],
                            "hint": "{{ 统计.… }} 是自动填入的统计数字，请保留原样。"}],
            },
        ],
    }
    if edit.local_url:
        config["local_backend"] = {"url": edit.local_url}
    return config


def config_yaml(ref: Reference, edit: WebEdit) -> str:
    header = "# 由 xxgk 在构建时根据目录字段、data/vocab.yml、data/orgs.yml 和 data/safety.yml 生成，请勿手改。\n"
    return header + yaml.safe_dump(decap_config(ref, edit), allow_unicode=True, sort_keys=False, width=1000)


def files(root: Path, ref: Reference, edit: WebEdit, site_name: str) -> dict[str, str | Path]:
    """admin/index.html, admin/config.yml (text) and the Decap files copied from node_modules (paths)."""
    found: dict[str, str | Path] = {ADMIN + "index.html": admin_page(edit, root, site_name),
                                    ADMIN + "config.yml": config_yaml(ref, edit)}
    found[ADMIN + PREVIEW_SCRIPT] = ASSETS / PREVIEW_SCRIPT
    found.update(bundle_files(root))
    return found


def write_site(root: Path, ref: Reference, edit: WebEdit, site_name: str, target: Path) -> int:
    """The editor site (`xxgk build --editor`): written beside `target`, then swapped in whole, so a
    server never sees half of it. The number of files."""
    target = target.resolve()
    fresh, old = target.with_name(target.name + ".building"), target.with_name(target.name + ".old")
    shutil.rmtree(fresh, ignore_errors=True)
    found = files(root, ref, edit, site_name)
    for name, source in found.items():
        out = fresh / name
        out.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, Path):
            shutil.copyfile(source, out)
        else:
            out.write_text(source, encoding="utf-8")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return len(found)


def env_port() -> int | None:
    """XXGK_EDIT_PORT: decap-server's port for this build (`make edit`), overriding 本地端口."""
    value = os.environ.get("XXGK_EDIT_PORT", "")
    return int(value) if value.isdigit() else None
