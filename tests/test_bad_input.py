"""Bad input (issue 20): every wrong option or setting ends in exit code 2 and one line naming the fix, found
before anything signs in, so neither portal is touched. No browser is needed: the run stops before one starts."""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.portals import MockPortals
from robot.cli import main
from robot.errors import ExitCode
from robot.runtime.preflight import check_state_dir
from robot.runtime.settings import SETTING_NAMES, load_settings

README = Path(__file__).resolve().parents[1] / "README.md"


def one_error_line(err: str) -> str:
    """The run's only error line; a traceback or an "unexpected" error is a bug in itself."""
    assert "Traceback" not in err and "unexpected" not in err, err
    [line] = [line for line in err.splitlines() if line.startswith("error:")]
    return line


def assert_untouched(portals: MockPortals) -> None:
    assert portals.cortado.state.sign_ins == 0 and portals.cortado.state.saves == 0
    assert portals.abm.state.sign_ins == 0 and portals.abm.state.downloads == 0


@pytest.fixture
def refused(portals: MockPortals, robot_env: dict[str, str], capsys: pytest.CaptureFixture[str]
            ) -> Callable[..., str]:
    """Runs the CLI with `robot_env` (or, with dotenv=True, the process environment and ./.env); returns its one
    error line, after checking the exit code and that neither portal was signed into or changed."""

    def run(*argv: str, dotenv: bool = False) -> str:
        capsys.readouterr()
        code = main(list(argv), None, None if dotenv else robot_env)
        line = one_error_line(capsys.readouterr().err)
        assert code == ExitCode.CONFIG, line
        assert_untouched(portals)
        return line

    return run


@pytest.fixture
def places(tmp_path: Path) -> Path:
    """A scratch folder holding a file `afile` and a folder `folder`."""
    (tmp_path / "afile").write_text("not a folder")
    (tmp_path / "folder").mkdir()
    return tmp_path


@pytest.fixture
def dotenv_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory and no setting of ours in the environment: only ./.env speaks."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    return work


def write_dotenv(folder: Path, values: dict[str, str], mode: int = 0o600) -> Path:
    path = folder / ".env"
    path.write_text("".join(f"{name}={value}\n" for name, value in values.items()))
    path.chmod(mode)
    return path


# -- 1. report files ----------------------------------------------------------------------------

@pytest.mark.parametrize("option", ["--report", "--junit"])
@pytest.mark.parametrize(("target", "why"), [
    ("afile/r.json", "afile is a file, not a folder"),
    ("afile/deeper/r.json", "afile is a file, not a folder"),
    ("folder", "is a folder"),
    ("/sys/r.json", "Permission denied"),  # not writable, even for root
], ids=["parent-is-a-file", "ancestor-is-a-file", "a-folder", "unwritable"])
def test_a_report_file_that_cannot_be_written_stops_the_run_before_it_signs_in(
        refused: Callable[..., str], places: Path, option: str, target: str, why: str) -> None:
    line = refused("renew", "--all", option, str(places / target))

    assert line.startswith(f"error: {option} {places / target} cannot be written") and why in line


# -- 2. the state directory ---------------------------------------------------------------------

@pytest.mark.parametrize(("state_dir", "why"), [
    ("/proc/x", "No such file or directory"),
    ("afile", "afile is a file, not a folder"),
    ("afile/state", "afile is a file, not a folder"),
    ("/sys", "Permission denied"),
], ids=["proc", "a-file", "under-a-file", "unwritable"])
def test_a_state_dir_that_cannot_be_used_is_named_with_the_reason(
        refused: Callable[..., str], robot_env: dict[str, str], places: Path, state_dir: str, why: str) -> None:
    robot_env["ROBOT_STATE_DIR"] = str(places / state_dir)

    line = refused("renew", "--all")

    assert line.startswith(f"error: ROBOT_STATE_DIR={places / state_dir} cannot be used") and why in line


# -- 3. portal addresses without a scheme -------------------------------------------------------

@pytest.mark.parametrize(("name", "value"), [
    ("CORTADO_URL", "cortado.example.com"), ("ABM_URL", "example.com"), ("ABM_URL", "ftp://example.com"),
    ("CORTADO_URL", "https://"),
])
def test_a_portal_address_without_https_is_refused(refused: Callable[..., str], robot_env: dict[str, str],
                                                   name: str, value: str) -> None:
    robot_env[name] = value

    assert refused("renew", "--all") == f"error: {name} must start with https:// (or http:// for a local portal)"


