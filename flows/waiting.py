"""Waiting for whichever of several things appears first, the way a person glances around."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from flows.errors import PageNotAsExpected

# How long each look at one candidate may wait before the next candidate gets a look.
# Short, so that while one candidate is looked at another is not missed for long: with two candidates,
# 100 ms looks saw the other one 24 ms after it appeared (median; 98 ms at worst), 30 ms looks 8 ms (40 ms).
GLANCE_MS = 30

# Within a timeout under 250 ms Playwright re-checks every 20 ms; within a long one its pauses grow to 500 ms,
# so what a portal shows 300 ms after a click is seen only at about 770 ms.
QUICK_MS = 240


def quickly(wait: Callable[[float | None], object]) -> None:
    """Run an auto-waiting `wait(timeout)` first with QUICK_MS (fine re-checks), then with its full timeout
    (None): what the portal shows within a quarter second is seen within 20 ms, a slow answer as before."""
    try:
        wait(QUICK_MS)
    except (AssertionError, PlaywrightTimeoutError):
        wait(None)


def done_at_once(action: Callable[[float], object]) -> bool:
    """Try `action(timeout)` with QUICK_MS and say whether it was done.

    For a click, fill or short look at what is nearly always already there: one round trip, no look first.
    False (nothing raised) when the page was not ready or not as expected, e.g. two elements for a
    strict locator; the caller then waits and looks, and names what is wrong.
    """
    try:
        action(QUICK_MS)
    except PlaywrightError:  # a timeout is one, so is a strict-mode violation
        return False
    return True


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
