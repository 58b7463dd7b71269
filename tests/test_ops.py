"""Operations: the nightly workflow's own command, JUnit for CI, log levels, traces, and a headed run under Xvfb."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import textwrap
import urllib.request
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers import private

from fixtures.demo_data import ORG_NAME
from fixtures.portals import MockPortals
from robot.cli import main
from robot.portals.retry import ATTEMPTS
from robot.runtime.chromium import launch_options
from robot.runtime.contexts import SCREEN, BrowserContexts
from robot.runtime.options import BrowserOptions
from robot.runtime.settings import Settings, load_settings
from robot.runtime.step_timer import StepTimer

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "renew-tokens.yml"
DUE = ("CMS Documentation", "CMS Documentation Berlin")  # the demo locations due within 30 days
SUBPROCESS_TIMEOUT_S = 120


# -- helpers ------------------------------------------------------------------------------------

def workflow_robot_argv() -> list[str]:
    """The robot command line of the workflow (the one line that starts with the venv's python)."""
    lines = [line.strip() for line in WORKFLOW.read_text().splitlines()
             if line.strip().startswith(".venv/bin/python -m robot ")]
    assert len(lines) == 1, f"expected one robot command in {WORKFLOW.name}, found {lines}"
    return shlex.split(lines[0])


def workflow_env(mock_values: dict[str, str]) -> dict[str, str]:
    """The workflow's env entries: literals as written, `${{ secrets.X }}` / `${{ vars.X }}` from `mock_values`."""
    env = {}
    for name, value in re.findall(r"^\s+([A-Z][A-Z0-9_]*):\s*(\S.*)$", WORKFLOW.read_text(), re.MULTILINE):
        store = re.fullmatch(r"\$\{\{\s*(?:secrets|vars)\.([A-Z0-9_]+)\s*\}\}", value)
        if store and store.group(1) in mock_values:
            env[name] = mock_values[store.group(1)]
        elif "${{" not in value:
            env[name] = value.strip("\"'")
    return env


def workflow_script(containing: str) -> str:
    """The `run: |` block of the workflow step whose script contains `containing`."""
    lines = WORKFLOW.read_text().splitlines()
    for start, line in enumerate(lines):
        if line.strip() != "run: |":
            continue
        indent = len(line) - len(line.lstrip())
        block = []
        for body in lines[start + 1:]:
            if body.strip() and len(body) - len(body.lstrip()) <= indent:
                break
            block.append(body)
        script = textwrap.dedent("\n".join(block))
        if containing in script:
            return script
    raise AssertionError(f"no step of {WORKFLOW.name} runs {containing!r}")


def run_workflow_step(env: dict[str, str], work: Path) -> subprocess.CompletedProcess[str]:
    """The workflow's renewal step as GitHub runs it (bash -eo pipefail) in `work`, which holds a .venv."""
    script = workflow_script(shlex.join(workflow_robot_argv()))
    return run_subprocess(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], work, env)


def run_subprocess(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A separate process with only the given settings (plus PATH and HOME), as CI or cron would start it."""
    base = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return subprocess.run(argv, cwd=cwd, env={**base, **env}, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=SUBPROCESS_TIMEOUT_S, check=False)


def junit_cases(path: Path) -> dict[str, ET.Element]:
    root = ET.parse(path).getroot()
    return {case.get("name", ""): case for case in root.iter("testcase")}



def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def user_agents(trace: Path) -> set[str]:
    """The User-Agent headers the browser sent, as the trace's network log recorded them."""
    with zipfile.ZipFile(trace) as archive:
        network = archive.read("trace.network").decode()
    return set(re.findall(r'"name":"User-Agent","value":"([^"]*)"', network))


def quick_start_commands() -> list[str]:
    section = REPO.joinpath("README.md").read_text().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.DOTALL)]


# -- the nightly workflow ---------------------------------------------------------------------

