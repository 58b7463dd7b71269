"""Faults survived, bad input refused, nothing lost: the robot against the mock portals' fault switches.

Each end-to-end test runs the real CLI once and asserts on what the portals hold afterwards.
"""

from __future__ import annotations

import json
import os
import re
import socket
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers import private
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from fixtures.cortado.labels import EN, LABELS
from fixtures.demo_data import CORTADO_PASSWORD, ORG_NAME
from fixtures.portals import MockPortals
from fixtures.tokens import make_token, token_expiry
from flows.abm import AbmFlow
from flows.errors import PageNotAsExpected, PortalUnavailable, SignedOut, SignInRejected
from flows.locate import clickable, find
from robot.errors import AnotherRunActive
from robot.portals.retry import ATTEMPTS, retrying
from robot.renewal.renew import SAVE_ATTEMPTS
from robot.runtime.run_lock import run_lock

FAST_FAILURE_MS = "2500"  # for runs that are meant to wait for something that never comes


def pending_files(robot_env: dict[str, str]) -> list[Path]:
    return sorted((Path(robot_env["ROBOT_STATE_DIR"]) / "pending").glob("*"))



def line_of(output: str, location: str) -> str:
    [line] = [line for line in output.splitlines() if line.startswith(f"{location}: ")]
    return line


# -- retry policy (no browser) -------------------------------------------------------------------

