"""The core promise on the default portals: one location renewed, No answered, nothing else touched."""

from __future__ import annotations

from fixtures.portals import MockPortals
from fixtures.tokens import token_expiry


def test_renews_one_location_and_answers_no(portals: MockPortals, run_robot) -> None:
    cortado = portals.cortado.state
    others_before = {a.location: a.token for a in cortado.accounts if a.location != "CMS Documentation"}
    apps_before = dict(cortado.account("CMS Documentation").apps)

    run = run_robot("renew", "--location", "CMS Documentation")

    assert run.exit_code == 0, run.output
    issued = portals.abm.state.issued["CMS Documentation"]
    assert cortado.account("CMS Documentation").token == issued[-1]
    assert cortado.valid_until("CMS Documentation") == token_expiry(issued[-1]).date()
    assert cortado.answers == [("CMS Documentation", "no")]
    assert cortado.account("CMS Documentation").apps == apps_before
    assert {a.location: a.token for a in cortado.accounts if a.location != "CMS Documentation"} == others_before
    assert "renewed" in run.stdout
