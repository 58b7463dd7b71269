"""Notifications (issue 19): Apprise's `json://` to a receiver on this machine stands in for e-mail, Teams or Slack.
What a failure, a wanted sign-in and a renewal tell, that a receiver that is down changes no exit code, and that no
password or token text is ever in a message."""

from __future__ import annotations

import io
import json
import socket
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import NamedTuple

import pytest

from fixtures.portals import MockPortals
from robot.cli import main

NOTIFY_PASSWORD = "receiver-pass-5521"
DUE, DUE_LATER = "CMS Documentation", "CMS Documentation Berlin"


class Receiver:
    """An HTTP server on a free loopback port that keeps every JSON body posted to it."""

    def __init__(self) -> None:
        self.messages: list[dict[str, str]] = []
        received = self.messages

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"json://notify:{NOTIFY_PASSWORD}@127.0.0.1:{self.server.server_port}/hook"

    def text(self) -> str:
        return "\n".join(f"{m['title']}\n{m['message']}" for m in self.messages)


@pytest.fixture
def receiver(robot_env: dict[str, str], portals: MockPortals) -> Iterator[Receiver]:
    """The robot notifies the receiver; after the test, no message holds a password or a token's text."""
    receiver = Receiver()
    thread = threading.Thread(target=receiver.server.serve_forever, args=(0.05,), daemon=True)  # quick to shut down
    thread.start()
    robot_env["ROBOT_NOTIFY"] = receiver.url
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()
    secrets = [robot_env["ABM_PASSWORD"], robot_env["CORTADO_PASSWORD"], NOTIFY_PASSWORD,
               *(token for tokens in portals.abm.state.issued.values() for token in tokens),
               *(account.token for account in portals.cortado.state.accounts)]
    assert not [secret for secret in secrets if secret in receiver.text()]


@pytest.fixture
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in the nightly job: no one to type ABM's code."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