class Flaky:
    """An action that raises `errors` one per call, then succeeds; counts its calls."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "done"


def test_transient_errors_are_retried_with_a_warning_each(robot_log: list[str]) -> None:
    action = Flaky(PlaywrightTimeoutError("Timeout 5000ms exceeded.\nCall log:\n  - waiting"),
                   PlaywrightError("Page.goto: net::ERR_CONNECTION_RESET at http://x/\nCall log:\n  - x"))
    recovered: list[BaseException] = []

    assert retrying("reading", action, recovered.append) == "done"

    assert action.calls == 3 and len(recovered) == 2
    warnings = [m for m in robot_log if "trying again" in m]
    assert len(warnings) == 2
    assert "attempt 1 of 3" in warnings[0] and "Call log" not in " ".join(warnings)


def test_the_last_error_is_re_raised_as_it_was_after_the_bound() -> None:
    errors = [PortalUnavailable("download", f"HTTP 500 (try {n})") for n in range(ATTEMPTS + 1)]
    action = Flaky(*errors)
    with pytest.raises(PortalUnavailable) as raised:
        retrying("downloading", action, lambda error: None)
    assert raised.value is errors[ATTEMPTS - 1]
    assert action.calls == ATTEMPTS


@pytest.mark.parametrize(
    "error",
    [TimeoutError("the built-in one is not Playwright's"), SignInRejected("sign-in", "wrong password"),
     PlaywrightError("Locator.click: Target page, context or browser has been closed"), ValueError("a bug")],
    ids=["builtin-timeout", "credentials", "closed-browser", "bug"],
)
def test_errors_not_worth_retrying_are_raised_at_once(error: BaseException) -> None:
    action = Flaky(error)
    with pytest.raises(type(error)):
        retrying("reading", action, lambda error: None)
    assert action.calls == 1


def test_a_recovery_that_fails_on_a_slow_portal_is_itself_retried() -> None:
    """Signing in again after a stale session may time out once; the next attempt signs in again."""
    signed_out = SignedOut("token list", "sign-in page shown")
    recoveries: list[BaseException] = []

    def recover(error: BaseException) -> None:
        recoveries.append(error)
        if len(recoveries) == 1:
            raise PageNotAsExpected("ABM sign-in", "the Password field not found")

    action = Flaky(signed_out)
    assert retrying("downloading", action, recover) == "done"
    assert recoveries == [signed_out, signed_out]
    assert action.calls == 2


# -- slow and failing portals --------------------------------------------------------------------

def test_slow_portals_still_renew(portals: MockPortals, run_robot, robot_env) -> None:
    portals.abm.state.delay = portals.cortado.state.delay = 0.2  # each of its ~40 requests: pages, scripts, API
    robot_env["ROBOT_TIMEOUT_MS"] = "15000"  # the default: a slow page is waited for, never retried

    run = run_robot("renew", "--location", "Sales Hamburg")

    assert run.exit_code == 0, run.output
    assert "trying again" not in run.stderr
    assert not re.search(r"(?<!0 )failed", run.stderr), "nothing failed (the totals line says '0 failed')"
    cortado = portals.cortado.state
    assert cortado.account("Sales Hamburg").token == portals.abm.state.issued["Sales Hamburg"][-1]
    assert cortado.answers == [("Sales Hamburg", "no")]


def test_a_failed_download_and_a_failed_save_are_each_tried_again(dialect: str,
        portals: MockPortals, run_robot, robot_env) -> None:
    """Look-alike names too: "CMS Documentation Berlin" is renewed, "CMS Documentation" is left alone."""
    abm, cortado = portals.abm.state, portals.cortado.state
    abm.fail_downloads = cortado.fail_saves = 1
    other = cortado.account("CMS Documentation").token

    run = run_robot("renew", "--location", "CMS Documentation Berlin")

    assert run.exit_code == 0, run.output
    assert abm.fail_downloads == cortado.fail_saves == 0
    [issued] = abm.issued["CMS Documentation Berlin"]
    assert cortado.account("CMS Documentation Berlin").token == issued and cortado.saves == 1
    assert cortado.answers == [("CMS Documentation Berlin", "no")]
    assert cortado.account("CMS Documentation").token == other and list(abm.issued) == ["CMS Documentation Berlin"]
    assert "downloading the token of CMS Documentation Berlin failed (attempt 1 of 3), trying again" in run.stderr
    assert "CMS Documentation Berlin: saving in Cortado failed (attempt 1 of 2)" in run.stderr
    assert pending_files(robot_env) == [], "after a verified renewal no token file is left behind"


def test_a_failing_location_fails_alone_and_a_downloaded_token_is_kept(dialect: str,
        portals: MockPortals, run_robot, robot_env, tmp_path: Path) -> None:
    """Downloads fail for the first location, saves for the second, the third is renewed all the same."""
    abm, cortado = portals.abm.state, portals.cortado.state
    no_download, no_save, fine = "CMS Documentation", "Support München", "Sales Hamburg"
    abm.fail_downloads, cortado.fail_saves = ATTEMPTS, SAVE_ATTEMPTS  # every try of one location each
    before = {account.location: account.token for account in cortado.accounts}
    report = tmp_path / "report.json"

    run = run_robot("renew", "--location", no_download, "--location", no_save, "--location", fine,
                    "--report", str(report))

    assert run.exit_code == 1, run.output
    assert abm.fail_downloads == cortado.fail_saves == 0, "bounded: each failing step tried exactly as often"
    assert list(abm.issued) == [no_save, fine]
    assert cortado.account(no_download).token == before[no_download]
    assert cortado.account(no_save).token == before[no_save], "the old token stays"
    assert cortado.account(fine).token == abm.issued[fine][-1]
    assert cortado.answers == [(fine, "no")] and cortado.saves == 1
    # then the portal's own message, in each dialect's words
    assert re.fullmatch(
        f"{no_download}: FAILED: download from ABM failed: ABM download for {no_download}: "
        r"Apple Business Manager answered the download with HTTP 500: .*(could not|went wrong).*try again later\.",
        line_of(run.stdout, no_download), re.IGNORECASE)
    assert line_of(run.stdout, fine).startswith(f"{fine}: renewed")
    [kept] = pending_files(robot_env)
    assert private(kept) and kept.read_text() == abm.issued[no_save][-1]
    results = {result["location"]: result for result in json.loads(report.read_text())["results"]}
    assert [results[loc]["status"] for loc in (no_download, no_save, fine)] == ["failed", "failed", "renewed"]
    assert results[no_save]["kept_token_file"] == str(kept) and results[no_download]["kept_token_file"] is None
    assert "old token stays" in results[no_save]["error"] and str(kept) in line_of(run.stdout, no_save)
    assert "Traceback" not in run.output


def test_a_location_abm_lists_not_once_fails_alone_at_once_and_nothing_is_downloaded_for_it(
        portals: MockPortals, run_robot) -> None:
    """ABM's list is read once before the first download, so a location it does not list, or lists twice, fails
    with what ABM shows (not after waiting for a Download button as long as the timeout), without a download or
    a click in Cortado."""
    abm, cortado = portals.abm.state, portals.cortado.state
    missing, twice, fine = "Support München", "Sales Hamburg", "CMS Documentation"
    abm.locations = [name for name in abm.locations if name != missing] + [twice]
    before = {account.location: account.token for account in cortado.accounts}

    run = run_robot("renew", "--location", fine, "--location", missing, "--location", twice)

    assert run.exit_code == 1, run.output
    assert line_of(run.stdout, missing) == f'{missing}: FAILED: ABM lists no token for exactly "{missing}"'
    assert line_of(run.stdout, twice) == (f'{twice}: FAILED: ABM lists 2 tokens for exactly "{twice}": '
                                          "which one is meant is for a person to decide")
    assert list(abm.issued) == [fine]
    assert cortado.account(fine).token == abm.issued[fine][-1] and cortado.answers == [(fine, "no")]
    assert all(cortado.account(loc).token == before[loc] for loc in (missing, twice))


@pytest.mark.parametrize(("portal", "named"), [("ABM", "ABM"), ("CORTADO", "Cortado")])
def test_a_portal_that_cannot_be_reached_stops_the_run_with_one_line_naming_its_address_setting(
        portals: MockPortals, run_robot, robot_env, portal: str, named: str) -> None:
    """A wrong address (nobody answers there) or a network down: no location can be done, so the run stops
    at once, saying which setting to check, and nothing in Cortado changes."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        robot_env[f"{portal}_URL"] = f"http://127.0.0.1:{closed.getsockname()[1]}"
    before = {account.location: account.token for account in portals.cortado.state.accounts}

    run = run_robot("renew", "--location", "CMS Documentation", "--location", "Support München")

    assert run.exit_code == 1, run.output
    assert run.stderr.splitlines()[-1] == (f"error: {named} cannot be reached (net::ERR_CONNECTION_REFUSED): "
                                           f"check {portal}_URL and the network")
    assert "Traceback" not in run.output and "trace kept" not in run.output
    assert {account.location: account.token for account in portals.cortado.state.accounts} == before
    assert portals.cortado.state.saves == 0 and portals.abm.state.downloads == 0


