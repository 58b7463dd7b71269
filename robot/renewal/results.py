"""What happened to each location, as JSON for scripts and JUnit XML for CI."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from robot.runtime.redaction import REDACTOR

RENEWED = "renewed"
SKIPPED = "skipped"
FAILED = "failed"


@dataclass
class Result:
    location: str
    account: str
    status: str
    old_valid_until: date | None = None
    new_valid_until: date | None = None
    error: str | None = None
    detail: str | None = None
    kept_token_file: str | None = None
    screenshot: str | None = None

    def summary(self) -> str:
        old = self.old_valid_until.isoformat() if self.old_valid_until else "unknown"
        if self.status == RENEWED:
            return f"{self.location}: renewed, valid until {old} -> {self.new_valid_until}"
        if self.status == SKIPPED:
            return f"{self.location}: skipped ({self.detail}), valid until {old}"
        return f"{self.location}: FAILED: {self.error}"


def to_json(results: list[Result]) -> str:
    def plain(result: Result) -> dict[str, object]:
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(result).items()}

    return REDACTOR.mask(json.dumps({"results": [plain(r) for r in results]}, indent=2, ensure_ascii=False))


def write_report(path: Path, results: list[Result]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_json(results) + "\n", encoding="utf-8")
