"""Renewing each planned location: fetch (download, check), install, verify; each location on its own."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from flows.errors import FlowError, TokenRefused
from robot.errors import RobotError, StopsTheRun
from robot.portals.retry import first_line
from robot.portals.sessions import ABM, CORTADO, Portals
from robot.renewal.dates import parse_shown_date, shown_as
from robot.renewal.plan import Account, make_plan, to_accounts
from robot.renewal.token_check import ServerToken, TokenRejected, check_token, decode_token
from robot.reports.results import FAILED, RENEWED, SKIPPED, Result
from robot.runtime.private_files import write_private
from robot.runtime.redaction import REDACTOR

log = logging.getLogger("robot")

SAVE_ATTEMPTS = 2


@dataclass(frozen=True)
class RenewRequest:
    locations: tuple[str, ...] = ()
    every: bool = False
    due_within: int | None = None
    dry_run: bool = False


class LocationFailed(Exception):
    """Ends one location; the run goes on with the others."""

    def __init__(self, message: str, portal: str | None = None, kept: Path | None = None) -> None:
        super().__init__(message)
        self.portal = portal
        self.kept = kept


@dataclass(frozen=True)
class Staged:
    """A location's checked token, kept in a private file until Cortado shows that it took."""

    account: Account
    token: ServerToken
    kept: Path


Record = Callable[[Result], None]
Listing = dict[str, LocationFailed | None]  # per location: why ABM's list rules it out, or None


def renew(portals: Portals, request: RenewRequest, now: datetime, results: list[Result]) -> None:
    """Fill `results`, one per location in the order asked; a location the run never reached says so.

    Filled in place so that a run stopped half-way (a wanted code, a refused password) still reports
    what it did and what it did not do.
    """
    today = now.date()
    plan = make_plan(to_accounts(portals.read_accounts()), request.locations, request.every,
                     request.due_within, today)
    due = {a.location for a in plan.due}
    results[:] = [
        Result(a.location, a.name, FAILED, a.valid_until, error="not attempted: the run stopped before it")
        if a.location in due else
        Result(a.location, a.name, SKIPPED, a.valid_until, detail=f"not due, {a.days_left(today)} days left")
        for a in plan.chosen
    ]
    position = {result.location: index for index, result in enumerate(results)}

    def record(result: Result) -> None:
        results[position[result.location]] = result

    if not plan.due:
        return
    listing = _abm_listing(portals, plan.due)
    if request.dry_run:
        for number, account in enumerate(plan.due, 1):
            _announce(number, len(plan.due), account)
            record(_look(portals, account, listing))
    else:
        _renew_due(portals, plan.due, now, listing, record)


def _renew_due(portals: Portals, due: Sequence[Account], now: datetime, listing: Listing, record: Record) -> None:
    """Install each location, fetch the next one while Cortado reloads its table, then verify.

    Cortado saves on OK, asks its question, and after No reloads its table, where the new Valid until (the
    proof that the save took) then shows: ABM's page works meanwhile, so the browser works on both. Cortado
    is still changed for a location only after its own token is downloaded and checked.
    """
    ahead = _fetch(portals, due, 0, now, listing)
    for index in range(len(due)):
        installed = _install(portals, ahead)
        record(_unverified(installed))  # what the report says if the run stops before the verify
        try:
            if index + 1 < len(due):
                ahead = _fetch(portals, due, index + 1, now, listing)
        except StopsTheRun:
            record(_verify(portals, installed))  # Cortado's page is not the one that stopped the run
            raise
        record(_verify(portals, installed))


def _abm_listing(portals: Portals, accounts: Sequence[Account]) -> Listing:
    """Whether ABM lists each location's token exactly once (None) or why not: looked at once, before the first
    download, so that such a location fails at once, not after waiting for its Download button."""
    try:
        listed = portals.tokens_listed([account.location for account in accounts])
    except (FlowError, PlaywrightError) as error:
        unread = LocationFailed(first_line(error), ABM)
        return {account.location: unread for account in accounts}
    return {location: _not_listed_once(location, count) for location, count in listed.items()}


def _not_listed_once(location: str, count: int) -> LocationFailed | None:
    if count == 1:
        return None
    if not count:
        return LocationFailed(f'ABM lists no token for exactly "{location}"', ABM)
    return LocationFailed(f'ABM lists {count} tokens for exactly "{location}": which one is meant is for a person '
                          "to decide", ABM)


def _announce(number: int, total: int, account: Account) -> None:
    log.info("[%d/%d] %s: valid until %s", number, total, account.location, account.valid_until)


def _fetch(portals: Portals, due: Sequence[Account], index: int, now: datetime, listing: Listing) -> Staged | Result:
    """Download and check the token of `due[index]` and keep it; a failure is that location's result."""
    account = due[index]
    _announce(index + 1, len(due), account)
    unlisted = listing[account.location]
    if unlisted:
        return _failed(portals, account, unlisted)
    try:
        token = _download_checked(portals, account, now)
        return Staged(account, token, _keep(portals, account, token))
    except LocationFailed as failure:
        return _failed(portals, account, failure)


def _install(portals: Portals, staged: Staged | Result) -> Staged | Result:
    """Replace the token in Cortado (returns once No is answered); a failed location passes through."""
    if isinstance(staged, Result):
        return staged
    try:
        _replace(portals, staged.account, staged.token, staged.kept)
    except LocationFailed as failure:
        return _failed(portals, staged.account, failure)
    return staged