def test_a_save_that_cortado_does_not_show_is_reported_not_claimed(
        portals: MockPortals, run_robot, robot_env, tmp_path: Path) -> None:
    """The read-back is the proof: a portal that stored the token but shows another date fails the location
    and keeps the token file, named in the report."""
    abm, cortado = portals.abm.state, portals.cortado.state
    cortado.shown_days_off = 3
    robot_env["ROBOT_TIMEOUT_MS"] = FAST_FAILURE_MS
    location = "CMS Documentation"
    report = tmp_path / "report.json"

    run = run_robot("renew", "--location", location, "--report", str(report))

    assert run.exit_code == 1, run.output
    assert cortado.answers == [(location, "no")] and cortado.account(location).token == abm.issued[location][-1]
    expiry = token_expiry(abm.issued[location][-1]).date()  # type: ignore[union-attr]
    [kept] = pending_files(robot_env)
    assert line_of(run.stdout, location) == (
        f"{location}: FAILED: Cortado shows Valid until '{expiry + timedelta(days=3)}' after saving, "
        f"expected {expiry}; the new token is kept in {kept}")
    assert private(kept) and kept.read_text() == abm.issued[location][-1]
    [result] = json.loads(report.read_text(encoding="utf-8"))["results"]
    assert (result["status"], result["kept_token_file"]) == ("failed", str(kept))
    assert "Traceback" not in run.output


