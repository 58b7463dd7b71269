"""Shared test set-up: Debian's or Playwright's Chromium, and the mock portals on free ports."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright

from fixtures.abm.state import DIALECTS as ABM_DIALECTS
from fixtures.cortado.state import DIALECTS as CORTADO_DIALECTS
from fixtures.demo_data import ORG_NAME
from fixtures.portals import MockPortals
from robot.cli import main
from robot.runtime.chromium import launch_options

DIALECTS = tuple(dict.fromkeys(ABM_DIALECTS + CORTADO_DIALECTS))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, playwright: Playwright) -> dict:
    """Merge, not replace, so that --headed and --slowmo keep working (playwright-pytest#76)."""
    headed = not browser_type_launch_args.get("headless", True)
    return {**browser_type_launch_args, **launch_options(playwright, headed=headed)}


@pytest.fixture(scope="session")
def running_portals() -> Iterator[MockPortals]:
    with MockPortals() as portals:
        yield portals


@pytest.fixture
def portals(running_portals: MockPortals) -> MockPortals:
    """The mock portals, reset to a fresh organisation for each test."""
    running_portals.reset()
    return running_portals


@dataclass
class RobotRun:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def robot_log() -> Iterator[list[str]]:
    """The robot logger's messages at every level, whatever handlers and level the CLI configured last."""
    messages: list[str] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = lambda record: messages.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("robot")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield messages
    logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.fixture
def robot_env(portals: MockPortals, tmp_path: Path) -> dict[str, str]:
    """Settings for a robot run against the mock portals; tests may change them."""
    return {
        **portals.robot_settings(),
        "ROBOT_STATE_DIR": str(tmp_path / "state"), "ROBOT_ARTIFACTS_DIR": str(tmp_path / "artifacts"),
        "ROBOT_TIMEOUT_MS": "5000",
    }


@pytest.fixture(params=DIALECTS)
def dialect(request: pytest.FixtureRequest, portals: MockPortals, robot_env: dict[str, str]) -> str:
    """Both mock portals in one of their dialects (markup written apart from the robot), for a scenario that must
    pass on each. The organisation's name is set, as an admin would: a role-less account menu shows it."""
    portals.abm.state.dialect = portals.cortado.state.dialect = request.param
    robot_env["ROBOT_ORG_NAME"] = ORG_NAME
    return request.param


@pytest.fixture
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in the nightly job: stdin is no terminal, and a prompt would be a bug."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))

    def no_prompt(prompt: str = "") -> str:
        raise AssertionError(f"prompted without a terminal: {prompt}")

    monkeypatch.setattr("builtins.input", no_prompt)


@pytest.fixture
def run_robot(browser: Browser, robot_env: dict[str, str], capsys: pytest.CaptureFixture[str],
              request: pytest.FixtureRequest) -> Callable[..., RobotRun]:
    """Runs `python -m robot ...` in-process on the session's browser (the real CLI, minus a launch). What each
    run printed is shown beside a failure, whatever the assertion that failed says."""

    def run(*argv: str) -> RobotRun:
        capsys.readouterr()
        code = main(list(argv), browser, robot_env)
        captured = capsys.readouterr()
        request.node.add_report_section("call", f"robot {' '.join(argv)} (exit {code})", captured.out + captured.err)
        return RobotRun(code, captured.out, captured.err)

    return run
