"""A run stopped from outside (SIGKILL, Ctrl-C) leaves nothing half done that the next run or the report does not
say: the robot runs in a process of its own here, as cron or a terminal starts it, against the mock portals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import private

from fixtures.portals import MockPortals
from robot.renewal.outcome import NOT_ATTEMPTED

LOCATION = "CMS Documentation"
SUBPROCESS_TIMEOUT_S = 120


def robot_process(robot_env: dict[str, str], *argv: str, output: int | None = subprocess.PIPE
                  ) -> subprocess.Popen[str]:
    """`python -m robot ...` in a process group of its own, as a terminal or cron would start it. (The output of
    a process that will be killed goes nowhere: its browser would hold the pipes open after it died.)"""
    base = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return subprocess.Popen([sys.executable, "-m", "robot", *argv], env={**base, **robot_env},
                            cwd=Path(__file__).resolve().parents[1], stdin=subprocess.DEVNULL,
                            stdout=output, stderr=output, text=True, start_new_session=True)


def answered(done: Callable[[], bool], timeout_s: float = 10) -> None:
    """Wait for the mock's request thread to finish what the test's own thread cannot see it do."""
    deadline = time.monotonic() + timeout_s
    while not done():
        assert time.monotonic() < deadline, "the mock portal did not finish the request"
        time.sleep(0.01)


def kept_tokens(robot_env: dict[str, str]) -> list[Path]:
    return sorted((Path(robot_env["ROBOT_STATE_DIR"]) / "pending").glob("*"))


@pytest.mark.parametrize("stored", [True, False], ids=["killed-after-the-save", "killed-before-the-save"])
def test_a_token_kept_by_a_killed_run_is_reconciled_by_the_next_one(
        portals: MockPortals, run_robot, robot_env: dict[str, str], stored: bool) -> None:
    """Killed while Cortado had the save in hand: the next run deletes the kept token if Cortado shows it, else
    installs that token, without downloading another."""
    abm, cortado = portals.abm.state, portals.cortado.state
    robot_env["ROBOT_APPLE_CHECK"] = "off"
    killed = robot_process(robot_env, "renew", "--location", LOCATION, output=subprocess.DEVNULL)

    def kill(location: str) -> None:
        killed.kill()
        killed.wait(SUBPROCESS_TIMEOUT_S)
        cortado.fail_saves = 0 if stored else 1  # an answer, not a dropped line: a browser retries those

    cortado.before_save = kill
    killed.wait(SUBPROCESS_TIMEOUT_S)
    answered(lambda: cortado.saves == 1 if stored else cortado.fail_saves == 0)  # the portal's side of the save
    cortado.before_save = None
    assert killed.returncode == -signal.SIGKILL
    [kept] = kept_tokens(robot_env)
    assert private(kept) and kept.read_text() == abm.issued[LOCATION][-1]
    assert (cortado.account(LOCATION).token == abm.issued[LOCATION][-1]) is stored

    run = run_robot("renew", "--location", LOCATION)

    assert run.exit_code == 0, run.output
    assert kept_tokens(robot_env) == []
    assert abm.downloads == 1, "the kept token is used, never a second download"
    assert cortado.account(LOCATION).token == abm.issued[LOCATION][-1]
    if stored:
        assert "Cortado shows the token an earlier run kept" in run.stderr
        assert run.stdout.startswith(f"{LOCATION}: skipped (not due")
    else:
        assert "that Cortado does not show yet: it is used instead of a new download" in run.stderr
        assert run.stdout.startswith(f"{LOCATION}: renewed")
        assert cortado.answers == [(LOCATION, "no")]


def test_ctrl_c_ends_with_one_line_a_report_of_each_location_and_only_private_files(
        portals: MockPortals, robot_env: dict[str, str], tmp_path: Path) -> None:
    """Ctrl-C reaches the robot's whole process group, as a terminal sends it, while the second token is fetched."""
    abm, cortado = portals.abm.state, portals.cortado.state
    robot_env["ROBOT_APPLE_CHECK"] = "off"
    report = tmp_path / "reports" / "report.json"
    before = {account.location: account.token for account in cortado.accounts}
    run = robot_process(robot_env, "renew", "--all", "--report", str(report))
    abm.after_download = lambda location: len(abm.issued) == 2 and os.killpg(run.pid, signal.SIGINT)

    _, stderr = run.communicate(timeout=SUBPROCESS_TIMEOUT_S)

    assert run.returncode == 130, stderr
    first, second, *rest = [account.location for account in cortado.accounts]
    last = stderr.strip().splitlines()[-1]
    assert last == f"interrupted: 1 renewed, {len(rest)} not attempted, see the report {report}", stderr
    assert "Traceback" not in stderr and "Future exception" not in stderr
    results = {result["location"]: result for result in json.loads(report.read_text())["results"]}
    assert results[first]["status"] == "renewed"
    assert results[second]["status"] == "failed" and "not attempted" not in results[second]["error"]
    assert all(results[location]["error"] == NOT_ATTEMPTED for location in rest)
    assert cortado.answers == [(first, "no")]
    assert {a.location: a.token for a in cortado.accounts} == {**before, first: abm.issued[first][-1]}
    written = [path for folder in (tmp_path / "state", tmp_path / "artifacts", report.parent)
               for path in folder.rglob("*") if path.is_file()]
    assert report in written and all(private(path) for path in written), written