def _verify(portals: Portals, installed: Staged | Result) -> Result:
    """Read the new Valid until back; only then is the kept token file deleted."""
    if isinstance(installed, Result):
        return installed
    account = installed.account
    try:
        new_valid_until = _read_back(portals, account, installed.token, installed.kept)
    except LocationFailed as failure:
        return _failed(portals, account, failure)
    installed.kept.unlink(missing_ok=True)
    result = Result(account.location, account.name, RENEWED, account.valid_until, new_valid_until=new_valid_until)
    log.info("%s", result.summary())
    return result


def _unverified(installed: Staged | Result) -> Result:
    if isinstance(installed, Result):
        return installed
    return Result(installed.account.location, installed.account.name, FAILED, installed.account.valid_until,
                  error=f"saved in Cortado but not verified: the run stopped first; the new token is kept in "
                        f"{installed.kept}", kept_token_file=str(installed.kept))


def _look(portals: Portals, account: Account, listing: Listing) -> Result:
    """The dry run: ABM lists the location's token; nothing is downloaded or changed."""
    unlisted = listing[account.location]
    if unlisted:
        return _failed(portals, account, unlisted)
    return Result(account.location, account.name, SKIPPED, account.valid_until, detail="dry run: would renew")


def _failed(portals: Portals, account: Account, failure: LocationFailed) -> Result:
    """The location's failure, with a screenshot of the failing page taken now, before the page moves on."""
    result = Result(account.location, account.name, FAILED, account.valid_until, error=REDACTOR.mask(str(failure)),
                    kept_token_file=str(failure.kept) if failure.kept else None)
    log.error("%s", result.summary())
    result.screenshot = _screenshot(portals, failure.portal, account.location) if failure.portal else None
    return result


def _screenshot(portals: Portals, portal: str, subject: str) -> str | None:
    """Capture the failing page and tell the admin where it is (screenshots are private: 0600)."""
    path = portals.browsing.capture_failure(portal, subject)
    if path:
        log.warning("%s: screenshot of the %s page (it may show secrets): %s", subject, portal, path)
    return str(path) if path else None


def _download_checked(portals: Portals, account: Account, now: datetime) -> ServerToken:
    """The new token, checked before anything in Cortado is touched."""
    try:
        downloaded = portals.download(account.location)
    except (FlowError, PlaywrightError) as error:
        raise LocationFailed(f"download from ABM failed: {first_line(error)}", ABM) from None
    REDACTOR.add(downloaded.text.strip())
    with portals.times.step("check token", account.location):
        try:
            token = decode_token(downloaded.text)
            check_token(token, location=account.location, filename=downloaded.filename,
                        current_valid_until=account.valid_until, org_name=portals.settings.org_name, now=now)
        except TokenRejected as error:
            raise LocationFailed(f"token refused, Cortado not changed: {error}") from None
    return token


def _keep(portals: Portals, account: Account, token: ServerToken) -> Path:
    """Until verified, the new token lives in a private file, so a person can finish by hand."""
    safe = "".join(c if c.isalnum() else "_" for c in account.location)
    return write_private(portals.settings.state_dir / "pending" / f"sToken_for_{safe}.vpptoken", token.text.encode())


def _replace(portals: Portals, account: Account, token: ServerToken, kept: Path) -> None:
    """Replace the token and answer No; a failed save is never blindly repeated: first look whether it happened."""
    for attempt in range(1, SAVE_ATTEMPTS + 1):
        try:
            with portals.times.step("replace", account.location):
                portals.cortado.replace_token(account.location, token.text)
            return
        except TokenRefused as error:
            raise LocationFailed(f"Cortado refused the token: {error.message}; the old token stays; "
                                 f"the new one is kept in {kept}", CORTADO, kept) from None
        except (FlowError, PlaywrightError) as error:
            log.warning("%s: saving in Cortado failed (attempt %d of %d): %s", account.location, attempt,
                        SAVE_ATTEMPTS, first_line(error))
            if _installed(portals, account, token):
                log.info("%s: Cortado has the new token after all", account.location)
                return
            if attempt == SAVE_ATTEMPTS:
                raise LocationFailed(f"saving in Cortado failed: {first_line(error)}; the old token stays; "
                                     f"the new one is kept in {kept}", CORTADO, kept) from None


def _installed(portals: Portals, account: Account, token: ServerToken) -> bool:
    try:
        rows = {a.location: a for a in to_accounts(portals.read_accounts(fresh=True))}
    except (FlowError, PlaywrightError, RobotError):
        return False
    shown = rows.get(account.location)
    return bool(shown and shown.valid_until and abs((shown.valid_until - token.expiry_date).days) <= 1)


def _read_back(portals: Portals, account: Account, token: ServerToken, kept: Path) -> date:
    with portals.times.step("verify", account.location):
        try:
            shown = portals.cortado.wait_for_valid_until(account.location, shown_as(token.expiry_date))
        except (FlowError, PlaywrightError) as error:
            raise LocationFailed(f"could not read back Valid until: {first_line(error)}; the new token is kept in "
                                 f"{kept}", CORTADO, kept) from None
    shown_date = parse_shown_date(shown)
    if shown_date is None or abs((shown_date - token.expiry_date).days) > 1:
        raise LocationFailed(f"Cortado shows Valid until {shown!r} after saving, expected {token.expiry_date}; "
                             f"the new token is kept in {kept}", CORTADO, kept)
    return shown_date

