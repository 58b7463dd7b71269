"""Kept places: the next run opens each portal's working page directly, and a stale one costs only a detour."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from fixtures.portals import MockPortals
from robot.portals.kept_pages import KeptPages

LOCATION = "CMS Documentation"


def test_only_pages_on_the_configured_origin_are_kept_or_used(tmp_path: Path) -> None:
    path = tmp_path / "places.json"
    places = KeptPages(path)
    places.keep("abm", "https://elsewhere.example/preferences/payments", "https://business.apple.com")
    assert not path.exists()
    places.keep("abm", "https://business.apple.com/preferences/payments", "https://business.apple.com")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    reread = KeptPages(path)
    assert reread.start("abm", "https://business.apple.com") == "https://business.apple.com/preferences/payments"
    assert reread.start("abm", "https://business.apple.com:8443") == "https://business.apple.com:8443"
    path.write_text("not json")
    assert KeptPages(path).start("abm", "https://business.apple.com") == "https://business.apple.com"


def test_a_stale_kept_page_falls_back_to_the_menus_and_is_replaced(portals: MockPortals, run_robot,
                                                                   robot_env: dict[str, str]) -> None:
    kept = Path(robot_env["ROBOT_STATE_DIR"], "places.json")
    kept.parent.mkdir(parents=True)
    kept.write_text(json.dumps({"cortado": f"{portals.cortado.url}/devices", "abm": f"{portals.abm.url}/devices"}))

    run = run_robot("renew", "--location", LOCATION, "--trace", "off")

    assert run.exit_code == 0, run.output
    cortado = portals.cortado.state
    assert cortado.account(LOCATION).token == portals.abm.state.issued[LOCATION][-1]
    assert cortado.answers == [(LOCATION, "no")]
    assert portals.abm.state.sign_ins == cortado.sign_ins == 1
    assert json.loads(kept.read_text()) == {
        "cortado": f"{portals.cortado.url}/administration/apps/app-store-accounts",
        "abm": f"{portals.abm.url}/preferences/payments",
    }
