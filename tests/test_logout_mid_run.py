"""Cortado logs the administrator out right after the first of three saves: the robot signs in again once, reads
back that the save took (never saving it again), and renews the other two; Yes is never answered."""

from __future__ import annotations

from fixtures.portals import MockPortals

LOCATIONS = ("CMS Documentation", "CMS Documentation Berlin", "Support München")


def test_a_logout_after_the_first_save_costs_one_sign_in_and_nothing_else(portals: MockPortals, run_robot) -> None:
    abm, cortado = portals.abm.state, portals.cortado.state
    cortado.logout_after_save = 1

    run = run_robot("renew", *(arg for location in LOCATIONS for arg in ("--location", location)))

    assert run.exit_code == 0, run.output
    assert all(cortado.account(location).token == abm.issued[location][-1] for location in LOCATIONS)
    assert cortado.sign_ins == 2, "exactly one sign-in more than the first"
    assert cortado.saves == 3, "the save the logout followed was not made again"
    assert abm.downloads == 3
    assert all(answer == "no" for _, answer in cortado.answers), cortado.answers
    assert {location for location, _ in cortado.answers} >= set(LOCATIONS[1:])
