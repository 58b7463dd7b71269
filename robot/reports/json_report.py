"""The JSON report (`--report FILE`): the run (start, end, exit code, totals) and every chosen location's result,
secrets masked, for scripts."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path

from robot.renewal.results import Result
from robot.reports.report_file import write_text
from robot.reports.run_summary import RunRecord
from robot.runtime.redaction import REDACTOR


def to_json(run: RunRecord) -> str:
    def plain(result: Result) -> dict[str, object]:
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(result).items()}

    report = {**run.fields(), "results": [plain(r) for r in run.results]}
    return REDACTOR.mask(json.dumps(report, indent=2, ensure_ascii=False))


def write_report(path: Path, run: RunRecord) -> None:
    write_text(path, to_json(run))
