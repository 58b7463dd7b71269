"""Cortado's two-factor sign-in end to end: the robot computes the authenticator code from CORTADO_TOTP_SECRET,
retries a refused code once with the next time window, and without a secret asks a person or stops before
anything changes. The mock checks every code with the secret and counts each check."""

from __future__ import annotations

import pyotp
import pytest

from fixtures.portals import MockPortals
from tests.test_sessions import error_line, tokens

LOCATION = "CMS Documentation"


@pytest.fixture
def secret(portals: MockPortals) -> str:
    """Two-factor sign-in turned on for the admin, with a secret of this test's own."""
    portals.cortado.state.totp_secret = pyotp.random_base32()
    return portals.cortado.state.totp_secret


def test_the_code_from_the_secret_signs_in_and_the_machine_is_remembered(
        dialect: str, portals: MockPortals, secret: str, run_robot, robot_env: dict[str, str]) -> None:
    """Signing in is all that differs from a run without two-factor (test_logout_mid_run.py renews with it)."""
    cortado = portals.cortado.state
    robot_env["CORTADO_TOTP_SECRET"] = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)).lower()

    run = run_robot("status")

    assert run.exit_code == 0, run.output
    assert LOCATION in run.stdout
    assert (cortado.code_checks, cortado.codes_refused, cortado.sign_ins) == (1, 0, 1)
    assert len(cortado.remembered) == 1, '"remember this machine" was not ticked'
    assert secret not in run.output


def test_a_german_portal_asks_for_the_bestaetigungscode(portals: MockPortals, secret: str, run_robot,
                                                        robot_env: dict[str, str]) -> None:
    """Bestätigungscode, Bestätigen and „Diesen Computer merken" in the widgets dialect, where the code step shows
    in the sign-in card itself."""
    cortado = portals.cortado.state
    cortado.language, cortado.dialect = "de", "widgets"
    robot_env["CORTADO_TOTP_SECRET"] = secret

    run = run_robot("status")

    assert run.exit_code == 0, run.output
    assert (cortado.code_checks, cortado.sign_ins, len(cortado.remembered)) == (1, 1, 1)


def test_a_refused_code_is_tried_once_more_then_the_secret_is_named(
        dialect: str, portals: MockPortals, secret: str, run_robot, robot_env: dict[str, str]) -> None:
    wrong = pyotp.random_base32()
    robot_env["CORTADO_TOTP_SECRET"] = wrong
    before = tokens(portals)

    run = run_robot("renew", "--location", LOCATION)

    assert run.exit_code == 2, run.output
    line = error_line(run.stderr)
    assert "Cortado" in line and "CORTADO_TOTP_SECRET" in line and "Invalid authenticator code" in line
    assert wrong not in run.output
    cortado = portals.cortado.state
    assert (cortado.code_checks, cortado.codes_refused, cortado.sign_ins) == (2, 2, 0)
    assert (portals.abm.state.sign_ins, portals.abm.state.downloads) == (0, 0)
    assert tokens(portals) == before and cortado.saves == 0


def test_a_code_already_used_is_followed_by_the_next_windows(portals: MockPortals, secret: str, run_robot,
                                                             robot_env: dict[str, str]) -> None:
    """A sign-in moments after another in the same 30 s: the current code is refused as used, the next taken."""
    cortado = portals.cortado.state
    cortado.code_used_just_before = True
    robot_env["CORTADO_TOTP_SECRET"] = secret

    run = run_robot("status")

    assert run.exit_code == 0, run.output
    assert (cortado.code_checks, cortado.codes_refused, cortado.sign_ins) == (2, 1, 1)


@pytest.mark.usefixtures("no_terminal")
def test_no_secret_and_no_terminal_stops_before_anything_changes(portals: MockPortals, secret: str,
                                                                 run_robot) -> None:
    before = tokens(portals)

    run = run_robot("renew", "--location", LOCATION)

    assert run.exit_code == 3, run.output
    line = error_line(run.stderr)
    assert "CORTADO_TOTP_SECRET" in line and "python -m robot login" in line
    cortado, abm = portals.cortado.state, portals.abm.state
    assert (cortado.code_checks, cortado.sign_ins, cortado.saves, cortado.answers) == (0, 0, 0, [])
    assert (abm.sign_ins, abm.downloads) == (0, 0)
    assert tokens(portals) == before


@pytest.mark.parametrize("value", ["493817", "not a base32 secret!"])
def test_a_secret_that_is_no_key_is_refused_before_signing_in(portals: MockPortals, run_robot,
                                                              robot_env: dict[str, str], value: str) -> None:
    robot_env["CORTADO_TOTP_SECRET"] = value

    run = run_robot("status")

    assert run.exit_code == 2, run.output
    assert "CORTADO_TOTP_SECRET" in error_line(run.stderr) and value not in run.output
    assert portals.cortado.state.sign_ins == 0
