"""Where Cortado's authenticator codes come from: computed from CORTADO_TOTP_SECRET, asked at the terminal, typed
by a person in the browser window (`login --headed`), or nowhere (the run must stop and ask for a person)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime

import pyotp

from flows.cortado_code import Codes
from robot.runtime.settings import Settings
from robot.runtime.terminal import another_try, ask

# The current time window's code, then the next window's: a server that allows one step of clock drift (RFC 6238,
# section 6) takes it, also when the current code was already used by a sign-in moments before.
SECRET_TRIES = 2
PROMPT = "Cortado authenticator code (from the authenticator app): "


def authenticator_codes(settings: Settings, interactive: bool | None = None, in_window: bool = False) -> Codes:
    """The secret first; else the person in the browser window (`in_window`) or at a terminal; else none."""
    if settings.cortado_totp_secret:
        return Codes(_from_secret(settings.cortado_totp_secret))
    if in_window:
        return Codes(person_wait_ms=settings.login_timeout_s * 1000)
    if interactive if interactive is not None else sys.stdin.isatty():
        return Codes(_from_terminal)
    return Codes()


def _from_secret(secret: str) -> Callable[[int], str | None]:
    totp = pyotp.TOTP(secret)

    def code(attempt: int) -> str | None:
        return totp.at(datetime.now(UTC), counter_offset=attempt) if attempt < SECRET_TRIES else None

    return code


def _from_terminal(attempt: int) -> str | None:
    return ask(PROMPT) if another_try(attempt) else None
