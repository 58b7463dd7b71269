"""Ctrl-C as a request to stop at the next safe point between steps.

A KeyboardInterrupt raised inside one of Playwright's calls can leave its connection to the browser waiting
for an answer that never comes, and the run then hangs instead of reporting. So the first Ctrl-C only asks:
the step under way ends, and the run stops before the next one, recording where each location got to. A
second Ctrl-C stops at once.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

log = logging.getLogger("robot")


class StopRequest:
    """Whether the person asked the run to stop; `checkpoint()` stops it there if so."""

    def __init__(self) -> None:
        self.asked = False

    def checkpoint(self) -> None:
        if self.asked:
            raise KeyboardInterrupt

    def on_sigint(self, signum: int, frame: FrameType | None) -> None:
        if self.asked:
            raise KeyboardInterrupt
        self.asked = True
        log.warning("stopping after the current step (Ctrl-C again to stop at once)")


@contextmanager
def stop_between_steps() -> Iterator[StopRequest]:
    """Ctrl-C handled as a StopRequest inside the block (where Python allows a handler: the main thread)."""
    request = StopRequest()
    if threading.current_thread() is not threading.main_thread():
        yield request
        return
    previous = signal.signal(signal.SIGINT, request.on_sigint)
    try:
        yield request
    finally:
        signal.signal(signal.SIGINT, previous)
