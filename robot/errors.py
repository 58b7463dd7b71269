"""Failures the admin must act on, each with the exit code the CLI returns for it."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PERSON_NEEDED = 3


class RobotError(Exception):
    """An error whose message is a complete one-line instruction for the admin."""

    exit_code = EXIT_FAILED


class ConfigError(RobotError):
    exit_code = EXIT_USAGE


class StopsTheRun(RobotError):
    """Nothing more can be done in this run; the location already in Cortado's hands is finished first."""


class CredentialsRejected(StopsTheRun):
    exit_code = EXIT_USAGE


class PersonNeeded(StopsTheRun):
    exit_code = EXIT_PERSON_NEEDED


class PortalUnreachable(StopsTheRun):
    exit_code = EXIT_FAILED


class AnotherRunActive(RobotError):
    exit_code = EXIT_FAILED
