"""Worker processes beside the build's own, for work that is plain Python and bounded per item
(reading entries, examining written pages): the build's process uses one core, CI machines have two
or more."""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool


def cores() -> int:
    """The cores this process may run on (a CI container's share, not the host's)."""
    return len(os.sched_getaffinity(0))


def start(count: int, ready: bool = True, fork: bool = True) -> ProcessPoolExecutor | None:
    """`count` worker processes, or None (none asked, or a host that does not let us start processes).
    Forked when no other thread runs and `fork` allows it: cheapest, but a forked worker's resident
    memory counts what it shares with us, so a process that is large already spawns small ones.
    Forked workers (forking later, with other threads about, is not safe), and spawned ones with
    `ready`, are started now and waited for; other spawned workers start with the first task, beside
    this process, and a failure to start shows there (BrokenProcessPool)."""
    if count < 1:
        return None
    # Forking is cheapest, but not safe in a process that runs other threads (mkdocs serve, Pagefind's reader).
    method = "fork" if fork and threading.active_count() == 1 else "spawn"
    try:
        pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context(method))
    except OSError:
        return None
    if ready or method == "fork":
        try:
            pool.submit(os.getpid).result()  # with fork, every worker starts at the first task
        except (BrokenProcessPool, OSError):
            pool.shutdown(cancel_futures=True)
            return None
    return pool
