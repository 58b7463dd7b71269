"""Apple's word on each token (issue 18): the robot against the stand-in of Apple's Apps and Books API.

Each refusal leaves Cortado as it was and says why in the report and JUnit; an API that cannot be asked is a
warning, a refusal or not asked at all, as ROBOT_APPLE_CHECK says; `status --apple` shows Apple's view of the
installed tokens; and nothing but GET ever reaches the API. These checks do not depend on the pages' markup, so
they run on one dialect.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers import private

from fixtures.apple.state import CORTADO_MDM, OTHER_MDM
from fixtures.portals import MockPortals
from fixtures.web import App, MockServer, Response
from robot.apple.api import AppleApi
from robot.apple.known_mdms import FILE_NAME
from robot.errors import AppleUnreachable
from robot.reports.status_table import as_table

ROBOT = Path(__file__).resolve().parents[1] / "robot"
CMS, BERLIN, MUENCHEN, HAMBURG, LEIPZIG = ("CMS Documentation", "CMS Documentation Berlin", "Support München",
                                           "Sales Hamburg", "Warehouse Leipzig")


def tokens_held(portals: MockPortals) -> dict[str, str]:
    return {account.location: account.token for account in portals.cortado.state.accounts}


def after_expiry(portals: MockPortals, location: str) -> str:
    return portals.cortado.state.valid_until(location).isoformat()


def reports(tmp_path: Path) -> tuple[str, str]:
    return str(tmp_path / "report.json"), str(tmp_path / "junit.xml")


def read_reports(tmp_path: Path) -> tuple[dict[str, dict], dict[str, ET.Element]]:
    """The JSON report's results and the JUnit test cases, by location."""
    results = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["results"]
    cases = ET.parse(tmp_path / "junit.xml").getroot().iter("testcase")
    return {r["location"]: r for r in results}, {case.get("name"): case for case in cases}


def apple_property(case: ET.Element) -> str:
    [prop] = [p for p in case.iter("property") if p.get("name") == "apple_check"]
    return prop.get("value", "")


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/mdm/v2"


def assert_only_get(portals: MockPortals) -> None:
    """Whatever the run did, the API heard nothing but GET (a POST would claim the unit)."""
    assert {method for method, _ in portals.apple.state.requests} <= {"GET"}


def assert_no_secret(portals: MockPortals, *texts: str) -> None:
    """No token, installed or issued, anywhere in what the robot wrote; nor the header that carries them."""
    tokens = {t.strip() for ts in portals.abm.state.issued.values() for t in ts} | set(portals.apple.state.earlier)
    for text in texts:
        assert "Bearer" not in text
        assert not [token for token in tokens if token in text]


# -- refusals --------------------------------------------------------------------------------------

def test_each_refusal_leaves_cortado_unchanged_with_the_reason_in_report_and_junit(
        portals: MockPortals, run_robot, robot_env: dict[str, str], tmp_path: Path) -> None:
    apple = portals.apple.state
    apple.answer_as[CMS] = HAMBURG  # ABM's file named for CMS Documentation holds Sales Hamburg's token
    apple.errors[BERLIN] = 9625
    apple.errors[MUENCHEN] = 9621
    apple.units[HAMBURG].mdm_info = dict(OTHER_MDM)
    robot_env["ROBOT_EXPECTED_MDM"] = CORTADO_MDM["name"]
    before = tokens_held(portals)
    report, junit = reports(tmp_path)

    run = run_robot("renew", "--all", "--report", report, "--junit", junit)

    assert run.exit_code == 1, run.output
    after = tokens_held(portals)
    assert {location for location in before if after[location] != before[location]} == {LEIPZIG}
    assert portals.cortado.state.answers == [(LEIPZIG, "no")]
    results, cases = read_reports(tmp_path)
    expected = {
        CMS: f'Apple says the new token is for unit "{HAMBURG}", not "{CMS}"',
        BERLIN: "Apple refuses the new token: 9625 The server has revoked the cToken.",
        MUENCHEN: "Apple refuses the new token: 9621 The token has expired.",
        HAMBURG: f'Apple says unit "{HAMBURG}" is claimed by MDM "Microsoft Intune" (id {OTHER_MDM["id"]}), '
                 'not "Cortado MDM" (ROBOT_EXPECTED_MDM)',
    }
    for location, reason in expected.items():
        assert results[location]["status"] == "failed"
        assert results[location]["error"].startswith(f"token refused, Cortado not changed: {reason}")
        assert results[location]["apple_check"]["status"] == "refused"
        assert results[location]["apple_check"]["reason"].startswith(reason)
        assert reason in cases[location].find("failure").get("message")
        assert apple_property(cases[location]).startswith(f"refused: {reason}")
        assert f"{location}: FAILED: token refused, Cortado not changed: {reason}" in run.stdout
    assert results[LEIPZIG]["apple_check"]["status"] == "confirmed"
    assert apple_property(cases[LEIPZIG]).startswith(f'confirmed: Apple confirms unit "{LEIPZIG}"')
    assert not list((Path(robot_env["ROBOT_STATE_DIR"]) / "pending").glob("*"))  # a refused token is not kept
    assert_no_secret(portals, run.output, Path(report).read_text(), Path(junit).read_text())
    assert_only_get(portals)