# -- 4. the timeout's range ---------------------------------------------------------------------

@pytest.mark.parametrize("timeout", ["-5", "1", "999", "600001", "nan", "inf"])
def test_a_timeout_out_of_range_is_refused(refused: Callable[..., str], robot_env: dict[str, str],
                                           timeout: str) -> None:
    robot_env["ROBOT_TIMEOUT_MS"] = timeout

    line = refused("renew", "--all")

    assert line.startswith(f"error: ROBOT_TIMEOUT_MS={timeout} is out of range") and "1000 to 600000" in line


# -- 5. misspelt settings -----------------------------------------------------------------------

@pytest.mark.parametrize(("misspelt", "meant"), [
    ("ROBOT_ORG", "did you mean ROBOT_ORG_NAME?"),
    ("ROBOT_TIMOUT_MS", "did you mean ROBOT_TIMEOUT_MS?"),
    ("CORTADO_PASWORD", "did you mean CORTADO_PASSWORD?"),
    ("ABM_XYZZY", "not a setting of the robot: see README, Settings"),
])
def test_a_misspelt_setting_in_dotenv_is_refused_with_the_one_meant(
        refused: Callable[..., str], robot_env: dict[str, str], dotenv_dir: Path, misspelt: str, meant: str) -> None:
    path = write_dotenv(dotenv_dir, {**robot_env, misspelt: "x", "HTTPS_PROXY": ""})  # not ours: left alone

    assert refused("renew", "--all", dotenv=True) == f"error: unknown setting in {path}: {misspelt} ({meant})"


@pytest.mark.parametrize(("name", "warned"), [
    ("ROBOT_ORG", "did you mean ROBOT_ORG_NAME?"), ("ROBOT_STATE_KEY", None), ("ROBOTIC", None),
], ids=["misspelt", "the-workflow's", "not-ours"])
def test_a_misspelt_setting_in_the_environment_is_only_a_warning(
        robot_env: dict[str, str], robot_log: list[str], name: str, warned: str | None) -> None:
    settings = load_settings({**robot_env, name: "x"}, use_dotenv=False)

    assert settings.cortado_url == robot_env["CORTADO_URL"]
    expected = [f"unknown setting {name} in the environment, ignored: {warned}"] if warned else []
    assert robot_log == expected


def test_the_readme_lists_every_setting_and_no_other() -> None:
    """SETTING_NAMES is the one list of known names: the Settings table must match it."""
    section = README.read_text().split("## Settings", 1)[1].split("\n## ", 1)[0]
    assert set(re.findall(r"^\| `([A-Z_]+)` \|", section, re.MULTILINE)) == set(SETTING_NAMES)


# -- 6. the labels file's portals ---------------------------------------------------------------

@pytest.mark.parametrize("document", [
    {"abms": {"token_section": ["Inhaltstoken"]}},
    {"abm": {}, "cortado": {}, "Cortado": {}},
])
def test_a_labels_file_with_an_unknown_portal_is_refused(
        refused: Callable[..., str], robot_env: dict[str, str], tmp_path: Path, document: dict[str, object]) -> None:
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps(document))
    robot_env["ROBOT_LABELS_FILE"] = str(labels)
    [unknown] = set(document) - {"abm", "cortado"}

    line = refused("renew", "--all")

    assert f"unknown portal '{unknown}' in the labels file {labels}" in line
    assert line.endswith("known: 'abm', 'cortado'")


# -- 7. a .env file open to others --------------------------------------------------------------

@pytest.mark.parametrize(("mode", "warns"), [(0o644, True), (0o640, True), (0o604, True), (0o600, False)])
def test_a_dotenv_file_open_to_others_is_warned_about(robot_env: dict[str, str], dotenv_dir: Path,
                                                      robot_log: list[str], mode: int, warns: bool) -> None:
    path = write_dotenv(dotenv_dir, robot_env, mode)

    settings = load_settings()

    assert settings.cortado_password == robot_env["CORTADO_PASSWORD"]
    expected = f"{path} holds passwords but is mode {mode:03o}, open to other users: chmod 600 {path}"
    assert robot_log == ([expected] if warns else [])


