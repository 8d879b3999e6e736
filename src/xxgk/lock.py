"""One writer at a time: `xxgk new`, `xxgk assign`, `xxgk import` and `xxgk report new` hand out
索引号 (xxgk.numbering) and create files; two runs at once could otherwise choose the same number."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

LOCK_FILE = ".xxgk.lock"  # at the project root; in .gitignore
TIMEOUT = 120.0  # seconds to wait for another command before giving up


class Busy(Exception):
    """Another xxgk command held the lock for longer than TIMEOUT; the message is for the editor."""


@contextmanager
def writer_lock(root: Path):
    lock = FileLock(root / LOCK_FILE)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print("另一个 xxgk 命令正在写入，等待中…", file=sys.stderr, flush=True)
        try:
            lock.acquire(timeout=TIMEOUT)
        except Timeout:
            raise Busy(f"等待 {TIMEOUT:g} 秒后另一个 xxgk 命令仍在写入（锁文件 {LOCK_FILE}），未做任何改动。"
                       "请等它结束后重试；确认没有 xxgk 命令在运行时，可删除该文件。") from None
    try:
        yield
    finally:
        lock.release()
