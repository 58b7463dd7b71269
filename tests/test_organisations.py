"""Several organisations (issue 19): `--env-file` chooses the settings file, repeated it runs the command for each
organisation in turn, and each organisation keeps its own state directory, named after its file."""

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
        files = [arg for name, mock in organisations.items() for arg in ("--env-file", env_file(tmp_path, name, mock))]

        code = main(["renew", "--location", DUE, *map(str, files), "--report", str(tmp_path / "report.json")],
                    browser, environ={})

        assert code == 0, capsys.readouterr()
        for name, mock in organisations.items():
            report = json.loads((tmp_path / f"report-{name}.json").read_text(encoding="utf-8"))
            assert report["organisation"] == name and report["totals"]["renewed"] == 1
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


def test_a_monitoring_check_takes_one_env_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as refused:
        main(["status", "--warn-within", "30", "--env-file", "a.env", "--env-file", "b.env"], None, environ={})

    assert refused.value.code == 2
    assert "give one --env-file here" in capsys.readouterr().err