def test_sessions_ending_mid_run_are_signed_into_again(dialect: str, portals: MockPortals, run_robot) -> None:
    """Both portals end every session during the first download: Cortado's save, then ABM's next download see it."""
    abm, cortado = portals.abm.state, portals.cortado.state
    locations = ["CMS Documentation", "Support München"]

    def end_sessions(location: str) -> None:
        if location == locations[0]:
            abm.expire_sessions()
            cortado.expire_sessions()

    abm.after_download = end_sessions

    run = run_robot("renew", *(arg for location in locations for arg in ("--location", location)))

    assert run.exit_code == 0, run.output
    assert (abm.sign_ins, cortado.sign_ins) == (2, 2)
    assert all(cortado.account(loc).token == abm.issued[loc][-1] for loc in locations)
    assert cortado.answers == [(loc, "no") for loc in locations]
    assert abm.downloads == 2, "a downloaded token is saved after signing in again, not downloaded again"


# -- bad input refused ---------------------------------------------------------------------------

def test_bad_tokens_are_refused_before_cortado_is_touched(dialect: str, portals: MockPortals, run_robot,
                                                          robot_env) -> None:
    abm, cortado = portals.abm.state, portals.cortado.state
    now = datetime.now(UTC)
    named = "sToken_for_{}.vpptoken".format
    served = {  # location: (file name, content, why it is refused)
        "CMS Documentation": (named("CMS Documentation Berlin"), make_token(ORG_NAME, now + timedelta(days=365)),
                              "which is not the token of CMS Documentation"),
        "CMS Documentation Berlin": (named("CMS Documentation Berlin"), make_token(ORG_NAME, now - timedelta(days=1)),
                                     "expired on"),
        "Support München": (named("Support München"), make_token(ORG_NAME, now + timedelta(days=200)),
                            "expires in 199 days"),
        "Sales Hamburg": (named("Sales Hamburg"), make_token("Other Org", now + timedelta(days=365)),
                          "belongs to organisation 'Other Org', not 'Example Org'"),
        "Warehouse Leipzig": (named("Warehouse Leipzig"), "<html><body>Internal error</body></html>",
                              "not a server token"),
    }
    abm.served_files = {location: (name, content) for location, (name, content, _) in served.items()}
    robot_env["ROBOT_ORG_NAME"] = ORG_NAME
    before = {account.location: account.token for account in cortado.accounts}

    run = run_robot("renew", "--all")

    assert run.exit_code == 1, run.output
    assert abm.downloads == len(served), run.output
    assert cortado.saves == 0 and cortado.answers == []
    assert {account.location: account.token for account in cortado.accounts} == before
    for location, (_, _, reason) in served.items():
        line = line_of(run.stdout, location)
        assert line.startswith(f"{location}: FAILED: token refused, Cortado not changed: ") and reason in line
    assert pending_files(robot_env) == [], "a refused token is not kept"


# -- two runs at once ----------------------------------------------------------------------------

def test_a_second_run_is_refused_while_one_holds_the_lock_but_status_may_read(
        portals: MockPortals, run_robot, robot_env, tmp_path: Path) -> None:
    state_dir = Path(robot_env["ROBOT_STATE_DIR"])
    report = tmp_path / "report.json"
    report.write_text("the running robot's report")
    with run_lock(state_dir):
        run = run_robot("renew", "--all", "--report", str(report))
        with pytest.raises(AnotherRunActive), run_lock(state_dir):  # the refused run left the holder's lock alone
            pass
        assert portals.cortado.state.sign_ins == portals.abm.state.sign_ins == 0
        assert sorted(p.name for p in state_dir.iterdir()) == ["robot.lock"]
        status = run_robot("status", "--json")

    assert run.exit_code == 2
    assert run.stderr.strip() == (f"error: another robot run (pid {os.getpid()}) is using {state_dir}; "
                                  "wait for it to finish and run again")
    assert report.read_text() == "the running robot's report", "the other run's report is not overwritten"
    assert status.exit_code == 0, status.output
    listed = {row["location"] for row in json.loads(status.stdout)}
    assert listed == {account.location for account in portals.cortado.state.accounts}
    assert portals.cortado.state.saves == 0


