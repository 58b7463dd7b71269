"""A Managed Apple Account of a federated domain: Apple's sign-in hands it to the domain's identity provider (a
stand-in on another origin), which the robot cannot sign in at; it stops at once, says why, and changes nothing."""

from __future__ import annotations

from urllib.parse import urlsplit

from fixtures.portals import MockPortals
from tests.test_sessions import error_line, tokens

LOCATION = "CMS Documentation"


def test_a_federated_account_is_named_and_nothing_changes(dialect: str, portals: MockPortals, run_robot,
                                                          robot_env: dict[str, str]) -> None:
    abm, cortado = portals.abm.state, portals.cortado.state
    abm.federated_domain = "federated.example.com"
    robot_env["ABM_USERNAME"] = "jane@federated.example.com"
    robot_env["ROBOT_TIMEOUT_MS"] = "30000"  # the hand-over is seen as it happens, not after a timeout
    before = tokens(portals)

    run = run_robot("renew", "--location", LOCATION)

    assert run.exit_code == 2, run.output
    line = error_line(run.stderr)
    assert f"signs in through {urlsplit(portals.abm.idp_url).netloc}" in line
    assert "non-federated Managed Apple Account" in line and "Organization Administrator" in line
    assert "Assign licenses for Apps and Books" in line
    assert abm.federated_visits == 1
    assert (abm.sign_ins, abm.downloads, abm.issued) == (0, 0, {})
    assert tokens(portals) == before and (cortado.saves, cortado.answers) == (0, [])
