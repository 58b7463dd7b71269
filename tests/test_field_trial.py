"""The robot on both portals as someone else built them (fixtures/field_trial): written from the reference text
alone, by developers who never saw the flows. Only the state those portals report is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from robot.cli import main

TRIAL = Path(__file__).resolve().parent.parent / "fixtures" / "field_trial"
# On a later page of a paged table, out of view in a list that draws only the rows in view, and beside a
# look-alike ("München Nord") wherever a search finds both.
LOCATION = "München"


class Trial:
    """One implementation of both portals, running in its own process."""

    def __init__(self, urls: dict[str, str]) -> None:
        self.urls = urls

    def state(self, portal: str) -> dict:
        with urllib.request.urlopen(f"{self.urls[portal]}/__state", timeout=10) as answer:
            return json.load(answer)

    def accounts(self) -> dict[str, dict]:
        return {account["name"]: account for account in self.state("cortado")["accounts"]}

    def reset(self) -> None:
        for portal in ("abm", "cortado"):
            request = urllib.request.Request(f"{self.urls[portal]}/__reset", data=b"", method="POST")
            urllib.request.urlopen(request, timeout=10).close()

    def settings(self, state_dir: Path) -> dict[str, str]:
        return {"ABM_URL": self.urls["abm"], "ABM_USERNAME": "admin@acme.example", "ABM_PASSWORD": "Apple-Pass-1",
                "ABM_CODE_COMMAND": "echo 123456", "CORTADO_URL": self.urls["cortado"],
                "CORTADO_USERNAME": "admin", "CORTADO_PASSWORD": "Cortado-Pass-1", "ROBOT_ORG_NAME": "Acme GmbH",
                # Apple's API does not know these portals' tokens: the robot's own checks decide
                "ROBOT_APPLE_CHECK": "off", "ROBOT_STATE_DIR": str(state_dir), "ROBOT_TIMEOUT_MS": "5000"}


@pytest.fixture(scope="module", params=sorted(path.parent.name for path in TRIAL.glob("*/serve.py")))
def trial(request: pytest.FixtureRequest) -> Iterator[Trial]:
    server = subprocess.Popen([sys.executable, str(TRIAL / request.param / "serve.py")], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    try:
        yield Trial(json.loads(server.stdout.readline()))  # type: ignore[union-attr]
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def robot_on(trial: Trial, browser: Browser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
             ) -> Callable[..., tuple[int, str]]:
    trial.reset()

    def run(*argv: str) -> tuple[int, str]:
        code = main(list(argv), browser, trial.settings(tmp_path / "state"))
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    return run


def test_check_finds_every_step_then_a_location_is_renewed_answered_no_and_its_look_alike_left_alone(
        trial: Trial, robot_on) -> None:
    before = trial.accounts()

    code, output = robot_on("check")

    assert code == 0 and "MISSING" not in output, output
    assert trial.state("abm")["downloads"] == 0 and trial.state("cortado")["saves"] == 0

    code, output = robot_on("renew", "--location", LOCATION)

    assert code == 0, output
    after, issued = trial.accounts(), trial.state("abm")["issued"]
    assert [name for name in after if after[name]["token"] != before[name]["token"]] == [LOCATION]
    assert after[LOCATION]["token"] == issued[LOCATION][-1], "the installed token is the one issued"
    assert {name: account["apps"] for name, account in after.items()} == {
        name: account["apps"] for name, account in before.items()}, "per-app settings are kept"
    assert (trial.state("cortado")["yes"], trial.state("cortado")["no"]) == (0, 1), "the question answered No"
    assert [name for name, tokens in issued.items() if tokens] == [LOCATION], "nothing else downloaded"
