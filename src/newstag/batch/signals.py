"""SIGTERM stops a batch as Ctrl-C does: complete records written, workers stopped, then exit.

Python turns SIGINT into KeyboardInterrupt and ends on SIGTERM at once, without running any
`finally`: a run killed so left its workers and a half-written line. Inside
`sigterm_as_interrupt()` SIGTERM raises `Terminated` (a KeyboardInterrupt), so the batch's one
interrupt path handles both. Only an edge that owns the process (the CLI) installs it.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

EXIT_SIGINT = 128 + signal.SIGINT  # 130, as shells report a process ended by Ctrl-C
EXIT_SIGTERM = 128 + signal.SIGTERM  # 143


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived."""


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set in the main thread
        return

    def terminate(signum, frame):
        # Once: a second SIGTERM while the run cleans up must not cut the cleanup short.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
