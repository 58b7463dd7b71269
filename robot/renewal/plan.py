"""Which accounts to renew: the admin's choice of locations, and what is due."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flows.cortado import AccountRow
from robot.errors import ConfigError
from robot.renewal.dates import parse_shown_date

# ABM issues a token valid for a year, and token_check wants it more than a day later than the installed one:
# an account with more days left than this cannot be renewed today.
MOST_DAYS_LEFT_TO_RENEW = 365 - 2


@dataclass(frozen=True)
class Account:
    name: str
    location: str
    valid_until: date | None

    def days_left(self, today: date) -> int | None:
        return (self.valid_until - today).days if self.valid_until else None


@dataclass(frozen=True)
class Plan:
    chosen: list[Account]
    due: list[Account]
    not_due: list[Account]


def to_accounts(rows: Sequence[AccountRow]) -> list[Account]:
    return [Account(row.name, row.location, parse_shown_date(row.valid_until)) for row in rows]


def make_plan(accounts: Sequence[Account], locations: Sequence[str], every: bool,
              due_within: int | None, today: date) -> Plan:
    """Pick accounts by exact location (never a prefix), then keep those due within `due_within` days.

    An account renewed in the last days is never due: a new token would not last longer, and
    downloading one that will not be used is what portals.md warns against (it may revoke the old one).
    """
    asked = dict.fromkeys(as_written(name) for name in locations)
    chosen = list(accounts) if every else [_by_location(accounts, name) for name in asked]
    horizon = MOST_DAYS_LEFT_TO_RENEW if due_within is None else min(due_within, MOST_DAYS_LEFT_TO_RENEW)

    def is_due(account: Account) -> bool:
        days = account.days_left(today)
        return days is None or days <= horizon

    return Plan(chosen, [a for a in chosen if is_due(a)], [a for a in chosen if not is_due(a)])


def as_written(name: str) -> str:
    """A name as a person means it: the same letters whichever Unicode form typed them, no spaces around."""
    return unicodedata.normalize("NFC", name).strip()


def _by_location(accounts: Sequence[Account], location: str) -> Account:
    matches = [a for a in accounts if as_written(a.location) == location]
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(a.name for a in matches)
        raise ConfigError(f'location "{location}" is ambiguous: the accounts {names} all have it; fix it in Cortado')
    same_letters = [a.location for a in accounts if as_written(a.location).casefold() == location.casefold()]
    if same_letters:  # a guess here could renew the wrong unit: the admin chooses
        raise ConfigError(f'unknown location "{location}": did you mean "{same_letters[0]}"? '
                          "Locations are matched exactly, case included")
    known = "; ".join(sorted(a.location for a in accounts)) or "none"
    raise ConfigError(f'unknown location "{location}": Cortado\'s App-Store accounts have these locations: {known}')
