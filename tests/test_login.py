"""`python -m robot login` with a person, or without one: the authenticator code asked at a real pseudo-terminal
(a wrong code asked again), no terminal at all (exit 3 with the advice `renew` gives), and Ctrl-D or Ctrl-C at the
prompt (one line, exit 130), and `login --headed` under Xvfb, where the person types the code in the window."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Page, Playwright, Response

from fixtures.demo_data import VERIFICATION_CODE
from fixtures.portals import MockPortals
from robot.cli import main
from robot.errors import ExitCode
from robot.runtime.chromium import launch_options
from robot.runtime.contexts import BrowserContexts
from tests.test_sessions import error_line

WAIT_S = 60  # for the robot's own process: a browser to launch and two portals to sign in to
PROMPT = b"authenticator code"


class Terminal:
    """The reading end of a pseudo-terminal or pipe: everything it showed so far, and how far a wait has read."""

    def __init__(self, fd: int, deadline: float) -> None:
        self.fd, self.deadline = fd, deadline
        self.shown = b""
        self.read_to = 0

    def wait_for(self, wanted: bytes) -> None:
        """Until `wanted` shows after what earlier waits read."""
        while wanted not in self.shown[self.read_to:]:
            if not self._read():
                raise AssertionError(f"{wanted!r} never shown; the terminal shows {self.shown!r}")
        self.read_to = self.shown.index(wanted, self.read_to) + len(wanted)

    def wait_for_end(self) -> None:
        while self._read():
            pass

    def _read(self) -> bytes:
        ready, _, _ = select.select([self.fd], [], [], max(self.deadline - time.monotonic(), 0))
        if not ready:
            raise AssertionError(f"not shown in time; the terminal shows {self.shown!r}")
        try:
            chunk = os.read(self.fd, 4096)
        except OSError:  # the process ended and closed the terminal
            chunk = b""
        self.shown += chunk
        return chunk


@pytest.fixture
def secret(portals: MockPortals) -> str:
    portals.cortado.state.totp_secret = pyotp.random_base32()
    return portals.cortado.state.totp_secret


def test_a_wrong_code_at_a_terminal_is_asked_again_and_the_right_one_keeps_the_sessions(
        portals: MockPortals, secret: str, robot_env: dict[str, str], tmp_path: Path) -> None:
    base = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    terminal, robot_side = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "robot", "login"], cwd=tmp_path, env={**base, **robot_env},
                               stdin=robot_side, stdout=robot_side, stderr=robot_side, close_fds=True)
    os.close(robot_side)
    person = Terminal(terminal, time.monotonic() + WAIT_S)
    try:
        person.wait_for(PROMPT)
        os.write(terminal, b"12345\n")  # five digits: never the code
        person.wait_for(b"the code was refused; try again")
        person.wait_for(PROMPT)
        os.write(terminal, pyotp.TOTP(secret).now().encode() + b"\n")
        person.wait_for_end()
        assert process.wait(timeout=max(person.deadline - time.monotonic(), 1)) == 0, person.shown.decode()
    finally:
        process.kill()
        os.close(terminal)
    cortado = portals.cortado.state
    assert (cortado.code_checks, cortado.codes_refused, cortado.sign_ins) == (2, 1, 1)
    assert b"cortado-session.json" in person.shown and b"Traceback" not in person.shown


@pytest.mark.usefixtures("no_terminal", "secret")
def test_login_without_a_terminal_gives_the_advice_renew_gives(portals: MockPortals, run_robot) -> None:
    login = run_robot("login")
    renew = run_robot("renew", "--location", "CMS Documentation")

    assert login.exit_code == renew.exit_code == ExitCode.PERSON_NEEDED, login.output + renew.output
    assert error_line(login.stderr) == error_line(renew.stderr)
    assert "CORTADO_TOTP_SECRET" in error_line(login.stderr)
    assert portals.cortado.state.code_checks == portals.cortado.state.sign_ins == 0


@pytest.mark.usefixtures("secret")
@pytest.mark.parametrize("key", [EOFError, KeyboardInterrupt], ids=["ctrl-d", "ctrl-c"])
def test_ctrl_d_or_ctrl_c_at_the_prompt_cancels_in_one_line(portals: MockPortals, run_robot,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            key: type[BaseException]) -> None:
    def pressed(prompt: str = "") -> str:
        raise key

    monkeypatch.setattr("builtins.input", pressed)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)

    run = run_robot("login")

    assert run.exit_code == ExitCode.INTERRUPTED, run.output
    assert error_line(run.stderr) == "error: cancelled"
    assert portals.cortado.state.sign_ins == 0


@pytest.fixture
def xvfb_display(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A display of Xvfb's own, as on a server with no screen; DISPLAY names it for the run."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is missing: run `bash setup.sh` (it installs Xvfb) for the headed test")
    told, tell = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(tell), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
                              pass_fds=(tell,), stderr=subprocess.DEVNULL)
    os.close(tell)
    try:
        told_by = Terminal(told, time.monotonic() + WAIT_S)
        told_by.wait_for(b"\n")
        display = ":" + told_by.shown.decode().strip()
        monkeypatch.setenv("DISPLAY", display)
        yield display
    finally:
        os.close(told)
        server.terminate()
        server.wait()


@pytest.mark.headed_xvfb
@pytest.mark.usefixtures("xvfb_display", "secret")
def test_headed_login_waits_for_the_code_typed_in_the_window(
        portals: MockPortals, playwright: Playwright, robot_env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The person, played by the test, types the codes into both portals' pages in the visible window and trusts
    the browser at ABM."""
    secret = portals.cortado.state.totp_secret
    assert secret
    portals.abm.state.two_factor = True
    typed: list[str] = []

    def person_answers_abm(response: Response) -> None:
        widget = response.frame
        if response.url.endswith("/api/signin") and response.json().get("next") == "code":
            typed.append(response.url)
            widget.get_by_role("textbox").filter(visible=True).first.click()
            widget.page.keyboard.type(VERIFICATION_CODE)
        elif response.url.endswith("/api/verify") and response.ok:
            widget.get_by_role("button", name="Trust", exact=True).click()

    def person_types_the_code(page: Page) -> None:
        field = page.get_by_label("Authenticator code", exact=True)
        if field.is_visible():
            typed.append(page.url)
            field.fill(pyotp.TOTP(secret).now())
            page.get_by_role("button", name="Verify", exact=True).click()

    opened = BrowserContexts.page

    def page_in_view(contexts: BrowserContexts, portal: str) -> Page:
        fresh = portal not in contexts._pages
        page = opened(contexts, portal)
        if fresh and portal == "cortado":
            page.on("load", person_types_the_code)
        if fresh and portal == "abm":
            page.on("response", person_answers_abm)
        return page

    monkeypatch.setattr(BrowserContexts, "page", page_in_view)
    monkeypatch.setattr("builtins.input", lambda prompt="": pytest.fail(f"asked at the terminal: {prompt}"))
    robot_env["ROBOT_LOGIN_TIMEOUT"] = "30"
    headed = playwright.chromium.launch(headless=False, env=dict(os.environ),
                                        **launch_options(playwright, headed=True))  # type: ignore[arg-type]
    try:
        assert "Headless" not in headed.new_page().evaluate("navigator.userAgent")
        code = main(["login", "--headed"], headed, robot_env)
    finally:
        headed.close()

    output = capsys.readouterr()
    assert code == 0, output.out + output.err
    assert len(typed) == 2
    assert portals.abm.state.sign_ins == 1 and portals.abm.state.trusted
    cortado = portals.cortado.state
    assert (cortado.code_checks, cortado.codes_refused, cortado.sign_ins) == (1, 0, 1)
    assert "cortado-session.json" in output.out


@pytest.mark.parametrize(("typed", "exit_code"), [(["111111", VERIFICATION_CODE], ExitCode.OK),
                                                  (["111111", "222222", "333333"], ExitCode.CONFIG)],
                         ids=["wrong-then-right", "wrong-three-times"])
@pytest.mark.usefixtures("dialect")
def test_a_refused_abm_code_is_asked_again_up_to_three_times(
        portals: MockPortals, run_robot, monkeypatch: pytest.MonkeyPatch, typed: list[str], exit_code: int) -> None:
    abm = portals.abm.state
    abm.two_factor = True
    answers = iter(typed)
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)

    run = run_robot("login")

    assert run.exit_code == exit_code, run.output
    assert run.stderr.count("the code was refused; try again") == len(typed) - 1
    assert next(answers, None) is None, "not every code was asked for"
    if exit_code == ExitCode.OK:
        assert abm.sign_ins == 1 and abm.trusted
    else:
        line = error_line(run.stderr)
        assert "refused the verification code: Incorrect verification code" in line, line
        assert "ABM_PASSWORD" not in line
        assert abm.sign_ins == 0 and portals.cortado.state.sign_ins == 0
