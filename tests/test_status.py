"""`status`: every App-Store account with its Valid until, soonest first, read from Cortado alone."""

from __future__ import annotations

import json
import re
from datetime import date

from fixtures.demo_data import DEFAULT_LOCATIONS
from fixtures.portals import MockPortals

SOONEST_FIRST = [d.name for d in sorted(DEFAULT_LOCATIONS, key=lambda d: d.days_left)]


def test_status_table_lists_soonest_first_without_signing_into_abm(dialect: str, portals: MockPortals,
                                                                    run_robot) -> None:
    portals.cortado.state.accounts.reverse()  # the table must sort, not keep the portal's order

    run = run_robot("status")

    assert run.exit_code == 0, run.output
    header, rule, *rows = run.stdout.strip().splitlines()
    assert header.split() == ["Location", "Account", "Valid", "until", "Days", "left"]
    assert set(rule) <= {"-", " "}
    cells = [re.split(r"\s{2,}", row.strip()) for row in rows]  # columns are padded with at least two spaces
    assert [row[0] for row in cells] == SOONEST_FIRST
    for location, account, valid_until, _days_left in cells:
        assert account == portals.cortado.state.account(location).name
        assert valid_until == portals.cortado.state.valid_until(location).isoformat()
    assert (portals.abm.state.sign_ins, portals.cortado.state.sign_ins) == (0, 1)


def test_status_json_gives_iso_dates_and_days_left(portals: MockPortals, run_robot) -> None:
    cortado = portals.cortado.state
    cortado.language, cortado.date_format = "de", "us"  # German labels, and month first: no ISO to copy

    run = run_robot("status", "--json")

    assert run.exit_code == 0, run.output
    rows = json.loads(run.stdout)
    assert [row["location"] for row in rows] == SOONEST_FIRST
    today = date.today()
    for row in rows:
        assert set(row) == {"account", "location", "valid_until", "days_left"}
        assert row["account"] == cortado.account(row["location"]).name
        valid_until = cortado.valid_until(row["location"])
        assert row["valid_until"] == valid_until.isoformat()
        assert row["days_left"] == (valid_until - today).days
    assert portals.abm.state.sign_ins == 0
