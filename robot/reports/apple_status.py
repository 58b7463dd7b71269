"""`status --apple`: Apple's own view of the token each account holds now, to find those that break before their
date (revoked, of another unit, their unit claimed by another MDM).

Each installed token is read from its account's edit form, which is cancelled: nothing is saved.
"""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError

from flows.errors import FlowError
from robot.errors import AppleRefused, AppleUnreachable, first_line
from robot.portals.cortado import CortadoSession
from robot.renewal.apple_check import AppleCheck, same_unit_name
from robot.renewal.plan import Account
from robot.runtime.redaction import REDACTOR

APPLE_COLUMNS = {"apple_unit": "Apple: unit", "apple_expires": "Apple: expires", "apple_mdm": "Apple: MDM",
                 "apple_problem": "Apple: problem"}

AppleView = dict[str, str | None]


def apple_views(accounts: list[Account], cortado: CortadoSession, apple: AppleCheck) -> dict[str, AppleView]:
    """Each account's location and what Apple says of its installed token."""
    views = {}
    for account in accounts:
        try:
            token = cortado.installed_token(account.location)
        except (FlowError, PlaywrightError) as error:
            views[account.location] = _problem(f"the installed token could not be read: {first_line(error)}")
            continue
        REDACTOR.add(token.strip())
        views[account.location] = _view(account.location, token, apple)
    return views


def _view(location: str, token: str, apple: AppleCheck) -> AppleView:
    if not token.strip():
        return _problem("Cortado holds no token")
    try:
        config = apple.api.client_config(token)
    except AppleRefused as error:
        return _problem(f"Apple refuses it: {error}")
    except AppleUnreachable as error:
        return _problem(f"Apple's Apps and Books API could not be asked: {error}")
    other_unit = (None if same_unit_name(config.location_name, location)
                  else f'the token is of unit "{config.location_name}", not "{location}"')
    return {"apple_unit": config.location_name,
            "apple_expires": config.expires.date().isoformat() if config.expires else None,
            "apple_mdm": config.mdm.name if config.mdm else None,
            "apple_problem": other_unit or apple.claimed_elsewhere(config)}


def _problem(problem: str) -> AppleView:
    return {**dict.fromkeys(APPLE_COLUMNS), "apple_problem": problem}
