"""Waiting for whichever of several things appears first, the way a person glances around."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from flows.errors import PageNotAsExpected

# How long each look at one candidate may wait before the next candidate gets a look.
# Short, so that while one candidate is looked at another is not missed for long: with two candidates,
# 100 ms looks saw the other one 24 ms after it appeared (median; 98 ms at worst), 30 ms looks 8 ms (40 ms).
GLANCE_MS = 30

# Playwright re-checks back to back within a timeout under 100 ms, every 20 ms within one under 250 ms, and
# with pauses growing to 500 ms within a longer one (what a portal shows 300 ms after a click would be seen only
# at about 770 ms). So a wait is tried with each of these in turn, then with its full timeout: what shows within
# 0.1 s is seen within a few ms, what shows within a third of a second within 20 ms, a slow answer as before.
# Back-to-back re-checks cost the browser some work, hence only for the first tenth of a second.
QUICK_MS = (99, 240)


def quickly(wait: Callable[[float | None], object]) -> None:
    """Run an auto-waiting `wait(timeout)` with each of QUICK_MS, then with its full timeout (None)."""
    for timeout in QUICK_MS:
        try:
            wait(timeout)
        except (AssertionError, PlaywrightTimeoutError):
            continue
        return
    wait(None)


def done_at_once(action: Callable[[float], object], timeouts: Sequence[float] = QUICK_MS) -> bool:
    """Try `action(timeout)` with each of `timeouts` and say whether it was done.

    For a click, fill or short look at what is nearly always already there: one round trip, no look first.
    False (nothing raised) when the page was not ready within a third of a second or not as expected, e.g.
    two elements for a strict locator; the caller then waits and looks, and names what is wrong. A click
    that must not happen twice gets one timeout: one cut off by its timeout may have gone through.
    """
    for timeout in timeouts:
        try:
            action(timeout)
        except PlaywrightTimeoutError:
            continue
        except PlaywrightError:  # e.g. a strict-mode violation: no use trying again
            return False
        return True
    return False


def first_visible(candidates: Mapping[str, Locator], timeout_ms: float, step: str) -> str:
    """The name of the first candidate that becomes visible.

    Candidates in one frame combine with Locator.or_(); this is for candidates in
    different frames (the ABM sign-in iframe and its page), which or_() cannot join.
    Each look is an auto-waiting expect() with a short timeout, never a fixed sleep.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        for name, locator in candidates.items():
            try:
                expect(locator.first).to_be_visible(timeout=GLANCE_MS)
            except (AssertionError, PlaywrightError):
                continue
            return name
        if time.monotonic() > deadline:
            wanted = ", ".join(candidates)
            raise PageNotAsExpected(step, f"none of {wanted} appeared within {timeout_ms / 1000:.0f} s")