# -- a page that does not look as expected ---------------------------------------------------------

def test_a_missing_label_is_waited_for_as_long_as_the_robot_timeout(page: Page) -> None:
    """The wait follows the timeout the robot is given (ROBOT_TIMEOUT_MS), not expect()'s 5 s."""
    page.set_content("<main>An updated portal</main>")
    started = time.monotonic()
    with pytest.raises(PageNotAsExpected, match='the "Edit" button not found'):
        find(page, clickable(re.compile("^Edit$")), "Cortado replacing the token", 'the "Edit" button', 300)
    assert time.monotonic() - started < 3


def test_abm_entries_are_counted_from_one_read_and_by_their_elements_where_a_name_runs_into_other_text(
        page: Page) -> None:
    """The robot learns in one read how many entries carry each location's name; where the texts do not say
    exactly one (an inline name reads "Sales Download"), the entries are counted by their elements."""
    page.set_content(
        "<main><h2>Server tokens</h2><ul>"
        "<li><span>Sales</span> <button>Download</button></li>"
        "<li><div>Sales Hamburg</div><div><button>Download</button></div></li>"
        "<li><div>Support</div><div><button>Download</button></div></li>"
        "<li><div>Support</div><div><button>Download</button></div></li>"
        "</ul></main>")

    counts = AbmFlow(page).entries_named(["Sales", "Sales Hamburg", "Support", "Berlin"])

    assert counts == {"Sales": 1, "Sales Hamburg": 1, "Support": 2, "Berlin": 0}


def test_a_renamed_button_ends_the_location_with_the_step_label_and_screenshot(
        portals: MockPortals, run_robot, robot_env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(LABELS, "renamed", {**EN, "edit": "Modify"})  # a portal update renamed "Edit"
    cortado = portals.cortado.state
    cortado.language = "renamed"
    before = cortado.account("CMS Documentation").token
    robot_env["ROBOT_TIMEOUT_MS"] = FAST_FAILURE_MS
    robot_env["ROBOT_APPLE_CHECK"] = "off"  # else Edit is first missed reading the installed token for Apple

    run = run_robot("renew", "--location", "CMS Documentation")

    assert run.exit_code == 1, run.output
    assert cortado.account("CMS Documentation").token == before and cortado.saves == 0
    assert line_of(run.stdout, "CMS Documentation").startswith(
        'CMS Documentation: FAILED: saving in Cortado failed: Cortado replacing the token of CMS Documentation: '
        'the "Edit" / "Bearbeiten" button not found on ')
    assert re.search(r'; the page shows .*"Modify" \(button\).*: add the right one under cortado\.edit in '
                     "ROBOT_LABELS_FILE", line_of(run.stdout, "CMS Documentation"))
    artifacts = Path(robot_env["ROBOT_ARTIFACTS_DIR"])
    [screenshot] = artifacts.glob("*-cortado-CMS_Documentation.png")
    [trace] = artifacts.glob("*-cortado-trace.zip")
    snapshot = screenshot.with_suffix(".aria.yaml")
    assert private(screenshot) and private(trace) and private(snapshot)
    assert 'button "Modify"' in snapshot.read_text(encoding="utf-8"), "what the page showed, as roles and names"
    assert str(screenshot) in run.stderr and str(trace) in run.stderr
    with zipfile.ZipFile(trace) as archive:
        recorded = b"".join(archive.read(name) for name in archive.namelist())
    assert b"CMS Documentation" in recorded, "the trace records the location's steps"
    assert CORTADO_PASSWORD.encode() not in recorded, "the default trace starts after the sign-in"
    assert "Traceback" not in run.output
    [kept] = pending_files(robot_env)
    assert private(kept)
