"""Every failure the robot reports, the exit code each one ends the run with, and how an error reads in one line."""

from __future__ import annotations

import re
from enum import IntEnum

from playwright.sync_api import Error as PlaywrightError


class ExitCode(IntEnum):
    """What the run's end means for the job that started it (README, "Exit codes")."""

    OK = 0
    FAILED = 1  # a location or a portal failed: the next run tries again
    CONFIG = 2  # the command, a setting or a password is wrong: retrying unchanged cannot help
    PERSON_NEEDED = 3  # a portal wants a code (ABM's verification code, Cortado's authenticator code) no one can give
    INTERRUPTED = 130  # as a shell reports a run stopped by Ctrl-C (128 + SIGINT)


class RobotError(Exception):
    """An error whose message is a complete one-line instruction for the admin."""

    exit_code = ExitCode.FAILED


class ConfigError(RobotError):
    """The command line, a setting or a labels file is wrong."""

    exit_code = ExitCode.CONFIG


class BrowserMissing(ConfigError):
    """No Chromium to launch, or the one configured does not start."""


class Interrupted(RobotError):
    """Ctrl-C (SIGINT) stopped the run where it was; the message says what it had done by then."""

    exit_code = ExitCode.INTERRUPTED


class AnotherRunActive(RobotError):
    """Another run holds the state directory's lock: nothing was done, and its report is the other run's."""

    exit_code = ExitCode.CONFIG


class TokenRejected(RobotError):
    """A downloaded token must not be installed; the message says why."""


class AppleRefused(RobotError):
    """Apple's Apps and Books API answered a token with an error of its own (`errorNumber`, `errorMessage`)."""

    def __init__(self, number: int, message: str) -> None:
        super().__init__(f"{number} {message}".strip())
        self.number = number


class AppleUnreachable(RobotError):
    """Apple's Apps and Books API could not be asked: no network, a proxy in the way, or still busy after retries."""


class StopsTheRun(RobotError):
    """Nothing more can be done in this run; the location already in Cortado's hands is finished first."""


class CredentialsRejected(StopsTheRun):
    """A portal refused the username or password."""

    exit_code = ExitCode.CONFIG


class PersonNeeded(StopsTheRun):
    """A portal wants a code and no one is there to type it."""

    exit_code = ExitCode.PERSON_NEEDED


class Cancelled(StopsTheRun):
    """The person at the terminal ended a prompt with Ctrl-D or Ctrl-C."""

    exit_code = ExitCode.INTERRUPTED


class SessionEndedAgain(StopsTheRun):
    """A portal ended the session a second time in one run, after the robot had signed in again once."""


class PortalUnreachable(StopsTheRun):
    """A portal's address does not answer at all."""


class LocationFailed(Exception):
    """Ends one location; the run goes on with the others. `portal` is the page to screenshot, if any."""

    def __init__(self, message: str, portal: str | None = None) -> None:
        super().__init__(message)
        self.portal = portal


# How Chromium names a page it could not load at all, e.g. "Page.goto: net::ERR_CONNECTION_REFUSED at ...".
NETWORK_ERROR = re.compile(r"net::ERR_[A-Z_]+")


def first_line(error: BaseException) -> str:
    """What happened, without the multi-line call log that Playwright appends to its messages."""
    text = (error.message if isinstance(error, PlaywrightError) else str(error)).strip()
    return text.splitlines()[0] if text else type(error).__name__


def network_error(error: BaseException) -> str | None:
    """Chromium's name for a network failure behind `error` (net::ERR_...), or None when it is not one."""
    if not isinstance(error, PlaywrightError):
        return None
    found = NETWORK_ERROR.search(first_line(error))
    return found.group() if found else None


def exit_code_of(error: BaseException) -> ExitCode:
    """The exit code a run that ended in `error` ends with (README, "Exit codes")."""
    if isinstance(error, RobotError):
        return error.exit_code
    if isinstance(error, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    return ExitCode.FAILED
