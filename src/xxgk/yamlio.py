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
        index, message = syntax_message(text, exc)
        _fail(file, index + 1 + line_offset, None, message.replace("{line}", str(index + 1 + line_offset)))
    except yaml.YAMLError:
        _fail(file, line_offset + 1, None, "YAML 格式错误，请检查冒号（英文冒号加空格）、缩进（只用空格）和引号（成对）。")
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        _fail(file, line_offset + 1, None, f"YAML 内容无法读取（{exc}），请检查数值和特殊符号。")
    finally:
        loader.dispose()
    return data, lines


_TAB = re.compile(r"^[ \u3000]*\t|:\t")
_WIDE_INDENT = re.compile(r"^[ \t]*\u3000")
_KEY = r"^(?:- )?([^\s:：#\"'{\[\-][^:：#\"'{\[]*?)"
_WIDE_COLON = re.compile(_KEY + r"[ \u3000]*：")
_WIDE_SPACE = re.compile(_KEY + r":\u3000")
_NO_SPACE = re.compile(_KEY + r":(?=[^\s\u3000])")


def _shown(line: str) -> str:
    line = line.strip()
    return line if len(line) <= 24 else line[:24] + "…"


def _broken_line(line: str) -> str | None:
    """What an input method typically did wrong on this line, or None. {line} stands for its number."""
    if _TAB.search(line):
        return "第 {line} 行有制表符（Tab）。YAML 只能用英文空格缩进和分隔，请把 Tab 换成空格。"
    if _WIDE_INDENT.match(line):
        return "第 {line} 行开头有全角空格“　”。缩进只能用英文（半角）空格，请删除全角空格后重新缩进。"
    body = line.strip()
    for pattern, problem in ((_WIDE_SPACE, "冒号后是全角空格“　”"), (_WIDE_COLON, "用了中文冒号“：”"),
                             (_NO_SPACE, "冒号后缺少空格")):
        match = pattern.match(body)
        if match:
            key, value = match.group(1).strip(), re.split(r"^[^:：]*[:：][ \u3000]*", body, maxsplit=1)[-1]
            fixed = _shown(f"{key}: {value}")
            return (f"第 {{line}} 行“{_shown(body)}”{problem}，字段名后应为英文冒号加空格“{fixed}”。")
    return None


def syntax_message(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    """(0-based line, Chinese message) for a YAML syntax error. PyYAML's marks often point at the line
    after the mistake (it notices a missing ':' only on the next line), so the lines up to the mark are
    read for the usual input-method mistakes; PyYAML's English text is never shown."""
    lines = text.split("\n")
    problem_mark, context_mark = exc.problem_mark, exc.context_mark
    at = problem_mark.line if problem_mark else (context_mark.line if context_mark else 0)
    start = min(context_mark.line if context_mark else at, at - 3)
    for index in range(max(start, 0), min(at, len(lines) - 1) + 1):
        message = _broken_line(lines[index])
        if message:
            return index, message
    if exc.context and "quoted scalar" in exc.context and context_mark:
        return context_mark.line, "第 {line} 行的引号没有配对：开头用了引号，结尾也要用同样的英文引号。"
    problem = exc.problem or ""
    if "expected ':'" in problem and context_mark:  # a key without its colon
        return context_mark.line, "第 {line} 行缺少英文冒号：每个字段应写成“字段名: 值”（英文冒号加空格）。"
    if any(word in problem for word in ("mapping values", "expected key", "block end", "indentation")):
        return at, ("第 {line} 行缩进不对，或值中含有“: ”：同一层的字段要左对齐，下一层比上一层多缩进两个空格；"
                    "值中含有英文冒号加空格时，请用英文引号把整个值括起来。")
    return at, "第 {line} 行附近 YAML 格式有误，请检查冒号（英文冒号加空格）、缩进（只用空格、同层对齐）和引号（成对）。"


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


def shown_name(name: str) -> str:
    """A file name for a message. A name that is not UTF-8 reaches Python with its bytes as
    surrogates (os.walk); such names mostly come from archives made on Chinese Windows, so they are
    shown as GBK would read them."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("gbk", "replace")


def name_not_utf8(name: str) -> str | None:
    """Why a file or folder of docs/ cannot be published under `name` (not UTF-8), or None."""
    if shown_name(name) is name:
        return None
    return (f"文件名不是 UTF-8 编码（按中文 Windows 的编码 GBK 读作“{shown_name(name)}”，常见于解压在中文 Windows 上"
            "制作的压缩包），网站无法发布它，也无法链接到它。请改名：用 UTF-8 重新命名这个文件或文件夹"
            "（例如在 Linux 上运行 convmv -f gbk -t utf-8 --notest，或重新解压时选择 UTF-8）。")


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


_PLAIN = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def read_plain_text(path: str, max_bytes: int) -> str | None:
    """read_text's answer for an ordinary file (regular, not a link, at most `max_bytes`, UTF-8) through
    one open, or None for anything else: the caller then reads it through read_text, which says why."""
    try:
        fd = os.open(path, _PLAIN)  # a link fails here (O_NOFOLLOW); a pipe opens without waiting (O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(max_bytes + 1)  # bounded even if the file grows meanwhile
        if len(raw) > max_bytes:
            return None
    except OSError:
        return None
    finally:
        os.close(fd)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
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


def scalar(value) -> str:
    """One scalar as YAML text for a `key: value` line of a file we lay out ourselves (its comments
    are worth keeping): the YAML library decides plain or quoted, and the value stays on its line,
    so a title with a newline or “: ” can never add keys."""
    flow = yaml.safe_dump([value], allow_unicode=True, default_flow_style=True, width=1 << 30).rstrip("\n")
    if not any(brk in flow for brk in "\n\r\x85\u2028\u2029"):
        return flow[1:-1]
    return yaml.safe_dump(value, allow_unicode=True, default_style='"', width=1 << 30).rstrip("\n")


def comment(text) -> str:
    """Text for a `# …` comment line: every line break (YAML knows five) made a space."""
    return " ".join(str(text).split())


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
