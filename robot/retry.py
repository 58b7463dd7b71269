"""Bounded, logged retries for the steps that are safe to repeat (navigating, reading, downloading)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from flows.errors import PageNotAsExpected, PortalUnavailable, SignedOut

log = logging.getLogger("robot")

# Worth another try: a slow or failing portal. Not: refused credentials, a refused token, a wanted code.
# Playwright's TimeoutError is its own class, not the built-in TimeoutError.
TRANSIENT: tuple[type[BaseException], ...] = (PortalUnavailable, PageNotAsExpected, PlaywrightTimeoutError)
ATTEMPTS = 3

T = TypeVar("T")


def retrying(step: str, action: Callable[[], T], recover: Callable[[BaseException], None]) -> T:
    """Run `action`; after a transient error or a stale session, `recover` and run it again.

    At most ATTEMPTS tries, each retry logged, and the last error re-raised as it was.
    """
    kinds = (*TRANSIENT, SignedOut)

    def before_retry(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.warning("%s failed (attempt %d of %d), trying again: %s", step, state.attempt_number, ATTEMPTS, error)
        if error is not None:
            recover(error)

    policy = Retrying(
        stop=stop_after_attempt(ATTEMPTS),
        wait=wait_exponential(multiplier=0.25, max=4),
        retry=retry_if_exception_type(kinds),
        before_sleep=before_retry,
        reraise=True,
    )
    return policy(action)
