"""One log line per finished step with how long it took; the same seconds feed the benchmark's breakdown."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger("robot")


class StepTimer:
    """Seconds spent per kind of step ("sign-in", "download", ...) over a run."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def step(self, kind: str, subject: str) -> Iterator[None]:
        """Time the block; its line is logged only when it succeeded (a failure has a line of its own)."""
        started = time.perf_counter()
        log.debug("%s: %s ...", subject, kind)
        try:
            yield
        finally:
            elapsed = time.perf_counter() - started
            self.seconds[kind] += elapsed
        log.info("%s: %s (%.2f s)", subject, kind, elapsed)
