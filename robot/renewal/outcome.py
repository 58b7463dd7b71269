"""What happened to each chosen location, recorded as it ends: renewed, skipped, failed, or stopped half-way.

Every due location is recorded inside `Outcomes.recording()`, which turns a failure into that location's result
(with a screenshot of the failing page and the downloaded token kept), and says, when the run stops there,
whether Cortado may already hold the new token.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from robot.errors import LocationFailed
from robot.renewal import pending
from robot.renewal.apple_check import AppleVerdict
from robot.renewal.plan import Account, Plan
from robot.renewal.results import FAILED, RENEWED, SKIPPED, Result
from robot.runtime.redaction import REDACTOR

log = logging.getLogger("robot")

NOT_ATTEMPTED = "not attempted: the run stopped before it"

Screenshot = Callable[[str, str], Path | None]  # (portal, subject) -> the picture of that portal's page


@dataclass
class Outcome:
    """One location's progress, from its downloaded token to the Valid until read back."""

    account: Account
    pending_dir: Path
    fetching: bool = False  # from here on ABM may have issued a new token
    kept: Path | None = None  # the new token, until Cortado shows that it took
    saving: bool = False  # from here on Cortado may hold the new token
    saved: bool = False
    result: Result | None = None
    apple: AppleVerdict | None = None  # what Apple said of the new token

    def keep(self, token_text: str) -> None:
        """Keep the checked token in a private file, so that a person can finish by hand if the save fails."""
        self.kept = pending.keep(self.pending_dir, self.account.location, token_text)

    def discard(self) -> None:
        """The token must not reach Cortado after all: not kept, and Cortado not being changed."""
        self._drop_kept()
        self.saving = False

    def renewed(self, new_valid_until: date) -> None:
        self._drop_kept()
        self.result = self._result(RENEWED, new_valid_until=new_valid_until)

    def _drop_kept(self) -> None:
        if self.kept:
            self.kept.unlink(missing_ok=True)
        self.kept = None

    def skipped(self, detail: str) -> None:
        self.result = self._result(SKIPPED, detail=detail)

    def failed(self, reason: str) -> Result:
        kept = f"; the new token is kept in {self.kept}" if self.kept else ""
        return self._result(FAILED, error=REDACTOR.mask(reason + kept),
                            kept_token_file=str(self.kept) if self.kept else None)

    def stopped(self) -> Result | None:
        """The result when the run stopped during this location; None when it had not got far enough to say more."""
        if self.saved:
            return self.failed("saved in Cortado but not verified: the run stopped first")
        if self.saving:
            return self.failed("the run stopped while saving in Cortado: whether Cortado took it is not known")
        if self.kept:
            return self.failed("not renewed: the run stopped before Cortado was changed")
        if self.fetching:
            return self.failed("not renewed: the run stopped while fetching the new token from ABM (one ABM may "
                               "have issued is not kept); Cortado not changed")
        return None

    def _result(self, status: str, **details: object) -> Result:
        account = self.account
        return Result(account.location, account.name, status, account.valid_until, apple_check=self.apple,
                      **details)  # type: ignore[arg-type]


class Outcomes:
    """The report's rows, one per chosen location in the order asked, each replaced as its location ends.

    Filled in place, so that a run stopped half-way (a wanted code, a refused password) still reports what it
    did and what it did not do.
    """

    def __init__(self, results: list[Result], pending_dir: Path, screenshot: Screenshot) -> None:
        self.results = results
        self.pending_dir = pending_dir
        self.screenshot = screenshot
        self._position: dict[str, int] = {}

    def expect(self, plan: Plan, today: date) -> None:
        """A row per chosen location: not due, or not attempted until its outcome is recorded."""
        due = {account.location for account in plan.due}
        self.results[:] = [
            Result(a.location, a.name, FAILED, a.valid_until, error=NOT_ATTEMPTED) if a.location in due else
            Result(a.location, a.name, SKIPPED, a.valid_until, detail=f"not due, {a.days_left(today)} days left")
            for a in plan.chosen
        ]
        self._position = {result.location: index for index, result in enumerate(self.results)}

    @contextmanager
    def recording(self, account: Account) -> Iterator[Outcome]:
        """The location's outcome, recorded however the block ends; a LocationFailed ends only this location."""
        outcome = Outcome(account, self.pending_dir)
        started = time.monotonic()
        try:
            yield outcome
        except LocationFailed as failure:
            self._record(self._failure(outcome, failure), started)
        except BaseException:
            stopped = outcome.stopped()
            if stopped:
                self._record(stopped, started)
            raise
        else:
            if outcome.result:
                self._record(outcome.result, started)

    def _failure(self, outcome: Outcome, failure: LocationFailed) -> Result:
        """The failed result, with a screenshot of the failing page taken now, before the page moves on."""
        result = outcome.failed(str(failure))
        log.error("%s", result.summary())
        if failure.portal:
            path = self.screenshot(failure.portal, outcome.account.location)
            if path:
                log.warning("%s: screenshot of the %s page (it may show secrets): %s", result.location,
                            failure.portal, path)
                result.screenshot = str(path)
        return result

    def _record(self, result: Result, started: float) -> None:
        result.duration_s = round(time.monotonic() - started, 3)
        if result.status == RENEWED:
            log.info("%s", result.summary())
        self.results[self._position[result.location]] = result