def test_a_new_mdm_a_wrong_expiry_and_another_unit_s_installed_token_are_refused_the_first_mdm_remembered(
        portals: MockPortals, run_robot, robot_env: dict[str, str], tmp_path: Path) -> None:
    apple = portals.apple.state
    cms_uid, hamburg_uid = apple.units[CMS].uid, apple.units[HAMBURG].uid
    state_dir = Path(robot_env["ROBOT_STATE_DIR"])
    state_dir.mkdir(parents=True)
    (state_dir / FILE_NAME).write_text(json.dumps({cms_uid: {"id": CORTADO_MDM["id"], "name": "Cortado MDM"}}))
    apple.units[CMS].mdm_info = dict(OTHER_MDM)  # taken since the last confirmed run
    apple.expiry_off_days[BERLIN] = 3
    apple.earlier[tokens_held(portals)[MUENCHEN]] = LEIPZIG  # Cortado holds another unit's token for München
    before = tokens_held(portals)
    report, junit = reports(tmp_path)

    run = run_robot("renew", *(arg for loc in (CMS, BERLIN, MUENCHEN, HAMBURG) for arg in ("--location", loc)),
                    "--report", report, "--junit", junit)

    assert run.exit_code == 1, run.output
    after = tokens_held(portals)
    assert {location for location in before if after[location] != before[location]} == {HAMBURG}
    results, cases = read_reports(tmp_path)
    expected = {
        CMS: f'Apple says unit "{CMS}" is now claimed by MDM "Microsoft Intune" (id {OTHER_MDM["id"]}), not '
             f'"Cortado MDM" (id {CORTADO_MDM["id"]}) as when last confirmed; if the move is intended, set '
             "ROBOT_EXPECTED_MDM",
        BERLIN: "Apple says the new token expires ",
        MUENCHEN: f'Apple says the new token is for unit {apple.units[MUENCHEN].uid} ("{MUENCHEN}"), the installed '
                  f'one for unit {apple.units[LEIPZIG].uid} ("{LEIPZIG}")',
    }
    for location, reason in expected.items():
        assert results[location]["apple_check"]["status"] == "refused", results[location]
        assert reason in results[location]["error"] and reason in cases[location].find("failure").get("message")
    assert results[HAMBURG]["status"] == "renewed"
    first_seen = (f'Apple confirms unit "{HAMBURG}" ({hamburg_uid}), expiring {after_expiry(portals, HAMBURG)}, '
                  f'managed by MDM "Cortado MDM" (id {CORTADO_MDM["id"]}); first seen, remembered in '
                  f"{state_dir / FILE_NAME}: another MDM will be refused")
    assert results[HAMBURG]["apple_check"] == {"status": "confirmed", "reason": first_seen}
    assert f"{HAMBURG}: {first_seen}" in run.stderr
    assert private(state_dir / FILE_NAME)
    known = json.loads((state_dir / FILE_NAME).read_text())
    assert known[hamburg_uid] == {"id": CORTADO_MDM["id"], "name": "Cortado MDM"}
    assert known[cms_uid]["name"] == "Cortado MDM"  # a refused change is not remembered
    assert_only_get(portals)