def test_state_files_open_to_others_are_tightened_and_named(tmp_path: Path, robot_log: list[str]) -> None:
    state = tmp_path / "state"
    (state / "pending").mkdir(parents=True)
    opened = {state / "cortado-session.json": 0o644, state / "pending" / "sToken_for_A.vpptoken": 0o640}
    kept = state / "places.json"
    for path, mode in [*opened.items(), (kept, 0o600)]:
        path.write_text("{}")
        path.chmod(mode)

    check_state_dir(state)

    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in [*opened, kept])
    assert sorted(robot_log) == sorted(
        f"{path} was mode {mode:03o}, open to other users: made 600 (it may hold a session or a token)"
        for path, mode in opened.items())


# -- 8. --slow-mo -------------------------------------------------------------------------------

@pytest.mark.parametrize("slow_mo", ["-5", "nan", "fast"])
def test_a_negative_slow_mo_is_a_usage_error(slow_mo: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["status", "--slow-mo", slow_mo], environ={})

    assert stopped.value.code == ExitCode.CONFIG
    err = capsys.readouterr().err
    assert "Traceback" not in err and "error: argument --slow-mo:" in err


# -- 9. --headed without a display --------------------------------------------------------------

@pytest.mark.parametrize("argv", [["renew", "--all", "--headed"], ["status", "--headed"], ["demo", "--headed"]])
def test_headed_without_a_display_says_to_use_xvfb(refused: Callable[..., str], monkeypatch: pytest.MonkeyPatch,
                                                   argv: list[str]) -> None:
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)

    assert refused(*argv) == "error: no display: run under xvfb-run, or drop --headed"


# -- 10. credentials in a portal's address ------------------------------------------------------

@pytest.mark.parametrize(("name", "portal"), [("CORTADO_URL", "CORTADO"), ("ABM_URL", "ABM")])
@pytest.mark.parametrize("userinfo", ["admin:s3cret-pw@", "admin@"])
def test_credentials_in_a_portal_address_are_refused_and_never_stored(
        refused: Callable[..., str], robot_env: dict[str, str], name: str, portal: str, userinfo: str) -> None:
    robot_env[name] = robot_env[name].replace("://", f"://{userinfo}", 1)

    line = refused("renew", "--all")

    assert line.startswith(f"error: {name} holds a username or password")
    assert f"{portal}_USERNAME and {portal}_PASSWORD" in line and "s3cret" not in line
    assert not Path(robot_env["ROBOT_STATE_DIR"]).exists(), "nothing written where the address could be kept"


# -- 11. Apple's check: its mode and the API's address ------------------------------------------

def test_an_unknown_apple_check_mode_is_refused_with_the_known_ones(refused: Callable[..., str],
                                                                   robot_env: dict[str, str]) -> None:
    robot_env["ROBOT_APPLE_CHECK"] = "maybe"

    assert refused("renew", "--all") == ("error: ROBOT_APPLE_CHECK=maybe is not known: give warn, required, off "
                                         "(default warn)")


@pytest.mark.parametrize(("value", "why"), [
    ("vpp.itunes.apple.com/mdm/v2", "must start with https://"),
    ("http://vpp.itunes.apple.com/mdm/v2", "must start with https://"),  # the token would cross the net in clear
    ("ftp://127.0.0.1/mdm/v2", "must start with https://"),
    ("https://me:s3cret@vpp.itunes.apple.com/mdm/v2", "without user:password@"),
    ("https://vpp.itunes.apple.com/mdm/v2?x=1", "without user:password@, ? or #"),
], ids=["no-scheme", "plain-http", "ftp", "credentials", "query"])
def test_an_apple_api_address_that_could_leak_a_token_is_refused(
        refused: Callable[..., str], robot_env: dict[str, str], value: str, why: str) -> None:
    robot_env["ROBOT_APPLE_API_URL"] = value

    line = refused("renew", "--all")

    assert line.startswith("error: ROBOT_APPLE_API_URL must") and why in line
    assert line.endswith("e.g. the default https://vpp.itunes.apple.com/mdm/v2") and "s3cret" not in line
