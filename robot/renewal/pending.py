"""Tokens kept in the state directory's pending/ folder: written once a token is checked, deleted once Cortado
shows it, and reconciled at the start of a run when an earlier one stopped (killed, crashed) in between.

At the start: a kept token Cortado already shows is installed, so it is deleted; an expired one is deleted; one
still good is used for its location instead of a new download (a second download could revoke it, and it may
be the only copy of the token Apple now expects). Each is said in the log.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from robot.errors import TokenRejected
from robot.renewal.dates import shows
from robot.renewal.plan import Account
from robot.renewal.token_check import ServerToken, decode_token
from robot.runtime.private_files import safe_file_name, write_private

log = logging.getLogger("robot")


def kept_path(folder: Path, location: str) -> Path:
    return folder / f"sToken_for_{safe_file_name(location)}.vpptoken"


def keep(folder: Path, location: str, token_text: str) -> Path:
    """The checked token in a private file, so that a person, or the next run, can finish if the save fails."""
    return write_private(kept_path(folder, location), token_text.encode())


def reconcile(folder: Path, accounts: Sequence[Account], today: date) -> dict[str, ServerToken]:
    """The kept tokens still to be installed, by location; the installed and the expired ones deleted."""
    waiting: dict[str, ServerToken] = {}
    for account in accounts:
        path = kept_path(folder, account.location)
        token = _read(path)
        if token is None:
            continue
        if shows(account.valid_until, token.expiry_date):
            log.info("%s: Cortado shows the token an earlier run kept (valid until %s): %s deleted",
                     account.location, token.expiry_date, path)
            path.unlink()
        elif token.expiry_date <= today:
            log.info("%s: the token an earlier run kept expired on %s: %s deleted", account.location,
                     token.expiry_date, path)
            path.unlink()
        else:
            log.info("%s: an earlier run kept a token valid until %s that Cortado does not show yet: it is used "
                     "instead of a new download", account.location, token.expiry_date)
            waiting[account.location] = token
    return waiting


def _read(path: Path) -> ServerToken | None:
    if not path.is_file():
        return None
    try:
        return decode_token(path.read_text(errors="replace"))
    except TokenRejected as error:
        log.warning("%s is left alone: %s", path, error)
        return None
