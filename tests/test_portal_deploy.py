"""Deployment files cannot run here: check their syntax and the keys each CI service requires,
and that they run the same commands as the README (make test, make build = mkdocs build --strict)."""

import json
import re

import yaml

from conftest import ROOT

GITHUB = ROOT / ".github/workflows/pages.yml"
GITLAB = ROOT / ".gitlab-ci.yml"


def load(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def runs(steps) -> list[str]:
    return [s["run"] for s in steps if "run" in s]


def test_github_workflow_tests_builds_strict_and_deploys_pages():
    flow = load(GITHUB)
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert {"push", "pull_request", "schedule", "workflow_dispatch"} <= set(triggers)
    assert all(re.fullmatch(r"[\d*/,-]+( [\d*/,-]+){4}", s["cron"]) for s in triggers["schedule"])
    jobs = flow["jobs"]
    assert set(jobs) == {"test", "build", "deploy"}
    for name, job in jobs.items():
        assert job["runs-on"] and job["steps"], name
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step  # each step does exactly one thing
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), step["uses"]
    test, build, deploy = jobs["test"], jobs["build"], jobs["deploy"]
    assert test["container"].startswith("debian:") and "make test" in runs(test["steps"])
    assert build["needs"] == "test" and deploy["needs"] == "build"
    assert "pull_request" in build["if"]  # pull requests are tested, never deployed
    assert "make build" in runs(build["steps"])
    uses = [s.get("uses", "").split("@")[0] for s in build["steps"]]
    assert uses.index("actions/configure-pages") < uses.index("actions/upload-pages-artifact")
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    assert build["env"]["TZ"] == "Asia/Shanghai"
    make_build = next(s for s in build["steps"] if s.get("run") == "make build")
    assert "steps.pages.outputs.base_url" in make_build["env"]["XXGK_SITE_URL"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert flow["permissions"] == {"contents": "read"}


def test_gitlab_pipeline_tests_and_publishes_public():
    ci = load(GITLAB)
    assert ci["stages"] == ["test", "deploy"]
    assert ci["default"]["image"].startswith("debian:")
    jobs = {k: v for k, v in ci.items() if isinstance(v, dict) and "script" in v}
    assert set(jobs) == {"test", "pages", "entries"}  # entries: 索引号 for web-edited entries on merge requests
    assert jobs["test"]["stage"] == "test" and jobs["test"]["script"] == ["make test"]
    pages = jobs["pages"]
    assert pages["stage"] == "deploy" and pages["needs"] == ["test"]
    assert pages["script"][0] == "make build" and "mv site public" in pages["script"][-1]
    assert pages["artifacts"]["paths"] == ["public"]
    assert pages["variables"]["XXGK_SITE_URL"] == "$CI_PAGES_URL" and pages["variables"]["TZ"] == "Asia/Shanghai"
    assert any("CI_DEFAULT_BRANCH" in rule["if"] for rule in pages["rules"])


def test_make_targets_behind_the_workflows():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    build = re.search(r"^build:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert "xxgk build" in build  # MkDocs' strict build, its lines in Chinese
    assert 'load_config(str(root / "mkdocs.yml"), strict=True' in (ROOT / "src/xxgk/build.py").read_text(encoding="utf-8")
    test = re.search(r"^test:(.*)\n((?:\t.*\n)+)", makefile, re.M)
    assert "$(NODE)" in test.group(2)  # make test installs the npm packages (axe-core, Decap) before the suite
    assert re.search(r"^\$\(NODE\): package-lock.json.*\n(?:\t.*\n)*?\t@npm ci", makefile, re.M)
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    pinned = package["devDependencies"]["axe-core"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned)  # exact: the tests' results depend on the rules
    assert lock["packages"]["node_modules/axe-core"]["version"] == pinned
    # “node_modules” (no slash) also ignores a node_modules that is a link to a shared installation.
    assert {"node_modules", "node_modules/"} & set((ROOT / ".gitignore").read_text(encoding="utf-8").split())


def test_only_a_finished_build_is_deployed():
    build = load(GITHUB)["jobs"]["build"]
    make_build = next(s for s in build["steps"] if s.get("run", "").startswith("make build"))
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert "shell" not in make_build  # the default bash -e: the step fails with the build
    assert f"steps.{make_build['id']}.outcome == 'success'" in upload["if"]
    pages = load(GITLAB)["pages"]
    assert pages["artifacts"]["when"] == "on_success"
