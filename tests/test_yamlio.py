import os
from pathlib import Path

import pytest

from xxgk.problems import InputError
from xxgk.yamlio import parse_yaml, split_front_matter, write_atomic


def test_lines_of_nested_keys():
    data, lines = parse_yaml("a: 1\nb:\n  c: 2\n  d: [x, y]\n", "f.yml")
    assert data == {"a": 1, "b": {"c": 2, "d": ["x", "y"]}}
    assert lines[("a",)] == 1 and lines[("b", "c")] == 3 and lines[("b", "d")] == 4


def test_duplicate_key_is_an_error_with_both_lines():
    with pytest.raises(InputError) as info:
        parse_yaml("标题: 甲\n发布机构: swj\n标题: 乙\n", "docs/x.md", line_offset=1)
    problem = info.value.problem
    assert (problem.file, problem.line, problem.field) == ("docs/x.md", 4, "标题")
    assert "第 2 行重复" in problem.message


def test_dates_stay_text_and_python_tags_are_refused():
    data, _ = parse_yaml("d: 2024-02-30\n", "f.yml")
    assert data == {"d": "2024-02-30"}
    with pytest.raises(InputError) as info:
        parse_yaml("x: !!python/object/apply:os.system ['true']\n", "f.yml")
    assert info.value.problem.line == 1


def test_syntax_error_is_located():
    with pytest.raises(InputError) as info:
        parse_yaml("a: 1\nb: [1, 2\nc: 3\n", "f.yml", line_offset=1)
    assert info.value.problem.line >= 3 and "第 " in info.value.problem.message


def test_front_matter_with_bom_and_crlf():
    from xxgk.yamlio import read_text
    path = Path(os.environ.get("TMPDIR", "/tmp")) / "xxgk-bom-test.md"
    path.write_bytes("\ufeff---\r\n标题: 甲\r\n---\r\n正文\r\n".encode("utf-8"))
    data, lines, body, body_line = split_front_matter(read_text(path, "x.md"), "x.md")
    path.unlink()
    assert data == {"标题": "甲"} and lines[("标题",)] == 2 and body == "正文\n" and body_line == 4


def test_missing_front_matter():
    with pytest.raises(InputError) as info:
        split_front_matter("# 标题\n", "docs/catalog/a.md")
    assert info.value.problem.line == 1 and "YAML 头部" in info.value.problem.message


def test_write_atomic_never_clobbers(tmp_path):
    path = tmp_path / "a.md"
    write_atomic(path, "一")
    with pytest.raises(FileExistsError):
        write_atomic(path, "二")
    assert path.read_text(encoding="utf-8") == "一"
    write_atomic(path, "三", overwrite=True)
    assert path.read_text(encoding="utf-8") == "三"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]  # no temp files left


def test_write_atomic_failure_mid_write_keeps_original(tmp_path, monkeypatch):
    path = tmp_path / "a.md"
    path.write_text("原文", encoding="utf-8")

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        write_atomic(path, "新内容", overwrite=True)
    assert path.read_text(encoding="utf-8") == "原文"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]
