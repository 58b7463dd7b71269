"""The renewal: read Cortado's accounts, plan, look at ABM's list once, then each due location top to bottom.

For one location: download its token from ABM, check it, open the account's edit form in Cortado, ask Apple
about the new token and the installed one the form shows (a refusal cancels the form), paste, OK, answer No,
read Valid until back, record. Cortado is changed only once a checked token is in hand, and a location that
fails ends alone: the run goes on with the next one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from playwright.sync_api import Error as PlaywrightError

from flows.errors import FlowError, TokenRefused
from robot.errors import LocationFailed, RobotError, TokenRejected, first_line
from robot.portals.abm import ABM, AbmSession
from robot.portals.cortado import CORTADO, CortadoSession
from robot.renewal import pending
from robot.renewal.apple_check import CONFIRMED, AppleCheck
from robot.renewal.dates import parse_shown_date, shown_as, shows
from robot.renewal.outcome import Outcome, Outcomes
from robot.renewal.plan import Account, make_plan, to_accounts
from robot.renewal.token_check import ServerToken, check_token, decode_token, holds_a_token_or_nothing
from robot.runtime.redaction import REDACTOR
from robot.runtime.step_timer import StepTimer

log = logging.getLogger("robot")

SAVE_ATTEMPTS = 2


@dataclass(frozen=True)
class RenewRequest:
    locations: tuple[str, ...] = ()
    every: bool = False
    due_within: int | None = None
    dry_run: bool = False


class Renewal:
    def __init__(self, cortado: CortadoSession, abm: AbmSession, times: StepTimer, org_name: str | None,
                 apple: AppleCheck, *, checkpoint: Callable[[], None] = lambda: None) -> None:
        self.cortado = cortado
        self.abm = abm
        self.times = times
        self.org_name = org_name
        self.apple = apple
        self.checkpoint = checkpoint  # where a Ctrl-C stops the run: between steps, never inside one
        self.kept: dict[str, ServerToken] = {}  # by location: tokens an earlier run kept and did not install

    def run(self, request: RenewRequest, now: datetime, outcomes: Outcomes) -> None:
        """Renew what `request` asks for that is due, recording each chosen location in `outcomes`."""
        self.cortado.sign_in()
        accounts = to_accounts(self.cortado.read_accounts())
        if not request.dry_run:  # a dry run plans and changes nothing, the kept token files included
            self.kept = pending.reconcile(outcomes.pending_dir, accounts, now.date())
        plan = make_plan(accounts, request.locations, request.every, request.due_within, now.date())
        outcomes.expect(plan, now.date())
        if not plan.due:
            return
        unlisted = self._not_listed_once(plan.due)
        for number, account in enumerate(plan.due, 1):
            log.info("[%d/%d] %s: valid until %s", number, len(plan.due), account.location, account.valid_until)
            with outcomes.recording(account) as outcome:
                self.checkpoint()
                if account.location in unlisted:
                    raise unlisted[account.location]
                if request.dry_run:  # a token downloaded and not installed might revoke the one in use
                    outcome.skipped("dry run: would renew")
                else:
                    self._renew(account, now, outcome)

    def _not_listed_once(self, accounts: Sequence[Account]) -> dict[str, LocationFailed]:
        """Why ABM's list rules a location out, for each it does: looked at once, before the first download, so
        that such a location fails at once, not after waiting for its Download button."""
        try:
            self.abm.sign_in()
            listed = self.abm.tokens_listed([account.location for account in accounts])
        except (FlowError, PlaywrightError) as error:
            return {account.location: LocationFailed(first_line(error), ABM) for account in accounts}
        failures = {}
        for location, count in listed.items():
            if not count:
                failures[location] = LocationFailed(f'ABM lists no token for exactly "{location}"', ABM)
            elif count > 1:
                failures[location] = LocationFailed(f'ABM lists {count} tokens for exactly "{location}": which one '
                                                    "is meant is for a person to decide", ABM)
        return failures

    def _renew(self, account: Account, now: datetime, outcome: Outcome) -> None:
        outcome.fetching = True
        token = self._download_checked(account, now)
        outcome.keep(token.text)
        self.checkpoint()
        outcome.saving = True
        with self.times.step("replace", account.location):  # logged once Cortado holds the token, however it got it
            self._save(account, token, lambda installed: self._ask_apple(account, token, outcome, installed))
        outcome.saved = True
        outcome.renewed(self._read_back(account, token))

    def _download_checked(self, account: Account, now: datetime) -> ServerToken:
        """The new token, checked before anything in Cortado is touched: the one an earlier run kept when it
        passes the checks (its file name is the robot's own; the name was checked when it was downloaded),
        else a download."""
        kept = self.kept.pop(account.location, None)
        if kept:
            try:
                return self._checked(account, kept.text, None, now)
            except LocationFailed as refusal:
                log.warning("%s: the kept token is not used, a new one is downloaded: %s", account.location, refusal)
        try:
            downloaded = self.abm.download(account.location)
        except (FlowError, PlaywrightError) as error:
            raise LocationFailed(f"download from ABM failed: {first_line(error)}", ABM) from None
        return self._checked(account, downloaded.text, downloaded.filename, now)

    def _checked(self, account: Account, text: str, filename: str | None, now: datetime) -> ServerToken:
        REDACTOR.add(text.strip())
        with self.times.step("check token", account.location):
            try:
                token = decode_token(text)
                check_token(token, location=account.location, filename=filename,
                            current_valid_until=account.valid_until, org_name=self.org_name, now=now)
            except TokenRejected as error:
                raise LocationFailed(f"token refused, Cortado not changed: {error}") from None
        return token

    def _ask_apple(self, account: Account, token: ServerToken, outcome: Outcome, installed: str) -> None:
        """Apple's word on the new token, asked once the edit form shows the installed one (for its unit) and
        before the new one is pasted; a refusal cancels the form: Cortado unchanged, the token not kept. A field
        that holds something other than a server token is not the token field (an account's name in a box beside
        a label that was not its own): the form is cancelled too."""
        holds_a_token_or_nothing(installed)
        if outcome.apple is None:  # once per token, however often the save is tried
            REDACTOR.add(installed.strip())
            outcome.apple = self.apple.check(account.location, token, installed)
            if outcome.apple.status == CONFIRMED:
                log.info("%s: %s", account.location, outcome.apple.reason)
        if self.apple.blocks(outcome.apple):
            outcome.discard()
            raise LocationFailed(f"token refused, Cortado not changed: {outcome.apple.reason}")

    def _save(self, account: Account, token: ServerToken, looked_at: Callable[[str], None]) -> None:
        """Replace the token and answer No; a failed save is never blindly repeated: first look whether it took."""
        for attempt in range(1, SAVE_ATTEMPTS + 1):
            try:
                self.cortado.replace_token(account.location, token.text, looked_at)
                return
            except TokenRefused as error:
                raise LocationFailed(f"Cortado refused the token: {error.message}; the old token stays",
                                     CORTADO) from None
            except (FlowError, PlaywrightError) as error:
                log.warning("%s: saving in Cortado failed (attempt %d of %d): %s", account.location, attempt,
                            SAVE_ATTEMPTS, first_line(error))
                if self._holds(account, token):
                    log.info("%s: Cortado has the new token after all", account.location)
                    return
                if attempt == SAVE_ATTEMPTS:
                    raise LocationFailed(f"saving in Cortado failed: {first_line(error)}; the old token stays",
                                         CORTADO) from None

    def _holds(self, account: Account, token: ServerToken) -> bool:
        """Whether Cortado's table, loaded anew, shows the new token's expiry for the account."""
        try:
            rows = {a.location: a for a in to_accounts(self.cortado.read_accounts(fresh=True))}
        except (FlowError, PlaywrightError, RobotError):
            return False
        shown = rows.get(account.location)
        return bool(shown and shows(shown.valid_until, token.expiry_date))

    def _read_back(self, account: Account, token: ServerToken) -> date:
        """The Valid until Cortado shows once the save took: the proof that it did."""
        try:
            shown = self.cortado.valid_until(account.location, shown_as(token.expiry_date))
        except (FlowError, PlaywrightError) as error:
            raise LocationFailed(f"could not read back Valid until: {first_line(error)}", CORTADO) from None
        shown_date = parse_shown_date(shown)
        if shown_date is None or not shows(shown_date, token.expiry_date):
            raise LocationFailed(f"Cortado shows Valid until {shown!r} after saving, expected {token.expiry_date}",
                                 CORTADO)
        return shown_date
