"""Choosing what to renew, and reading dates the way Cortado may show them (no browser needed)."""

from __future__ import annotations

from datetime import date

import pytest

from robot.errors import ConfigError
from robot.renewal.dates import parse_shown_date, shown_as
from robot.renewal.plan import Account, make_plan

TODAY = date(2026, 11, 23)
ACCOUNTS = [
    Account("A (VPP)", "CMS Documentation", date(2026, 12, 5)),
    Account("B (VPP)", "CMS Documentation Berlin", date(2026, 12, 18)),
    Account("C (VPP)", "Sales Hamburg", date(2027, 4, 22)),
    Account("D (VPP)", "No Token Yet", None),
]


@pytest.mark.parametrize("shown", ["2027-11-24", "24.11.2027", "11/24/2027", "24.11.27", "Valid until 2027-11-24",
                                   "Nov 24, 2027", "November 24, 2027", "24 Nov 2027", "24. Nov. 2027",
                                   "24. November 2027"])
def test_reads_iso_german_and_us_dates(shown: str) -> None:
    assert parse_shown_date(shown) == date(2027, 11, 24)


def test_a_cell_without_a_date_is_unknown() -> None:
    assert parse_shown_date("-") is None


def test_expected_date_pattern_allows_a_day_either_side_in_every_format() -> None:
    pattern = shown_as(date(2027, 11, 24))
    for text in ("2027-11-23", "25.11.2027", "11/24/2027", "Nov 24, 2027", "23. November 2027"):
        assert pattern.search(text)
    assert not pattern.search("2027-11-26")
    assert not pattern.search("Nov 26, 2027")
    assert not shown_as(date(2027, 11, 4)).search("24 Nov 2027"), "a day is never read out of a longer number"
    assert shown_as(date(2027, 3, 7)).search("3/7/2027") and shown_as(date(2027, 3, 7)).search("7.3.2027")
    assert not shown_as(date(2027, 3, 7)).search("13/7/2027")


def test_location_is_matched_exactly_never_by_prefix() -> None:
    plan = make_plan(ACCOUNTS, ["CMS Documentation"], every=False, due_within=None, today=TODAY)
    assert [a.location for a in plan.due] == ["CMS Documentation"]


def test_unknown_location_names_it_and_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError) as error:
        make_plan(ACCOUNTS, ["CMS Doc"], every=False, due_within=None, today=TODAY)
    message = str(error.value)
    assert '"CMS Doc"' in message and "CMS Documentation Berlin" in message and "\n" not in message


def test_two_accounts_for_one_location_are_ambiguous() -> None:
    twice = [*ACCOUNTS, Account("E (VPP)", "Sales Hamburg", date(2027, 1, 1))]
    with pytest.raises(ConfigError, match="ambiguous"):
        make_plan(twice, ["Sales Hamburg"], every=False, due_within=None, today=TODAY)


def test_due_within_keeps_what_expires_soon_and_unknown_dates() -> None:
    plan = make_plan(ACCOUNTS, [], every=True, due_within=30, today=TODAY)
    assert [a.location for a in plan.due] == ["CMS Documentation", "CMS Documentation Berlin", "No Token Yet"]
    assert [a.location for a in plan.not_due] == ["Sales Hamburg"]


def test_a_just_renewed_account_is_not_renewed_again() -> None:
    fresh = [Account("F (VPP)", "Fresh", date(2027, 11, 22)), Account("G (VPP)", "Older", date(2027, 11, 20))]
    plan = make_plan(fresh, ["Fresh", "Older"], every=False, due_within=None, today=TODAY)
    assert [a.location for a in plan.not_due] == ["Fresh"]
    assert [a.location for a in plan.due] == ["Older"]
