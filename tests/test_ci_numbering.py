"""The web editor's CI job, run for real: .ci/assign-new-entries in a clone of a bare repository, as a
GitLab or GitHub runner runs it for a merge request that Decap opened. Whatever the file names, every
entry of the merge request must reach the pushed branch, numbered and named after its serial, and the
pushed tree must pass `xxgk check`. The merge request was rebased on a main branch where, meanwhile,
`xxgk report new` took the 索引号 that an earlier run of the job had given one of its entries."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date

import pytest

from conftest import ROOT, TODAY, front_matter, make_project

BRANCH = "cms/catalog/swj/2026/草稿"  # Decap's branch: cms/<collection>/<slug>
ORG_DIR = "docs/catalog/swj/2026"
REVIEW = ("\n  业务科室: {审查人: 甲, 日期: 2026-11-18}\n  信息发布人: {审查人: 乙, 日期: 2026-11-19}"
          "\n  分管领导: {审查人: 丙, 日期: 2026-11-19}")
GITLAB_PUSH_URL = "https://xxgk-bot:bot-secret@gitlab.example.invalid/zhengwu/xxgk.git"


def entry(title: str, index_no: str | None) -> str:
    return front_matter(索引号=index_no, 标题=title, 文号=None, 成文日期="2026-11-18", 发布日期="2026-11-20",
                        保密审查=REVIEW)


def git(cwd, *args, env=None) -> str:
    result = subprocess.run(["git", "-c", "user.name=编辑", "-c", "user.email=editor@example.invalid", *args],
                            cwd=cwd, env=env, capture_output=True)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout.decode()


def xxgk(cwd, today: str, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xxgk.cli", "--today", today, *args], cwd=cwd,
                          capture_output=True, text=True)


@pytest.fixture
def origin(tmp_path):
    """A bare repository holding main (one published entry, 770010036/2026-00001) and the merge
    request's branch, rebased after a parallel merge to main."""
    start = make_project(tmp_path / "start", {"swj/2026/00001.md": entry("已发布的条目", "770010036/2026-00001")})
    shutil.copytree(ROOT / ".ci", start / ".ci")
    shutil.copy(ROOT / ".gitignore", start / ".gitignore")  # as `xxgk init` gives a portal: .cache/, the lock …
    git(start, "init", "--quiet", "-b", "main")
    git(start, "add", "-A")
    git(start, "commit", "--quiet", "-m", "门户")
    bare = tmp_path / "origin.git"
    git(tmp_path, "clone", "--quiet", "--bare", str(start), str(bare))

    # The web editor (Decap) opens a merge request with three entries; an earlier run of the job
    # numbered one of them 770010036/2026-00002.
    editor = tmp_path / "editor"
    git(tmp_path, "clone", "--quiet", str(bare), str(editor))
    git(editor, "checkout", "--quiet", "-b", BRANCH)
    for name, title, number in [("草稿.md", "中文文件名的条目", None), ("新建 条目 2.md", "文件名带空格的条目", None),
                                ('引号"与*星号.md', "文件名带引号和星号的条目", None),
                                ("00002.md", "已编号的条目", "770010036/2026-00002")]:
        (editor / ORG_DIR / name).write_text(entry(title, number), encoding="utf-8")
    git(editor, "add", "-A")
    git(editor, "commit", "--quiet", "-m", "新建目录条目")
    git(editor, "push", "--quiet", "origin", BRANCH)

    # Meanwhile the office creates swj's 2025 annual report on main: it draws 770010036/2026-00002.
    office = tmp_path / "office"
    git(tmp_path, "clone", "--quiet", str(bare), str(office))
    made = xxgk(office, TODAY, "report", "new", "swj", "2025")
    assert made.returncode == 0 and "770010036/2026-00002" in made.stdout, made.stdout + made.stderr
    git(office, "add", "-A")
    git(office, "commit", "--quiet", "-m", "2025年度报告")
    git(office, "push", "--quiet", "origin", "main")

    # The merge request is rebased on main (fast-forward merges only), as GitLab's button does.
    git(editor, "fetch", "--quiet", "origin")
    git(editor, "rebase", "--quiet", "origin/main")
    git(editor, "push", "--quiet", "--force", "origin", BRANCH)
    return bare


