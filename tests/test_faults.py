"""Faults an editor can meet: a full disk, a read-only folder, two commands at once, Ctrl-C.
Each gives a located Chinese message and exit status 1 (130 for Ctrl-C), never a traceback."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile

import pytest

from conftest import TODAY, front_matter, make_project
from reports_support import project_with_reports
from xxgk import cli, lock


def run_main(root, *args) -> int:
    return cli.main(["--root", str(root), "--today", TODAY, *args])


def fail_fsync(monkeypatch, after: int = 0):
    """The disk fills up: the (after+1)-th fsync and later ones fail with ENOSPC."""
    calls = []
    real = os.fsync

    def fsync(fd):
        calls.append(fd)
        if len(calls) > after:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def read_only(monkeypatch, code=errno.EROFS):
    """Tests run as root, where chmod does not stop writes: a read-only docs/ or data/ is simulated
    by making the creation of the temporary file fail as the kernel would."""
    def mkstemp(*args, dir=None, **kwargs):
        raise OSError(code, os.strerror(code), str(dir))

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


def leftovers(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob(".*.tmp"))


@pytest.mark.parametrize("fault, cause", [("enospc", "磁盘空间不足"), ("erofs", "文件系统只读"),
                                          ("eacces", "没有写入权限")])
def test_new_on_a_full_or_read_only_disk(tmp_path, monkeypatch, capsys, fault, cause):
    root = make_project(tmp_path)
    if fault == "enospc":
        fail_fsync(monkeypatch)
    else:
        read_only(monkeypatch, errno.EROFS if fault == "erofs" else errno.EACCES)
    assert run_main(root, "new", "swj") == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：docs/catalog/swj/2026/00001.md：") and cause in err, err
    assert "Traceback" not in err and not (root / "docs/catalog/swj/2026/00001.md").exists()
    assert leftovers(root) == []


def test_assign_on_a_full_disk(tmp_path, monkeypatch, capsys):
    draft = front_matter(索引号=None, 保密审查=None, 草稿="true")
    root = make_project(tmp_path, {"swj/2024/draft-x.md": draft})
    fail_fsync(monkeypatch)
    assert run_main(root, "assign", str(root / "docs/catalog/swj/2024/draft-x.md")) == 1
    err = capsys.readouterr().err
    assert "错误：docs/catalog/swj/2024/draft-x.md：磁盘空间不足" in err, err
    assert (root / "docs/catalog/swj/2024/draft-x.md").read_text(encoding="utf-8") == draft  # untouched
    assert leftovers(root) == []


@pytest.mark.parametrize("fault", ["enospc", "erofs"])
def test_report_new_is_all_or_nothing(tmp_path, monkeypatch, capsys, fault):
    root = project_with_reports(tmp_path)
    data, text = root / "data/reports/jyj/2024.yml", root / "docs/reports/jyj/2024.md"
    if fault == "enospc":
        fail_fsync(monkeypatch, after=1)  # the data file is written, the narrative is not
    else:
        real = tempfile.mkstemp

        def mkstemp(*args, dir=None, **kwargs):  # docs/ read-only, data/ writable
            if "docs" in str(dir):
                raise OSError(errno.EROFS, "Read-only file system", str(dir))
            return real(*args, dir=dir, **kwargs)

        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    assert run_main(root, "report", "new", "jyj", "2024") == 1
    err = capsys.readouterr().err
    assert "错误：docs/reports/jyj/2024.md：" in err and "Traceback" not in err, err
    assert not data.exists() and not text.exists() and leftovers(root) == []
    monkeypatch.undo()
    assert run_main(root, "report", "new", "jyj", "2024") == 0  # not refused as “already exists”
    assert data.exists() and text.exists()


def test_os_error_messages_name_path_and_cause():
    assert cli.os_error_message(OSError(errno.ENOSPC, "x", "/p/a.md")) == "错误：/p/a.md：磁盘空间不足，请清理磁盘后重试。"
    assert "错误码 5" not in cli.os_error_message(OSError(errno.EIO, "x", "a"))
    assert cli.os_error_message(OSError(errno.EMLINK, "x", "a")) == f"错误：a：系统错误（错误码 {errno.EMLINK}）。"


def test_keyboard_interrupt_says_so(tmp_path, monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_check", interrupted)
    try:
        code = run_main(make_project(tmp_path), "check")
    except KeyboardInterrupt:  # the traceback an editor would have seen
        code = None
    assert code == 130
    assert capsys.readouterr().err == "已中断。\n"


def test_waiting_for_the_lock_says_so_and_gives_up(tmp_path, monkeypatch, capsys):
    from filelock import FileLock
    root = make_project(tmp_path)
    monkeypatch.setattr(lock, "TIMEOUT", 0.3)
    held = FileLock(root / lock.LOCK_FILE)
    with held:
        assert run_main(root, "new", "swj") == 1
    err = capsys.readouterr().err
    assert err.startswith("另一个 xxgk 命令正在写入，等待中…\n") and "等待 0.3 秒后" in err, err
    assert not (root / "docs/catalog/swj/2026").exists()


def parallel(root, args_list):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    procs = [subprocess.Popen([sys.executable, "-m", "xxgk.cli", "--root", str(root), "--today", TODAY, *args],
                              cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for args in args_list]
    return [(p.wait(timeout=300), *p.communicate()) for p in procs]


def index_nos(root):
    from datetime import date

    from xxgk.project import load_project
    project = load_project(root, date.fromisoformat(TODAY))
    return [e.index_no for e in project.catalog.entries]


def test_parallel_new_hands_out_distinct_numbers(tmp_path):
    root = make_project(tmp_path)
    results = parallel(root, [("new", "swj", "--title", f"并发{i}") for i in range(20)])
    assert [r[0] for r in results] == [0] * 20, [r[2] for r in results if r[0]]
    files = sorted(p.name for p in (root / "docs/catalog/swj/2026").glob("*.md"))
    assert files == [f"{n:05d}.md" for n in range(1, 21)]
    assert sorted(index_nos(root)) == [f"770010036/2026-{n:05d}" for n in range(1, 21)]


def test_parallel_assign_hands_out_distinct_numbers(tmp_path):
    draft = front_matter(索引号=None, 保密审查=None, 草稿="true")
    root = make_project(tmp_path, {f"swj/2024/draft-{i}.md": draft for i in range(20)})
    results = parallel(root, [("assign", str(root / f"docs/catalog/swj/2024/draft-{i}.md")) for i in range(20)])
    assert [r[0] for r in results] == [0] * 20, [r[2] for r in results if r[0]]
    assert sorted(index_nos(root)) == [f"770010036/2024-{n:05d}" for n in range(1, 21)]


# --- no half site ----------------------------------------------------------------------------------

def test_only_a_finished_build_replaces_the_site(tmp_path):
    from conftest import run_mkdocs_build
    from test_safety import ENTRY
    root = make_project(tmp_path, {ENTRY: front_matter()})
    site = tmp_path / "site"
    stale = tmp_path / "site.building-999999999"  # left by a killed build (no such process)
    stale.mkdir()
    (stale / "index.html").write_text("半个网站", encoding="utf-8")
    assert run_mkdocs_build(root, site).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]
    (site / "previous.txt").write_text("上次的网站", encoding="utf-8")

    # A late failure: a broken link is a warning, and --strict aborts after every page is written.
    index = root / "docs/index.md"
    good = index.read_text(encoding="utf-8")
    index.write_text(good + "\n[失效链接](nosuch.md)\n", encoding="utf-8")
    build = run_mkdocs_build(root, site)
    assert build.returncode != 0 and "nosuch.md" in build.stderr
    assert (site / "previous.txt").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]

    # An early failure: an entry error stops the build before anything is written.
    index.write_text(good, encoding="utf-8")
    entry = root / "docs/catalog" / ENTRY
    entry.write_text(front_matter(发布日期="2024-13-05"), encoding="utf-8")
    assert run_mkdocs_build(root, site).returncode != 0
    assert (site / "previous.txt").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]

    entry.write_text(front_matter(), encoding="utf-8")
    assert run_mkdocs_build(root, site).returncode == 0
    assert not (site / "previous.txt").exists() and (site / "index.html").is_file()
    assert (site / "sitemap.xml").is_file() and (site / "pagefind").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]
