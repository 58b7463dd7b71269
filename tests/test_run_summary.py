"""The run summary (issue 19): a table at the end of every renew, the run's own fields in the JSON report, and the
time of each location and of the run in JUnit."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

from fixtures.portals import MockPortals

FAILING, NOT_DUE = "Support München", "Warehouse Leipzig"  # 45 and 320 days left


def test_a_renew_ends_with_a_table_totals_and_times_in_every_report(portals: MockPortals, run_robot,
                                                                     tmp_path: Path) -> None:
    portals.abm.state.locations.remove(FAILING)  # fails at ABM's list, before any download
    report, junit = tmp_path / "report.json", tmp_path / "junit.xml"

    run = run_robot("renew", "--location", FAILING, "--location", NOT_DUE, "--due-within", "60",
                    "--report", str(report), "--junit", str(junit))

    assert run.exit_code == 1, run.output
    table = run.stderr[run.stderr.index("\nLocation "):].strip().splitlines()
    assert table[0].split() == ["Location", "Before", "After", "Result", "Reason"]
    rows = {re.split(r"\s{2,}", line)[0]: re.split(r"\s{2,}", line)[1:] for line in table[2:4]}
    assert rows[FAILING][1:3] == ["-", "failed"] and rows[FAILING][3].startswith("ABM lists no token")
    assert rows[NOT_DUE][1:] == ["-", "skipped", "not due, 320 days left"]
    assert re.fullmatch(r"0 renewed, 1 skipped, 1 failed in \d+\.\d s \(exit code 1\)", table[-1])

    fields = json.loads(report.read_text(encoding="utf-8"))
    started, finished = (datetime.fromisoformat(fields[name]) for name in ("started", "finished"))
    assert started <= finished and started.tzinfo is not None
    assert 0 < fields["duration_s"] <= (finished - started).total_seconds() + 1
    assert (fields["exit_code"], fields["dry_run"]) == (1, False)
    assert fields["totals"] == {"renewed": 0, "skipped": 1, "failed": 1}
    durations = {result["location"]: result["duration_s"] for result in fields["results"]}
    assert durations[FAILING] >= 0 and durations[NOT_DUE] is None, "a location not worked on took no time"

    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and float(suite.get("time", "")) == fields["duration_s"]
    assert {case.get("name"): float(case.get("time", "")) for case in suite.iter("testcase")} == {
        FAILING: durations[FAILING], NOT_DUE: 0.0}