# -- an API that cannot be asked -------------------------------------------------------------------

# ROBOT_APPLE_CHECK -> the run's exit code and the location's apple_check
WHEN_UNREACHABLE = {"warn": (0, "unreachable"), "required": (1, "unreachable"), "off": (0, "skipped")}


@pytest.mark.parametrize("mode", WHEN_UNREACHABLE)
def test_an_api_that_cannot_be_asked_warns_refuses_or_is_not_asked_as_the_mode_says(
        portals: MockPortals, run_robot, robot_env: dict[str, str], tmp_path: Path, mode: str) -> None:
    exit_code, apple_check = WHEN_UNREACHABLE[mode]
    portals.apple.state.down = True  # HTTP 503 to every request, Retry-After 0
    robot_env["ROBOT_APPLE_CHECK"] = mode
    before = tokens_held(portals)
    report, junit = reports(tmp_path)

    run = run_robot("renew", "--location", CMS, "--report", report, "--junit", junit)

    assert run.exit_code == exit_code, run.output
    results, cases = read_reports(tmp_path)
    assert results[CMS]["apple_check"]["status"] == apple_check
    assert apple_property(cases[CMS]).startswith(f"{apple_check}: ")
    asked = [method for method, _ in portals.apple.state.requests]
    assert_only_get(portals)
    if mode == "off":
        assert asked == []
        assert tokens_held(portals)[CMS] != before[CMS]
        return
    assert asked == ["GET"] * 3  # the new token, asked three times: bounded
    reason = "Apple's Apps and Books API could not be asked: HTTP 503, 9603 Internal error."
    assert results[CMS]["apple_check"]["reason"].startswith(reason)
    if mode == "warn":
        assert tokens_held(portals)[CMS] != before[CMS]
        [warning] = [line for line in run.stderr.splitlines() if f"{CMS}: {reason}" in line]
        assert "WARNING" in warning and warning.endswith("own checks (ROBOT_APPLE_CHECK=warn)")
    else:
        assert tokens_held(portals) == before and portals.cortado.state.saves == 0
        assert results[CMS]["error"].startswith(f"token refused, Cortado not changed: {reason}")
        assert "(ROBOT_APPLE_CHECK=required)" in cases[CMS].find("failure").get("message")


def test_no_network_is_one_line_naming_the_address(robot_log: list[str]) -> None:
    url = closed_port_url()

    api = AppleApi(url)

    with pytest.raises(AppleUnreachable) as raised:
        api.client_config("a-token-text")
    with pytest.raises(AppleUnreachable, match=r"; not asked again in this run$") as again:
        api.client_config("another-token-text")  # each location would wait out the network's timeout again

    assert "Connection refused" in str(raised.value) and f"{url}/client/config" in str(raised.value)
    assert "token-text" not in " ".join([str(raised.value), str(again.value), *robot_log])


def test_an_address_that_is_not_apple_s_api_cannot_ask_it_and_refuses_nothing(portals: MockPortals) -> None:
    token = next(iter(portals.apple.state.earlier))

    with pytest.raises(AppleUnreachable, match=r"HTTP 404, text/html\) is not Apple's client configuration: check "
                                                "ROBOT_APPLE_API_URL"):
        AppleApi(portals.apple.url.replace("/mdm/v2", "/mdm/v1")).client_config(token)


def test_a_redirect_is_not_followed_so_the_token_stays_with_the_configured_address() -> None:
    app, heard = App(), []
    app.route("GET", "/mdm/v2/client/config")(lambda request: Response.redirect("/elsewhere/client/config"))
    app.route("GET", "/elsewhere/client/config")(lambda request: heard.append(request) or Response.json({}))
    server = MockServer(app).start()
    try:
        with pytest.raises(AppleUnreachable, match="HTTP 303"):
            AppleApi(server.url + "/mdm/v2").client_config("a-token-text")
    finally:
        server.stop()
    assert heard == []


