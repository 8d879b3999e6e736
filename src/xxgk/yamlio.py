"""Safe YAML reading with line numbers and duplicate-key detection; atomic file writing.

PyYAML silently keeps the last of two equal keys and reports no positions once the
document is constructed; editors need both, so we construct values from the composed node
tree ourselves, recording lines and refusing duplicates on the way.
Dates stay strings here: the schema parses them and can then say which field is wrong.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

import yaml

from .problems import ERROR, InputError, Problem

Lines = dict  # tuple path of keys/indexes -> 1-based line number


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe loading only (the C parser when available, for speed); timestamps stay strings."""

    def resolve(self, kind, value, implicit):
        # Fast paths, the same answers as Resolver.resolve: a plain scalar whose first character
        # starts no implicit type (most Chinese text) is a string; short values (dates, numbers,
        # true/false) recur, so their tags are remembered.
        if kind is yaml.ScalarNode and implicit[0] and value:
            if value[0] not in _RESOLVER_FIRSTS:
                return self.DEFAULT_SCALAR_TAG
            if len(value) <= 16:
                key = (value, implicit)
                tag = _RESOLVED.get(key)
                if tag is None:
                    if len(_RESOLVED) > 20000:
                        _RESOLVED.clear()
                    tag = _RESOLVED[key] = super().resolve(kind, value, implicit)
                return tag
        return super().resolve(kind, value, implicit)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# First characters with implicit resolvers; a wildcard resolver (key None) would apply to every value.
_RESOLVER_FIRSTS = (frozenset(k for k in _Loader.yaml_implicit_resolvers if k)
                    if None not in _Loader.yaml_implicit_resolvers and not _Loader.yaml_path_resolvers else None)
_RESOLVED: dict[tuple, str] = {}  # (short plain scalar, implicit) -> tag
if _RESOLVER_FIRSTS is None:
    del _Loader.resolve

_MAX_DEPTH = 20


def _fail(file: str, line: int | None, field: str | None, message: str):
    raise InputError(Problem(ERROR, file, line, field, message))


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_Scalar = yaml.ScalarNode


def _build(node, path: tuple, lines: Lines, file: str, offset: int, loader, visited: set, depth: int = 0):
    """Construct the value of `node`, recording the line of every key and item on the way."""
    line = node.start_mark.line + 1 + offset
    lines[path] = line
    if isinstance(node, _Scalar):
        return node.value if node.tag == _STR else loader.construct_object(node)
    if depth > _MAX_DEPTH:
        _fail(file, line, None, f"嵌套超过 {_MAX_DEPTH} 层，请检查缩进。")
    if id(node) in visited:  # an alias: repeated expansion could take exponential time
        _fail(file, line, None, "不支持 YAML 锚点和别名（& 和 *），请把内容直接写出。")
    visited.add(id(node))
    if node.tag not in (_MAP, _SEQ):
        _fail(file, line, None, f"不支持 YAML 标签“{node.tag}”，请直接写出列表或映射。")
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (index,), lines, file, offset, loader, visited, depth + 1)
                for index, item in enumerate(node.value)]
    result: dict = {}
    key_lines: dict = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1 + offset
        if not isinstance(key_node, _Scalar):
            _fail(file, line, None, "键必须是简单文字，不能是列表或映射。")
        key = key_node.value
        if key == "<<":
            _fail(file, line, "<<", "不支持 YAML 合并键“<<”，请把内容直接写出。")
        if key_node.tag != _STR:
            key = loader.construct_object(key_node)
        if key in key_lines:
            _fail(file, line, str(key), f"与第 {key_lines[key]} 行重复。同一字段只能写一次，请删除或合并其中一处。")
        key_lines[key] = line
        here = path + (key,)
        if isinstance(value_node, _Scalar):  # inline: most values are scalars
            result[key] = value_node.value if value_node.tag == _STR else loader.construct_object(value_node)
        else:
            result[key] = _build(value_node, here, lines, file, offset, loader, visited, depth + 1)
        lines[here] = line
    return result


def parse_yaml(text: str, file: str, line_offset: int = 0):
    """Parse one YAML document; return (data, lines). Raise InputError with location."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: Lines = {}
        data = _build(node, (), lines, file, line_offset, loader, set())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        _fail(file, line, None, f"YAML 格式错误（{exc.problem or exc.context}），请检查该行的缩进、冒号和引号。")
    except yaml.YAMLError as exc:
        _fail(file, line_offset + 1, None, f"YAML 格式错误：{exc}")
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        _fail(file, line_offset + 1, None, f"YAML 内容无法读取（{exc}），请检查数值和特殊符号。")
    finally:
        loader.dispose()
    return data, lines


def compose(text: str):
    """The node tree of one YAML document (the C parser when available); raises yaml.YAMLError."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def nearest_line(lines: Lines, path: tuple) -> int:
    """The line of `path`, or of its nearest ancestor that has one (1 at worst)."""
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def special_file(path: Path | str) -> str | None:
    """Why a file of docs/ or data/ must not be read or published: a link, a pipe or a device."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        return f"无法读取：{exc.strerror}。"
    if stat.S_ISLNK(info.st_mode):
        return "这是符号链接，可能指向网站以外的文件（如系统文件），不予读取和发布。请换成文件本身。"
    if not stat.S_ISREG(info.st_mode):
        return "这不是普通文件（可能是文件夹、管道或设备），不予读取和发布。请删除它。"
    return None


def read_text(path: Path, file: str) -> str:
    """Read UTF-8 text (BOM tolerated, CRLF normalised) from a regular file: never through a link,
    never from a pipe (which would hang the reader)."""
    refusal = special_file(path)
    if refusal:
        _fail(file, None, None, refusal)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        _fail(file, None, None, f"无法读取文件：{exc.strerror}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        _fail(file, line, None, f"文件不是 UTF-8 编码（第 {line} 行有无法识别的字节），请用 UTF-8 重新保存。")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_yaml_file(path: Path, file: str):
    return parse_yaml(read_text(path, file), file)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def split_front_matter(text: str, file: str):
    """Split Markdown into (front matter data, lines, body, body's first line)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        _fail(file, 1, None, "文件开头缺少以“---”开始和结束的 YAML 头部（元数据）。")
    data, lines = parse_yaml(match.group(1) or "", file, line_offset=1)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        _fail(file, 2, None, "YAML 头部必须是“字段: 值”的形式。")
    body_line = text.count("\n", 0, match.end()) + 1
    return data, lines, text[match.end():], body_line


def write_atomic(path: Path, text: str | bytes, *, overwrite: bool = False) -> None:
    """Write text (or bytes: attachments, .docx) so that readers see the old file or the new one, never a torn one.

    With overwrite=False an existing file is never replaced (FileExistsError). Any OSError
    (disk full, no permission, read-only) leaves no temporary file and names `path`.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        exc.filename, exc.filename2 = str(path), None  # the file the editor asked for
        raise
    try:
        binary = isinstance(text, bytes)
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails if path exists: no silent clobbering
            os.unlink(tmp)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError):  # name the file the editor asked for, not our temporary one
            exc.filename, exc.filename2 = str(path), None
        raise
