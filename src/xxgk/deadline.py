"""A time budget for work that cannot be bounded in advance: rendering one editor's Markdown page.

Python-Markdown offers no way to stop a conversion. Under `mkdocs build` pages are rendered in the
main thread, where a timer signal can raise an exception into the conversion: the page's Markdown
object is built for that page alone and thrown away, so nothing half-done is reused. The check
already refuses the constructs known to be slow (xxgk.content.render_cost); this catches the rest.
The budget counts the process's own CPU time (ITIMER_VIRTUAL), not the clock: a CI runner busy with
other jobs must not make a page that fits its budget fail.
In another thread (`mkdocs serve` rebuilds in one) no timer can be set and the work runs unbounded,
guarded by the check alone.
"""

from __future__ import annotations

import contextlib
import signal
import threading


class TimeUp(BaseException):
    """Raised into the work when its budget is spent; a BaseException so that no `except Exception`
    inside the library swallows it."""


@contextlib.contextmanager
def deadline(seconds: float):
    """Run the block with a budget of `seconds`; raises TimeUp once it is spent (main thread only)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise TimeUp()

    previous = signal.signal(signal.SIGVTALRM, expire)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)