def test_workflow_step_renews_what_is_due_and_writes_junit(portals: MockPortals, robot_env: dict[str, str],
                                                           tmp_path: Path) -> None:
    assert workflow_robot_argv()[:3] == [".venv/bin/python", "-m", "robot"]
    cortado = portals.cortado.state
    before = {a.location: a.token for a in cortado.accounts}

    env = workflow_env({**robot_env, "ROBOT_ORG_NAME": ORG_NAME})
    assert {"ABM_USERNAME", "ABM_PASSWORD", "CORTADO_URL", "CORTADO_USERNAME", "CORTADO_PASSWORD",
            "ROBOT_ORG_NAME"} <= env.keys(), "the workflow must hand every setting a renewal needs to the robot"
    env["ABM_URL"] = portals.abm.url  # the workflow uses the real ABM; here the mock stands in for it
    env["ROBOT_APPLE_API_URL"] = portals.apple.url  # and Apple's API: the mocks' tokens never leave the machine
    (tmp_path / ".venv").symlink_to(REPO / ".venv")  # the checkout as `bash setup.sh` left it

    done = run_workflow_step(env, tmp_path)

    assert done.returncode == 0, done.stderr
    assert "::error" not in done.stdout
    issued = portals.abm.state.issued
    assert set(issued) == set(DUE) and all(len(tokens) == 1 for tokens in issued.values())
    assert cortado.answers == [(location, "no") for location in DUE]
    for account in cortado.accounts:
        expected = issued[account.location][0] if account.location in DUE else before[account.location]
        assert account.token == expected, account.location
    cases = junit_cases(tmp_path / "reports" / "junit.xml")
    assert list(cases) == [a.location for a in cortado.accounts]
    for name, case in cases.items():
        assert case.find("failure") is None, name
        assert (case.find("skipped") is None) == (name in DUE), name
        if name not in DUE:
            assert "not due" in case.find("skipped").get("message", "")  # type: ignore[union-attr]
    for number, location in enumerate(DUE, 1):  # a progress line per location, a timed line per step
        assert re.search(rf"INFO +\[{number}/{len(DUE)}\] {location}: valid until", done.stderr), done.stderr
        assert re.search(rf"INFO +{location}: replace \(\d+\.\d\d s\)", done.stderr)
    report = json.loads((tmp_path / "reports" / "renewal.json").read_text())
    assert [r["status"] for r in report["results"]].count("renewed") == len(DUE)
    # What the workflow caches for the next night: both sessions, private. No trace after a good run.
    assert all(private(tmp_path / "state" / f"{portal}-session.json") for portal in ("abm", "cortado"))
    assert not list(tmp_path.glob("artifacts/*.zip"))
    assert robot_env["ABM_PASSWORD"] not in done.stdout + done.stderr


@pytest.mark.parametrize(("code", "title", "says"), [
    (1, "Renewal failed", "JUnit report"),
    (2, "Settings wrong", "secrets and variables"),
    (3, "Sign-in needed", "`python -m robot login`"),
])
def test_workflow_step_fails_with_an_annotation_naming_the_fix(tmp_path: Path, code: int, title: str,
                                                               says: str) -> None:
    """The step's own exit-code handling, with a stand-in robot that exits `code` (the robot's codes are
    tested where they arise)."""
    robot = tmp_path / ".venv" / "bin" / "python"
    robot.parent.mkdir(parents=True)
    robot.write_text(f"#!/bin/sh\nexit {code}\n")
    robot.chmod(0o755)

    done = run_workflow_step({}, tmp_path)

    assert done.returncode == code
    [annotation] = [line for line in done.stdout.splitlines() if line.startswith("::error")]
    assert annotation.startswith(f"::error title={title}::") and says in annotation


