"""The JUnit XML report (`--junit FILE`) for CI: a test case per location, failed with its one-line reason or
skipped when not due, each with its time and the suite with the run's."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from robot.renewal.results import FAILED, SKIPPED
from robot.reports.report_file import write_text
from robot.reports.run_summary import RunRecord
from robot.runtime.redaction import REDACTOR


def to_junit(run: RunRecord) -> str:
    results = run.results
    failures = sum(r.status == FAILED for r in results)
    skipped = sum(r.status == SKIPPED for r in results)
    suite = ET.Element("testsuite", name="vpptoken-renewal", tests=str(len(results)),
                       failures=str(failures), errors="0", skipped=str(skipped), time=f"{run.duration_s:.3f}",
                       timestamp=run.started.isoformat(timespec="seconds"))
    for result in results:
        case = ET.SubElement(suite, "testcase", classname="renew", name=result.location,
                             time=f"{result.duration_s or 0:.3f}")
        if result.apple_check:  # what Apple said of the new token, whatever became of the location
            verdict = result.apple_check
            ET.SubElement(ET.SubElement(case, "properties"), "property", name="apple_check",
                          value=REDACTOR.mask(f"{verdict.status}: {verdict.reason}"))
        if result.status == FAILED:
            reason = " ".join(REDACTOR.mask(result.error or "failed").split())  # CI shows the message as one line
            ET.SubElement(case, "failure", message=reason).text = REDACTOR.mask(result.summary())
        elif result.status == SKIPPED:
            ET.SubElement(case, "skipped", message=result.detail or "skipped")
        else:
            ET.SubElement(case, "system-out").text = result.summary()
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def write_junit(path: Path, run: RunRecord) -> None:
    write_text(path, to_junit(run))