def test_too_many_requests_is_asked_again_after_retry_after_and_a_long_wait_is_not_waited(
        portals: MockPortals, robot_log: list[str]) -> None:
    apple = portals.apple.state
    token = next(iter(apple.earlier))
    apple.busy, apple.retry_after = 1, "1"

    started = time.monotonic()
    config = AppleApi(portals.apple.url).client_config(token)

    assert time.monotonic() - started >= 1  # Apple's Retry-After, honoured
    assert config.location_name in apple.units and len(apple.requests) == 2
    assert any("9646" in m and "asking again in 1 s (attempt 1 of 3)" in m for m in robot_log)

    apple.busy, apple.retry_after = 5, "3600"
    with pytest.raises(AppleUnreachable, match="HTTP 429, 9646"):
        AppleApi(portals.apple.url).client_config(token)
    assert len(apple.requests) == 3  # an hour's wait is beyond the run's patience: not asked again


# -- status --apple --------------------------------------------------------------------------------

def test_status_apple_shows_apple_s_view_of_each_installed_token_and_changes_nothing(
        portals: MockPortals, run_robot, robot_env: dict[str, str]) -> None:
    apple = portals.apple.state
    apple.errors[BERLIN] = 9625
    apple.units[HAMBURG].mdm_info = dict(OTHER_MDM)
    robot_env["ROBOT_EXPECTED_MDM"] = "Cortado MDM"
    before = tokens_held(portals)

    run = run_robot("status", "--apple", "--json")

    assert run.exit_code == 0, run.output
    rows = {row["location"]: row for row in json.loads(run.stdout)}
    assert rows[CMS]["apple_unit"] == CMS and rows[CMS]["apple_mdm"] == "Cortado MDM"
    assert rows[CMS]["apple_expires"] == portals.cortado.state.valid_until(CMS).isoformat()
    assert rows[CMS]["apple_problem"] is None
    assert rows[BERLIN]["apple_problem"] == "Apple refuses it: 9625 The server has revoked the cToken."
    assert rows[HAMBURG]["apple_mdm"] == "Microsoft Intune" and "ROBOT_EXPECTED_MDM" in rows[HAMBURG]["apple_problem"]
    assert tokens_held(portals) == before and portals.cortado.state.saves == 0
    assert (portals.abm.state.sign_ins, len(apple.requests)) == (0, len(before))  # one question per token
    assert_no_secret(portals, run.output)
    assert_only_get(portals)
    assert as_table(list(rows.values())).splitlines()[0].rstrip().endswith("Apple: problem")


# -- only GET --------------------------------------------------------------------------------------

def test_the_stand_in_records_every_method_so_a_post_would_show(portals: MockPortals) -> None:
    request = urllib.request.Request(f"{portals.apple.url}/client/config", method="POST", data=b"{}")
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=5)
    assert portals.apple.state.requests == [("POST", "/mdm/v2/client/config")]


def test_no_code_path_of_the_robot_sends_anything_but_get() -> None:
    """The one place in the robot that builds a request to the API sends GET; the end-to-end tests above find
    only GET recorded by the stand-in, whichever way each run went."""
    def using(text: str) -> list[Path]:
        return [path for path in ROBOT.rglob("*.py") if text in path.read_text(encoding="utf-8")]

    assert using("urllib.request") == [ROBOT / "apple" / "api.py"]
    assert using("AppleApi(") == [ROBOT / "renewal" / "apple_check.py"]  # built from ROBOT_APPLE_API_URL alone
    source = (ROBOT / "apple" / "api.py").read_text(encoding="utf-8")
    assert source.count("urllib.request.Request(") == 1 and 'method="GET"' in source
    assert "POST" not in source.replace("`POST client/config`", "")