def test_readme_quick_start_ci_and_workflow_run_the_same_commands() -> None:
    assert quick_start_commands() == [
        "bash setup.sh && .venv/bin/python -m robot demo",
        "bash setup.sh && .venv/bin/ruff check . && .venv/bin/python -m pytest",
    ]
    ci_lines = [line for line in (REPO / ".ci" / "run").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    assert ci_lines[-1] == quick_start_commands()[1], ".ci/run must run the README's test command"
    assert re.search(r"^\s+run: bash setup\.sh$", WORKFLOW.read_text(), re.MULTILINE)
    assert shlex.join(workflow_robot_argv()) in REPO.joinpath("README.md").read_text()


# -- headed debugging -------------------------------------------------------------------------

@pytest.mark.headed_xvfb
def test_headed_run_under_xvfb_screenshots_the_failing_step(portals: MockPortals, robot_env: dict[str, str],
                                                            tmp_path: Path) -> None:
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is missing: run `bash setup.sh` (it installs Xvfb) for the headed test")
    portals.abm.state.fail_downloads = ATTEMPTS  # every try fails: the location fails at ABM's download
    cortado = portals.cortado.state
    token_before = cortado.account("CMS Documentation").token
    argv = ["xvfb-run", "-a", str(REPO / ".venv" / "bin" / "python"), "-m", "robot", "renew",
            "--location", "CMS Documentation", "--headed", "--trace", "on", "--junit", "junit.xml"]

    done = run_subprocess(argv, tmp_path, robot_env)

    assert done.returncode == 1, done.stderr
    assert portals.abm.state.issued == {} and cortado.account("CMS Documentation").token == token_before
    assert cortado.answers == [] and cortado.saves == 0
    artifacts = Path(robot_env["ROBOT_ARTIFACTS_DIR"])
    [screenshot] = artifacts.glob("*-abm-CMS_Documentation.png")
    assert private(screenshot)
    width, height = png_size(screenshot)
    assert width == SCREEN["width"] and height >= SCREEN["height"]  # the context's viewport, the whole page
    traces = {path.name.rsplit("-", 2)[-2]: path for path in artifacts.glob("*-trace.zip")}
    assert set(traces) == {"abm", "cortado"}, "--trace on keeps one trace per portal"
    assert all(private(trace) for trace in traces.values())
    agents = user_agents(traces["abm"])
    assert agents and not any("Headless" in agent for agent in agents), f"not a headed browser: {agents}"
    [failure] = [case.find("failure") for case in junit_cases(tmp_path / "junit.xml").values()]
    assert failure is not None
    assert failure.get("message", "").startswith("download from ABM failed")
    assert "\n" not in failure.get("message", "")
    assert "show-trace" in done.stderr


class PausablePage:
    """Stands in for a page: records whether the run stopped in the Inspector."""

    def __init__(self) -> None:
        self.paused = False
        self.frames: list[object] = []  # no frame to read an accessibility snapshot from

    def is_closed(self) -> bool:
        return False

    def screenshot(self, path: str, full_page: bool) -> None:
        Path(path).write_bytes(b"png")

    def pause(self) -> None:
        self.paused = True


@pytest.mark.parametrize(("headed", "pauses"), [(True, True), (False, False)])
def test_pause_on_failure_only_pauses_a_headed_browser(tmp_path: Path, headed: bool, pauses: bool) -> None:
    options = BrowserOptions(headed=headed, pause_on_failure=True)
    contexts = BrowserContexts(None, Settings(artifacts_dir=tmp_path), options)  # type: ignore[arg-type]
    page = PausablePage()
    contexts._pages["abm"] = page  # type: ignore[assignment]

    shot = contexts.capture_failure("abm", "CMS Documentation")

    assert page.paused is pauses
    assert shot is not None and private(shot)


@pytest.mark.parametrize("browser_path", ["/nonexistent/chromium", "/bin/true"], ids=["missing", "broken"])
def test_a_missing_or_broken_browser_is_a_setting_to_fix(robot_env: dict[str, str], browser_path: str,
                                                         tmp_path: Path) -> None:
    """Exit code 2 and one line that names the setting and the set-up command, not an unexpected error. In a
    process of its own: this one already runs Playwright for the other tests."""
    robot_env["ROBOT_BROWSER_PATH"] = browser_path

    done = subprocess.run([sys.executable, "-m", "robot", "status"], env={**os.environ, **robot_env}, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)

    assert done.returncode == 2, done.stderr
    [line] = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert "ROBOT_BROWSER_PATH" in line and "`bash setup.sh`" in line and "unexpected" not in line


@pytest.mark.parametrize(("installed", "headed", "chosen"), [
    (("chromium", "chromium-headless-shell"), False, "chromium-headless-shell"),
    (("chromium", "chromium-headless-shell"), True, "chromium"),
    (("chromium",), False, "chromium"),
], ids=["headless-shell-when-headless", "full-chromium-when-headed", "full-chromium-without-a-shell"])
def test_a_headless_run_takes_debian_s_headless_shell_where_installed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, installed: tuple[str, ...], headed: bool, chosen: str) -> None:
    """Without Playwright's own build, a headless run takes Debian's headless shell (far less CPU per page) and
    a headed one the full Chromium, which alone has a window."""
    for name in installed:
        (tmp_path / name).write_text("#!/bin/sh\n")
        (tmp_path / name).chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    without_own_build = SimpleNamespace(chromium=SimpleNamespace(executable_path=str(tmp_path / "not-installed")))

    options = launch_options(without_own_build, headed=headed)  # type: ignore[arg-type]

    assert options["executable_path"] == str(tmp_path / chosen)


