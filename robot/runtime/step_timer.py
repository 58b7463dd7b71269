"""One log line per step with its timing; the same timings feed the benchmark's breakdown."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger("robot")


class StepTimes:
    """Seconds spent per kind of step ("sign-in", "download", ...) over a run."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)

    @contextmanager
    def step(self, kind: str, subject: str) -> Iterator[None]:
        started = time.perf_counter()
        log.debug("%s: %s ...", subject, kind)
        try:
            yield
        finally:
            elapsed = time.perf_counter() - started
            self.seconds[kind] += elapsed
            self.counts[kind] += 1
            log.info("%s: %s (%.2f s)", subject, kind, elapsed)
