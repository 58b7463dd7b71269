"""The JUnit XML report (`--junit FILE`) for CI: a test case per location, failed with its one-line reason or
skipped when not due."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from robot.renewal.results import FAILED, SKIPPED, Result
from robot.reports.report_file import write_text
from robot.runtime.redaction import REDACTOR


def to_junit(results: list[Result]) -> str:
    failures = sum(r.status == FAILED for r in results)
    skipped = sum(r.status == SKIPPED for r in results)
    suite = ET.Element("testsuite", name="vpptoken-renewal", tests=str(len(results)),
                       failures=str(failures), errors="0", skipped=str(skipped))
    for result in results:
        case = ET.SubElement(suite, "testcase", classname="renew", name=result.location)
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


def write_junit(path: Path, results: list[Result]) -> None:
    write_text(path, to_junit(results))
