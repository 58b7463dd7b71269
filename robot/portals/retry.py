"""Bounded, logged retries for the steps that are safe to repeat (navigating, reading, downloading)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from flows.errors import PageNotAsExpected, PortalUnavailable, SignedOut
from robot.errors import first_line, network_error

log = logging.getLogger("robot")

# Worth another try: a slow or failing portal. Not: refused credentials, a refused token, a wanted code.
# Playwright's TimeoutError is its own class, not the built-in TimeoutError.
TRANSIENT: tuple[type[BaseException], ...] = (PortalUnavailable, PageNotAsExpected, PlaywrightTimeoutError)
ATTEMPTS = 3
# Backoff between attempts: 0.25 s, then 0.5 s (a portal that is down for longer fails the location).
WAIT = wait_exponential(multiplier=0.25, max=4)

T = TypeVar("T")


def is_transient(error: BaseException) -> bool:
    """A slow or failing portal, or the network to it."""
    return isinstance(error, TRANSIENT) or network_error(error) is not None


def retrying(step: str, action: Callable[[], T], recover: Callable[[BaseException], None]) -> T:
    """Run `action`; after a transient error or a stale session, `recover` and run it again.

    At most ATTEMPTS tries, each retry logged, and the last error re-raised as it was.
    The recovery (going back to the start page, signing in again) runs inside the next
    attempt, so a recovery that fails on a slow portal is itself retried within the bound.
    """
    unrecovered: list[BaseException] = []

    def attempt() -> T:
        if unrecovered:
            recover(unrecovered[0])
            unrecovered.clear()
        return action()

    def before_retry(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        if error is None:
            return
        log.warning("%s failed (attempt %d of %d), trying again: %s", step, state.attempt_number, ATTEMPTS,
                    first_line(error))
        if not unrecovered:  # while a recovery keeps failing, recover from the first error again
            unrecovered.append(error)

    policy = Retrying(
        stop=stop_after_attempt(ATTEMPTS),
        wait=WAIT,
        retry=retry_if_exception(lambda error: is_transient(error) or isinstance(error, SignedOut)),
        before_sleep=before_retry,
        reraise=True,
    )
    return policy(attempt)