def free_port() -> int:
    """A loopback port with nothing listening on it: a receiver that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Failure(NamedTuple):
    location: str
    only_abm_lacks_it: bool  # else Cortado lacks it too: the location named is wrong
    code: int
    reason: str


@pytest.mark.parametrize("failure", [
    Failure("Support München", True, 1, 'Support München: FAILED: ABM lists no token for exactly "Support München"'),
    Failure("Nowhere Town", False, 2, 'Reason: unknown location "Nowhere Town"'),
], ids=["location-failed", "config-error"])
def test_a_failure_notifies_with_its_reason(portals: MockPortals, run_robot, receiver: Receiver,
                                            failure: Failure) -> None:
    if failure.only_abm_lacks_it:
        portals.abm.state.locations.remove(failure.location)

    run = run_robot("renew", "--location", failure.location)

    code, reason = failure.code, failure.reason
    assert run.exit_code == code, run.output
    [message] = receiver.messages
    assert message["type"] == "failure"
    assert message["title"].startswith("vpptoken robot, ")
    assert any(line.startswith(reason) for line in message["message"].splitlines()), message["message"]
    assert f"exit code {code}" in message["message"] and "What to do:" in message["message"]


@pytest.mark.parametrize("broken", ["report", "setting"])
def test_a_renewal_refused_at_the_start_notifies_too(portals: MockPortals, run_robot, robot_env: dict[str, str],
                                                     receiver: Receiver, broken: str) -> None:
    """Unattended, a report folder or a setting someone broke would otherwise fail unheard every night."""
    afile = Path(robot_env["ROBOT_STATE_DIR"]).parent / "afile"
    afile.write_text("not a folder")
    report = afile / "report.json"
    if broken == "setting":
        robot_env["ROBOT_TIMEOUT_MS"] = "soon"

    run = run_robot("renew", "--all", *(("--report", str(report)) if broken == "report" else ()))

    assert run.exit_code == 2, run.output
    [message] = receiver.messages
    reason = (f"--report {report} cannot be written" if broken == "report"
              else "ROBOT_TIMEOUT_MS=soon is not a number of milliseconds")
    assert f"Reason: {reason}" in message["message"]
    assert portals.cortado.state.sign_ins == 0


@pytest.mark.usefixtures("no_terminal")
def test_a_wanted_sign_in_notifies_with_the_login_advice(portals: MockPortals, run_robot,
                                                         receiver: Receiver) -> None:
    portals.abm.state.two_factor = True

    run = run_robot("renew", "--location", DUE)

    assert run.exit_code == 3, run.output
    [message] = receiver.messages
    assert "a person must sign in" in message["title"]
    assert "run `python -m robot login`" in message["message"]
    assert f"{DUE}: FAILED: not attempted" in message["message"]


def test_a_renewal_notifies_only_when_always_is_asked(portals: MockPortals, run_robot, robot_env: dict[str, str],
                                                      receiver: Receiver) -> None:
    robot_env["ROBOT_ORG_NAME"] = "Example Org"
    quiet = run_robot("renew", "--location", DUE)
    assert quiet.exit_code == 0, quiet.output
    assert receiver.messages == [], "ROBOT_NOTIFY_ON=failure (the default) tells nothing of a good run"

    robot_env["ROBOT_NOTIFY_ON"] = "always"
    told = run_robot("renew", "--location", DUE_LATER)

    assert told.exit_code == 0, told.output
    [message] = receiver.messages
    assert (message["type"], message["title"]) == ("success", "vpptoken robot, Example Org: 1 token(s) renewed")
    new = portals.cortado.state.valid_until(DUE_LATER).isoformat()
    assert f"{DUE_LATER}: renewed, valid until " in message["message"] and f"-> {new}" in message["message"]
    assert "Organisation: Example Org" in message["message"]


def test_a_receiver_that_is_down_changes_no_exit_code(portals: MockPortals, run_robot,
                                                      robot_env: dict[str, str]) -> None:
    robot_env["ROBOT_NOTIFY"] = f"json://notify:{NOTIFY_PASSWORD}@127.0.0.1:{free_port()}/hook"

    run = run_robot("renew", "--location", "Nowhere Town")

    assert run.exit_code == 2, run.output
    [warning] = [line for line in run.stderr.splitlines() if "notification not sent" in line]
    assert "exit code stays 2" in warning and NOTIFY_PASSWORD not in run.output


def test_notify_test_sends_a_test_message_or_says_why_not(portals: MockPortals, run_robot, robot_env: dict[str, str],
                                                          receiver: Receiver) -> None:
    sent = run_robot("notify-test")

    assert sent.exit_code == 0, sent.output
    [message] = receiver.messages
    assert "test message" in message["title"]
    assert portals.cortado.state.sign_ins == portals.abm.state.sign_ins == 0

    robot_env["ROBOT_NOTIFY"] = f"json://notify:{NOTIFY_PASSWORD}@127.0.0.1:{free_port()}/hook"
    failed = run_robot("notify-test")

    assert failed.exit_code == 1
    [line] = failed.stderr.splitlines()
    assert line.startswith("error: test message not sent: ") and NOTIFY_PASSWORD not in line


@pytest.mark.parametrize(("setting", "says"), [
    (("ROBOT_NOTIFY_ON", "sometimes"), "ROBOT_NOTIFY_ON=sometimes is not known: give failure"),
    (("ROBOT_NOTIFY", f"nosuch://notify:{NOTIFY_PASSWORD}@example.com"), "ROBOT_NOTIFY: URL 1 (nosuch://...)"),
], ids=["notify-on", "notify-url"])
def test_a_wrong_notification_setting_is_refused_before_anything_starts(
        portals: MockPortals, robot_env: dict[str, str], capsys: pytest.CaptureFixture[str], setting: tuple[str, str],
        says: str) -> None:
    name, value = setting
    robot_env[name] = value

    code = main(["renew", "--all"], None, robot_env)

    [line] = capsys.readouterr().err.splitlines()
    assert code == 2 and line.startswith(f"error: {says}") and NOTIFY_PASSWORD not in line
    assert portals.cortado.state.sign_ins == portals.abm.state.sign_ins == 0