def run_job(tmp_path, bare, host: str, today: str) -> subprocess.CompletedProcess:
    """The runner: a fresh clone of the merge request's branch and the CI variables the script reads."""
    runner = tmp_path / "runner"
    git(tmp_path, "clone", "--quiet", str(bare), str(runner))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CI_", "GITLAB", "GITHUB", "GIT_"))}
    env["XXGK"] = f"{sys.executable} -m xxgk.cli --today {today}"
    if host == "gitlab":  # a detached HEAD; the push goes to the bot's URL, which here leads to the bare repository
        git(runner, "checkout", "--quiet", "--detach", f"origin/{BRANCH}")
        env.update(GITLAB_CI="true", CI_PIPELINE_SOURCE="merge_request_event", CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main",
                   CI_MERGE_REQUEST_SOURCE_BRANCH_NAME=BRANCH, XXGK_BOT_TOKEN="bot-secret", CI_SERVER_PROTOCOL="https",
                   CI_SERVER_FQDN="gitlab.example.invalid", CI_PROJECT_PATH="zhengwu/xxgk",
                   GIT_CONFIG_COUNT="1", GIT_CONFIG_KEY_0=f"url.{bare.as_uri()}.insteadOf",
                   GIT_CONFIG_VALUE_0=GITLAB_PUSH_URL)
    else:  # actions/checkout of the pull request's head branch; GITHUB_TOKEN is origin's credential
        git(runner, "checkout", "--quiet", BRANCH)
        env.update(GITHUB_ACTIONS="true", GITHUB_BASE_REF="main", GITHUB_HEAD_REF=BRANCH)
    job = subprocess.run([str(runner / ".ci/assign-new-entries")], cwd=runner, env=env, capture_output=True, text=True)
    assert job.returncode == 0, job.stdout + job.stderr
    assert git(runner, "status", "--porcelain") == ""  # nothing left behind, untracked or unstaged
    return job


@pytest.mark.parametrize("host,today", [("gitlab", TODAY), ("github", date.today().isoformat())])
def test_the_job_pushes_every_new_entry_numbered_whatever_its_name(tmp_path, origin, host, today):
    job = run_job(tmp_path, origin, host, today)
    assert "770010036/2026-00002 已被其他文件使用" in job.stderr  # the renumbered entry is named in the log

    listed = git(origin, "ls-tree", "-r", "-z", "--name-only", BRANCH, "--", ORG_DIR).split("\0")
    names = sorted(p.rsplit("/", 1)[1] for p in listed if p)
    assert names == ["00001.md", "00003.md", "00004.md", "00005.md", "00006.md"]  # 00002 is the report's
    titles = {}
    for name in names:
        text = git(origin, "show", f"{BRANCH}:{ORG_DIR}/{name}")
        assert re.search(r"^索引号: (\S+)$", text, re.M).group(1) == f"770010036/2026-{name[:5]}"
        titles[re.search(r"^标题: (.+)$", text, re.M).group(1)] = name
    assert set(titles) == {"已发布的条目", "中文文件名的条目", "文件名带空格的条目", "文件名带引号和星号的条目",
                           "已编号的条目"}  # nothing lost
    assert titles["已发布的条目"] == "00001.md"
    report = git(origin, "show", f"{BRANCH}:data/reports/swj/2025.yml")
    assert re.search(r"^索引号: 770010036/2026-00002$", report, re.M)  # main's numbers never change
    assert git(origin, "log", "-1", "--format=%s", BRANCH).strip() == "为新条目分配索引号"

    pushed = tmp_path / "pushed"
    git(tmp_path, "clone", "--quiet", "--branch", BRANCH, str(origin), str(pushed))
    check = xxgk(pushed, today, "check")
    assert check.returncode == 0, check.stdout[-3000:]
    assert "索引号" not in "".join(line for line in check.stdout.splitlines(True) if line.startswith(("错误", "警告")))

    # A second run (the pipeline of the job's own commit) finds nothing to do and pushes nothing.
    shutil.rmtree(tmp_path / "runner")
    again = run_job(tmp_path, origin, host, today)
    assert "都已有索引号" in again.stdout
    assert git(origin, "log", "-1", "--format=%s", BRANCH).strip() == "为新条目分配索引号"
    assert git(origin, "rev-list", "--count", BRANCH) == git(pushed, "rev-list", "--count", "HEAD")


def test_both_ci_configurations_run_the_job_where_its_variables_exist():
    """The variables that run_job mimics are those of the jobs that call the script."""
    import yaml

    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))["entries"]
    assert ".ci/assign-new-entries" in gitlab["script"] and str(gitlab["variables"]["GIT_DEPTH"]) == "0"
    assert gitlab["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]  # CI_MERGE_REQUEST_* are set
    github = yaml.safe_load((ROOT / ".github/workflows/editing.yml").read_text(encoding="utf-8"))
    assert "pull_request" in github[True]  # `on:` reads as True; GITHUB_BASE_REF/HEAD_REF exist in pull requests
    steps = github["jobs"]["entries"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["ref"] == "${{ github.head_ref }}" and checkout["with"]["fetch-depth"] == 0
    assert any(s.get("run") == ".ci/assign-new-entries" for s in steps)
