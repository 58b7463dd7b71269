"""Several organisations (issue 19): `--env-file` chooses the settings file, and each organisation keeps its own
state directory, named after its file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from fixtures.portals import MockPortals
from robot.cli import main

DUE = "CMS Documentation"


def env_file(folder: Path, name: str, mock: MockPortals) -> Path:
    path = folder / f"{name}.env"
    settings = {**mock.robot_settings(), "ROBOT_TIMEOUT_MS": "5000"}
    path.write_text("".join(f"{key}={value}\n" for key, value in settings.items()))
    path.chmod(0o600)
    return path


def test_two_organisations_renew_each_on_its_own_portals_with_state_apart(
        portals: MockPortals, browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    with MockPortals() as other:
        organisations = {"acme": portals, "globex": other}
        for name, mock in organisations.items():
            report = tmp_path / f"{name}-report.json"
            argv = ["renew", "--location", DUE, "--env-file", str(env_file(tmp_path, name, mock)), "--report",
                    str(report)]

            assert main(argv, browser, environ={}) == 0, capsys.readouterr()

            assert json.loads(report.read_text(encoding="utf-8"))["organisation"] == name
        for name, mock in organisations.items():
            issued = mock.abm.state.issued
            assert list(issued) == [DUE] and len(issued[DUE]) == 1, f"{name}'s portals renewed once, by {name}"
            assert mock.cortado.state.account(DUE).token == issued[DUE][0]
            state = tmp_path / "xdg" / "vpptoken-robot" / name
            kept = json.loads((state / "cortado-session.json").read_text(encoding="utf-8"))
            assert {cookie["value"] for cookie in kept["cookies"]} & set(mock.cortado.state.sessions), (
                f"{name}'s kept session is one its own Cortado gave")
            assert json.loads((state / "last-renewal.json").read_text(encoding="utf-8"))["organisation"] == name
        assert portals.cortado.url != other.cortado.url


def test_a_missing_env_file_is_refused_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["status", "--env-file", str(tmp_path / "acme.env")], None, environ={})

    [line] = capsys.readouterr().err.splitlines()
    assert code == 2 and line == f"error: --env-file {tmp_path / 'acme.env'}: no such file; name the " \
                                 "organisation's settings file"