def test_pause_on_failure_without_headed_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["renew", "--all", "--pause-on-failure"], environ={})
    assert stopped.value.code == 2
    assert "--pause-on-failure needs --headed" in capsys.readouterr().err


# -- log levels and traces --------------------------------------------------------------------

def test_quiet_logs_no_steps(portals: MockPortals, run_robot) -> None:
    run = run_robot("status", "--quiet")

    assert run.exit_code == 0, run.output
    assert portals.cortado.state.sign_ins == 1 and portals.abm.state.sign_ins == 0
    assert "CMS Documentation Berlin" in run.stdout
    assert not re.search(r"\b(INFO|DEBUG)\b", run.stderr), run.stderr


def test_verbose_logs_each_step_as_it_starts_and_ends(portals: MockPortals, run_robot) -> None:
    run = run_robot("status", "--verbose")

    assert run.exit_code == 0, run.output
    assert portals.cortado.state.sign_ins == 1
    assert re.search(r"DEBUG +Cortado: sign-in \.\.\.", run.stderr), run.stderr
    assert re.search(r"INFO +Cortado: sign-in \(\d+\.\d\d s\)", run.stderr)
    assert "trace kept" not in run.stderr  # a good run keeps no trace by default


# -- the mock portals on their own ------------------------------------------------------------

def test_python_m_fixtures_serves_the_portals_until_ctrl_c(tmp_path: Path) -> None:
    portal = subprocess.Popen([sys.executable, "-m", "fixtures", "--language", "de"], cwd=REPO,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert portal.stdout is not None
        printed = []
        for line in portal.stdout:
            printed.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        url = next(line.split("=", 1)[1].strip() for line in printed if line.startswith("export CORTADO_URL="))
        with urllib.request.urlopen(url, timeout=10) as answer:
            page = answer.read().decode()
        assert "Benutzername" in page
        assert any("abm-demo-password" in line for line in printed)
    finally:
        portal.send_signal(signal.SIGINT)
        code = portal.wait(timeout=10)
    assert code == 0


def test_artifacts_live_in_the_state_directory_unless_set_apart(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As the README's settings table says: `artifacts/` inside the state directory, the chosen one too."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    default = load_settings({}, use_dotenv=False)
    chosen = load_settings({"ROBOT_STATE_DIR": str(tmp_path / "state")}, use_dotenv=False)
    apart = load_settings({"ROBOT_STATE_DIR": str(tmp_path / "state"),
                           "ROBOT_ARTIFACTS_DIR": str(tmp_path / "art")}, use_dotenv=False)
    assert (default.state_dir, default.artifacts_dir) == (tmp_path / "xdg" / "vpptoken-robot",
                                                          tmp_path / "xdg" / "vpptoken-robot" / "artifacts")
    assert (chosen.state_dir, chosen.artifacts_dir) == (tmp_path / "state", tmp_path / "state" / "artifacts")
    assert (apart.state_dir, apart.artifacts_dir) == (tmp_path / "state", tmp_path / "art")


def test_a_step_that_fails_logs_no_time(robot_log: list[str]) -> None:
    """A step's time is logged when it succeeded; a failed step's line would read as if it had."""
    times = StepTimer()
    with times.step("download", "CMS Documentation"):
        pass
    with pytest.raises(RuntimeError), times.step("sign-in", "Cortado"):
        raise RuntimeError("refused")

    timed = [line for line in robot_log if re.search(r"\(\d+\.\d\d s\)$", line)]
    assert len(timed) == 1 and timed[0].startswith("CMS Documentation: download (")
