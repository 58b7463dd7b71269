"""Signing in: `login`, kept sessions reused and replaced when stale, two-factor with and without a person,
and refused credentials; the mock portals count every sign-in, code prompt and change."""

from __future__ import annotations

import json
import stat
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext

from fixtures.demo_data import VERIFICATION_CODE
from fixtures.portals import MockPortals
from robot.errors import ConfigError
from robot.portals.verification_code import code_source
from robot.runtime.contexts import BrowserContexts
from robot.runtime.options import BrowserOptions
from robot.runtime.private_files import write_private
from robot.runtime.settings import Settings

LOCATION = "CMS Documentation"
LATER = "Support München"


def state_files(robot_env: dict[str, str]) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in Path(robot_env["ROBOT_STATE_DIR"]).rglob("*") if path.is_file()}


def assert_private(files: dict[Path, bytes]) -> None:
    assert files, "no state kept"
    assert {path.name: stat.S_IMODE(path.stat().st_mode) for path in files} == dict.fromkeys(
        (path.name for path in files), 0o600)


def tokens(portals: MockPortals) -> dict[str, str]:
    return {a.location: a.token for a in portals.cortado.state.accounts}


def error_line(output: str) -> str:
    """The one line an admin reads; a second one, a traceback or a kept trace (it would hold the typed
    password) fails the test."""
    assert "Traceback" not in output and "trace kept" not in output
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, output
    return errors[0]


def test_login_keeps_sessions_that_later_runs_reuse_or_replace_when_stale(
        portals: MockPortals, run_robot, robot_env, monkeypatch: pytest.MonkeyPatch) -> None:
    """`login` at a terminal (code typed, browser trusted); a run on the kept sessions; then, a month later, a
    nightly run after both portals ended every session and ABM forgot the trusted browser: it signs in afresh,
    takes the code from ABM_CODE_COMMAND, trusts again, and replaces the kept sessions."""
    abm, cortado = portals.abm.state, portals.cortado.state
    abm.two_factor = True
    prompts: list[str] = []
    monkeypatch.setattr("builtins.input", lambda prompt="": prompts.append(prompt) or VERIFICATION_CODE)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)

    login = run_robot("login")

    assert login.exit_code == 0, login.output
    assert len(prompts) == 1 and "verification code" in prompts[0]
    assert abm.trusted, "Trust was not answered"
    assert (abm.sign_ins, cortado.sign_ins) == (1, 1)
    kept = state_files(robot_env)
    assert_private(kept)
    sessions = [path for path in kept if "session" in path.name]
    assert len(sessions) == 2
    assert all(str(path) in login.stdout for path in sessions), login.stdout
    assert abm.downloads == cortado.saves == 0

    reusing = run_robot("renew", "--location", LOCATION)

    assert reusing.exit_code == 0, reusing.output
    assert (abm.sign_ins, cortado.sign_ins, abm.code_prompts) == (1, 1, 1), "the kept sessions were not reused"
    assert cortado.account(LOCATION).token == abm.issued[LOCATION][-1]

    abm.expire_sessions()
    cortado.expire_sessions()
    abm.trusted.clear()
    robot_env["ABM_CODE_COMMAND"] = f"echo {VERIFICATION_CODE}"
    fresh = run_robot("renew", "--location", LATER)

    assert fresh.exit_code == 0, fresh.output
    assert (abm.sign_ins, cortado.sign_ins, abm.code_prompts) == (2, 2, 2)
    assert len(prompts) == 1, "the code was asked at the terminal, not taken from ABM_CODE_COMMAND"
    assert abm.trusted, "Trust was not answered"
    assert cortado.account(LATER).token == abm.issued[LATER][-1]
    replaced = state_files(robot_env)
    assert_private(replaced)
    assert all(replaced[path] != kept[path] for path in sessions), "the stale sessions were kept"


@pytest.mark.usefixtures("no_terminal")
def test_code_wanted_without_a_terminal_stops_before_any_change(portals: MockPortals, run_robot,
                                                                tmp_path: Path) -> None:
    portals.abm.state.two_factor = True
    before = tokens(portals)
    report = tmp_path / "report.json"

    run = run_robot("renew", "--location", LOCATION, "--report", str(report))

    assert run.exit_code == 3, run.output
    assert "python -m robot login" in error_line(run.stderr)
    assert portals.abm.state.code_prompts == 1
    assert (portals.abm.state.sign_ins, portals.abm.state.downloads) == (0, 0)
    assert tokens(portals) == before
    assert (portals.cortado.state.saves, portals.cortado.state.answers) == (0, [])
    [result] = json.loads(report.read_text(encoding="utf-8"))["results"]
    assert (result["location"], result["status"]) == (LOCATION, "failed")
    assert "not attempted" in result["error"]


@pytest.mark.usefixtures("no_terminal")
def test_code_wanted_while_fetching_the_next_location_still_verifies_the_one_saved(
        portals: MockPortals, run_robot, robot_env: dict[str, str], tmp_path: Path) -> None:
    """The next token is downloaded while Cortado reloads after a save: a stop there comes after that save's check."""
    abm, cortado = portals.abm.state, portals.cortado.state

    def want_a_code(location: str) -> None:
        if location == LOCATION:
            abm.expire_sessions()
            abm.two_factor = True

    abm.after_download = want_a_code
    later_token = tokens(portals)[LATER]
    report = tmp_path / "report.json"

    run = run_robot("renew", "--location", LOCATION, "--location", LATER, "--report", str(report))

    assert run.exit_code == 3, run.output
    assert "python -m robot login" in error_line(run.stderr)
    assert cortado.account(LOCATION).token == abm.issued[LOCATION][-1] and tokens(portals)[LATER] == later_token
    assert cortado.answers == [(LOCATION, "no")]
    results = {r["location"]: r for r in json.loads(report.read_text(encoding="utf-8"))["results"]}
    assert results[LOCATION]["status"] == "renewed" and results[LOCATION]["kept_token_file"] is None
    assert results[LATER]["status"] == "failed"
    assert results[LATER]["error"].startswith("not renewed: the run stopped while fetching the new token from ABM")
    assert not list((Path(robot_env["ROBOT_STATE_DIR"]) / "pending").glob("*")), "verified, so nothing is kept"


