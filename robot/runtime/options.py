"""How the admin asked to see the run: headed or not, slowed down, traced, paused at a failure."""

from __future__ import annotations

from dataclasses import dataclass

TRACE_MODES = ("on", "off", "retain-on-failure")


@dataclass(frozen=True)
class BrowserOptions:
    headed: bool = False
    slow_mo: float = 0
    trace: str = "retain-on-failure"
    pause_on_failure: bool = False
