"""One location's result (renewed, skipped or failed, with dates and reasons) and its one-line summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from robot.renewal.apple_check import AppleVerdict

RENEWED = "renewed"
SKIPPED = "skipped"
FAILED = "failed"


@dataclass
class Result:
    location: str
    account: str
    status: str
    old_valid_until: date | None = None
    new_valid_until: date | None = None
    error: str | None = None
    detail: str | None = None
    kept_token_file: str | None = None
    screenshot: str | None = None
    duration_s: float | None = None  # the time spent on the location; None when it was not worked on
    apple_check: AppleVerdict | None = None  # None where Apple was not asked: not due, a dry run, failed before

    def summary(self) -> str:
        old = self.old_valid_until.isoformat() if self.old_valid_until else "unknown"
        if self.status == RENEWED:
            return f"{self.location}: renewed, valid until {old} -> {self.new_valid_until}"
        if self.status == SKIPPED:
            return f"{self.location}: skipped ({self.detail}), valid until {old}"
        return f"{self.location}: FAILED: {self.error}"

