"""Cortado logs the administrator out right after a save. Once in a run, the robot signs in again, reads back that
the save took (never saving it again) and carries on; a second time, it stops with exit 1. Yes is never answered."""

from __future__ import annotations

import json
from pathlib import Path

import pyotp

from fixtures.portals import MockPortals
from tests.test_sessions import error_line

LOCATIONS = ("CMS Documentation", "CMS Documentation Berlin", "Support München")


def renew_all(run_robot, *extra: str):
    return run_robot("renew", *(arg for location in LOCATIONS for arg in ("--location", location)), *extra)


def test_a_logout_after_the_first_save_costs_one_sign_in_and_nothing_else(portals: MockPortals, run_robot,
                                                                           robot_env: dict[str, str]) -> None:
    """With two-factor sign-in, as an administrator would have it: the machine remembered at the first sign-in
    is asked no code at the second."""
    abm, cortado = portals.abm.state, portals.cortado.state
    cortado.logouts_after_saves = (1,)
    cortado.totp_secret = robot_env["CORTADO_TOTP_SECRET"] = pyotp.random_base32()

    run = renew_all(run_robot)

    assert run.exit_code == 0, run.output
    assert all(cortado.account(location).token == abm.issued[location][-1] for location in LOCATIONS)
    assert cortado.sign_ins == 2, "exactly one sign-in more than the first"
    assert (cortado.code_checks, len(cortado.remembered)) == (1, 1)
    assert cortado.saves == 3, "the save the logout followed was not made again"
    assert abm.downloads == 3
    assert all(answer == "no" for _, answer in cortado.answers), cortado.answers
    assert {location for location, _ in cortado.answers} >= set(LOCATIONS[1:])


def test_a_second_logout_in_the_run_stops_it(portals: MockPortals, run_robot, tmp_path: Path) -> None:
    abm, cortado = portals.abm.state, portals.cortado.state
    cortado.logouts_after_saves = (1, 2)
    report = tmp_path / "report.json"

    run = renew_all(run_robot, "--report", str(report))

    assert run.exit_code == 1, run.output
    assert "Cortado ended the session again" in error_line(run.stderr)
    assert (cortado.sign_ins, cortado.saves, abm.downloads) == (2, 2, 2)
    assert all(answer == "no" for _, answer in cortado.answers), cortado.answers
    results = {r["location"]: r for r in json.loads(report.read_text(encoding="utf-8"))["results"]}
    assert results[LOCATIONS[0]]["status"] == "renewed"
    assert results[LOCATIONS[1]]["status"] == "failed" and "not verified" in results[LOCATIONS[1]]["error"]
    assert "not attempted" in results[LOCATIONS[2]]["error"]
    assert cortado.account(LOCATIONS[1]).token == abm.issued[LOCATIONS[1]][-1], "the save itself took"