def test_code_is_asked_at_a_terminal_and_nowhere_else(monkeypatch: pytest.MonkeyPatch) -> None:
    """`renew` and `status` pass no choice: a terminal means a person who can type the code."""
    monkeypatch.setattr("builtins.input", lambda prompt="": f" {VERIFICATION_CODE} ")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    assert code_source(None)(0) == VERIFICATION_CODE
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    assert code_source(None)(0) is None


@pytest.mark.parametrize(("command", "said"), [
    ("echo 123456; exit 1", "ABM_CODE_COMMAND exited with 1: it must print the six-digit code and exit 0"),
    ("echo 12", "ABM_CODE_COMMAND printed '12', not six digits"),
    ("echo s3cret-words", "ABM_CODE_COMMAND printed 12 characters, not six digits"),
])
def test_a_code_command_that_fails_is_a_setting_to_fix(command: str, said: str) -> None:
    """What the command did wrong, in one line; what it printed is shown only when it is a number."""
    with pytest.raises(ConfigError) as error:
        code_source(command)(0)
    assert str(error.value) == said


@pytest.mark.parametrize("refused", [("ABM", "Apple Business Manager"), ("CORTADO", "Cortado")],
                         ids=["abm", "cortado"])
def test_refused_password_names_the_portal_and_changes_nothing(dialect: str, portals: MockPortals, run_robot,
                                                               robot_env, refused: tuple[str, str]) -> None:
    """On each dialect the refusal is seen as it shows (an alert, or words that say so), not after a timeout."""
    portal, named = refused
    robot_env[f"{portal}_PASSWORD"] = "not-the-password"
    robot_env["ROBOT_TIMEOUT_MS"] = "30000"
    before = tokens(portals)

    run = run_robot("renew", "--location", LOCATION)

    refused_at = (portals.abm.state if portal == "ABM" else portals.cortado.state).refused_at
    assert refused_at is not None and time.monotonic() - refused_at < 5, "ended within 5 s of the refusal, no timeout"
    assert run.exit_code == 2, run.output
    line = error_line(run.stderr)
    assert named in line and f"{portal}_PASSWORD" in line
    assert "not-the-password" not in run.output
    assert (portals.abm.state.sign_ins, portals.abm.state.downloads) == (0, 0)
    assert tokens(portals) == before
    assert portals.cortado.state.saves == 0


def test_an_unreadable_kept_session_means_signing_in_afresh(portals: MockPortals, run_robot, robot_env) -> None:
    state_dir = Path(robot_env["ROBOT_STATE_DIR"])
    state_dir.mkdir(parents=True)
    (state_dir / "cortado-session.json").write_text("{half a file", encoding="utf-8")

    run = run_robot("status", "--json")

    assert run.exit_code == 0, run.output
    assert "unreadable" in run.stderr
    assert portals.cortado.state.sign_ins == 1
    assert json.loads((state_dir / "cortado-session.json").read_text(encoding="utf-8"))["cookies"]


def test_a_run_keeps_the_storage_its_page_shows_and_the_rest_as_its_session_began(
        portals: MockPortals, browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run saves its session without storage_state(), which opens a page for each origin no page shows: the
    storage of every origin the page has open (the sign-in widget's iframe too) is read now, that of any other
    origin kept as loaded, and the cookies are the context's own."""
    full_reads: list[BrowserContext] = []
    storage_state = BrowserContext.storage_state
    monkeypatch.setattr(BrowserContext, "storage_state",
                        lambda context, **options: full_reads.append(context) or storage_state(context, **options))
    settings = Settings(state_dir=tmp_path)
    widget, elsewhere = portals.abm.auth_url, "http://127.0.0.1:9"
    loaded = {"cookies": [], "origins": [
        {"origin": widget, "localStorage": [{"name": "widget", "value": "as loaded"}]},
        {"origin": elsewhere, "localStorage": [{"name": "other", "value": "as loaded"}]},
    ]}
    write_private(tmp_path / "abm-session.json", json.dumps(loaded).encode())
    contexts = BrowserContexts(browser, settings, BrowserOptions(trace="off"))
    try:
        page = contexts.page("abm")
        page.goto(portals.abm.url)  # signed out: the sign-in widget in its iframe
        widget_frame = next(frame for frame in page.frames if frame.url.startswith(widget))
        assert widget_frame.evaluate("localStorage.getItem('widget')") == "as loaded"
        widget_frame.evaluate("localStorage.setItem('widget', 'changed')")
        page.evaluate("localStorage.setItem('app', 'now')")
        page.context.add_cookies([{"name": "seen", "value": "yes", "url": portals.abm.url}])

        saved = json.loads(contexts.keep_session("abm").read_text(encoding="utf-8"))
    finally:
        contexts.close()

    assert {entry["origin"]: entry["localStorage"] for entry in saved["origins"]} == {
        portals.abm.url: [{"name": "app", "value": "now"}],
        widget: [{"name": "widget", "value": "changed"}],
        elsewhere: [{"name": "other", "value": "as loaded"}],
    }
    assert [cookie["name"] for cookie in saved["cookies"]] == ["seen"]
    assert not full_reads
    assert stat.S_IMODE((tmp_path / "abm-session.json").stat().st_mode) == 0o600
