"""`status` for monitoring (issue 19): a Nagios/Icinga/Checkmk check (exit code, one line, performance data) and a
node-exporter textfile read back with prometheus-client's own parser."""

from __future__ import annotations

import re
import socket
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from fixtures.demo_data import DEFAULT_LOCATIONS
from fixtures.portals import MockPortals
from robot.cli import main
from robot.reports.last_run import save_last_run
from robot.reports.run_summary import RunRecord

DAYS_LEFT = {d.name: d.days_left for d in DEFAULT_LOCATIONS}  # 12, 25, 45, 150, 320
# `STATE - N tokens, soonest DATE (N days)[, STATE: locations] | perfdata`, as the plugin guidelines write it.
PLUGIN_LINE = re.compile(r"(?P<state>OK|WARNING|CRITICAL|UNKNOWN) - (?P<count>\d+) tokens, soonest "
                         r"(?P<soonest>\d{4}-\d\d-\d\d) \((?P<days>\d+) days\)(?:, \w+: (?P<named>[^|]+))? \| "
                         r"(?P<perfdata>.+)")
PERF_ITEM = re.compile(r"'((?:[^']|'')+)'=(\d+);(\d*:?);(\d*:?);0;")


@pytest.mark.parametrize(("thresholds", "code", "named"), [
    (("10", "5"), 0, None),
    (("30", "5"), 1, "CMS Documentation, CMS Documentation Berlin"),
    (("30", "20"), 2, "CMS Documentation"),
], ids=["ok", "warning", "critical"])
def test_status_check_exits_and_speaks_as_a_monitoring_plugin(portals: MockPortals, run_robot,
                                                              thresholds: tuple[str, str], code: int,
                                                              named: str | None) -> None:
    warn, critical = thresholds
    run = run_robot("status", "--warn-within", warn, "--critical-within", critical, "--quiet")

    assert run.exit_code == code, run.output
    [line] = run.stdout.splitlines()
    parsed = PLUGIN_LINE.fullmatch(line)
    assert parsed, line
    assert parsed["state"] == ("OK", "WARNING", "CRITICAL")[code]
    assert (int(parsed["count"]), int(parsed["days"])) == (len(DAYS_LEFT), min(DAYS_LEFT.values()))
    assert parsed["soonest"] == portals.cortado.state.valid_until("CMS Documentation").isoformat()
    assert parsed["named"] == named
    items = PERF_ITEM.findall(parsed["perfdata"])
    assert " ".join(f"'{n}'={d};{w};{c};0;" for n, d, w, c in items) == parsed["perfdata"], "every item parsed"
    assert {name: int(days) for name, days, _, _ in items} == DAYS_LEFT
    assert {(w, c) for _, _, w, c in items} == {(f"{int(warn) + 1}:", f"{int(critical) + 1}:")}


def test_status_check_is_unknown_when_cortado_cannot_be_read(run_robot, robot_env: dict[str, str]) -> None:
    with socket.socket() as probe:  # a free port: nothing answers there
        probe.bind(("127.0.0.1", 0))
        robot_env["CORTADO_URL"] = f"http://127.0.0.1:{probe.getsockname()[1]}/"

    run = run_robot("status", "--warn-within", "30", "--critical-within", "7", "--quiet")

    assert run.exit_code == 3, run.output
    [line] = run.stdout.splitlines()
    assert line.startswith("UNKNOWN - Cortado cannot be reached (net::ERR_CONNECTION_REFUSED)"), line


@pytest.mark.parametrize(("argv", "says"), [
    (["--warn-within", "7", "--critical-within", "30"], "--warn-within 7 is less than --critical-within 30"),
    (["--warn-within", "soon"], "--warn-within soon is not a number of days, 0 or more: e.g. --warn-within 30"),
    (["--critical-within", "-1"], "--critical-within -1 is not a number of days"),
], ids=["warn-below-critical", "not-a-number", "negative"])
def test_wrong_thresholds_are_refused_before_anything_signs_in(
        portals: MockPortals, robot_env: dict[str, str], capsys: pytest.CaptureFixture[str], argv: list[str],
        says: str) -> None:
    code = main(["status", *argv], None, robot_env)

    [line] = capsys.readouterr().err.splitlines()
    assert code == 2 and line.startswith(f"error: {says}"), line
    assert portals.cortado.state.sign_ins == 0


def test_prometheus_textfile_parses_and_replaces_the_old_one_whole(portals: MockPortals, run_robot,
                                                                   robot_env: dict[str, str], tmp_path: Path) -> None:
    robot_env["ROBOT_ORG_NAME"] = 'Example "Org"'  # a quote must be escaped in a label value
    last = RunRecord("Example Org", dry_run=False)
    last.finish()
    save_last_run(Path(robot_env["ROBOT_STATE_DIR"]), last)
    textfile = tmp_path / "textfile" / "vpptoken.prom"
    textfile.parent.mkdir()
    textfile.write_text("stale\n")

    run = run_robot("status", "--prometheus", str(textfile), "--quiet")

    assert run.exit_code == 0, run.output
    assert [p.name for p in textfile.parent.iterdir()] == ["vpptoken.prom"], "no temporary file left beside it"
    assert stat.S_IMODE(textfile.stat().st_mode) == 0o644, "node-exporter runs as another user"
    samples = {family.name: family.samples for family in text_string_to_metric_families(textfile.read_text())}
    assert {sample.labels["organisation"] for samples_ in samples.values() for sample in samples_} == {
        'Example "Org"'}
    expiry = {s.labels["location"]: s.value for s in samples["vpptoken_valid_until_timestamp_seconds"]}
    cortado = portals.cortado.state
    assert expiry == {name: datetime.combine(cortado.valid_until(name), datetime.min.time(), UTC).timestamp()
                      for name in DAYS_LEFT}
    days = {s.labels["location"]: s.value for s in samples["vpptoken_days_left"]}
    assert days == {name: (cortado.valid_until(name) - date.today()).days for name in DAYS_LEFT}
    [success] = samples["vpptoken_last_renewal_success"]
    assert success.value == 1
    [finished] = samples["vpptoken_last_renewal_timestamp_seconds"]
    assert finished.value == int(last.finished.timestamp())  # type: ignore[union-attr]
