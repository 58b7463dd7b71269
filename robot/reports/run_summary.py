"""A renewal run as a whole: when it started and ended, how it ended, its totals, and the table printed at its end."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from robot.errors import ExitCode, exit_code_of, first_line
from robot.renewal.outcome import NOT_ATTEMPTED
from robot.renewal.results import FAILED, RENEWED, SKIPPED, Result
from robot.runtime.redaction import REDACTOR

STATUSES = (RENEWED, SKIPPED, FAILED)


def now() -> datetime:
    return datetime.now().astimezone()


@dataclass
class RunRecord:
    """One `renew`, filled in as it goes: its results in place, its end once `finish` is called."""

    organisation: str
    dry_run: bool
    started: datetime = field(default_factory=now)
    results: list[Result] = field(default_factory=list)
    finished: datetime | None = None
    exit_code: int = ExitCode.OK
    reason: str | None = None  # the run's own one-line error, when one stopped it

    def finish(self, error: BaseException | None = None) -> None:
        """The run's end: its exit code from the error that stopped it, else from its locations."""
        self.finished = now()
        if error is not None:
            self.exit_code = exit_code_of(error)
            self.reason = "interrupted" if isinstance(error, KeyboardInterrupt) else REDACTOR.mask(first_line(error))
        elif any(result.status == FAILED for result in self.results):
            self.exit_code = ExitCode.FAILED

    @property
    def duration_s(self) -> float:
        return round(((self.finished or now()) - self.started).total_seconds(), 3)

    @property
    def totals(self) -> dict[str, int]:
        return {status: sum(r.status == status for r in self.results) for status in STATUSES}

    def fields(self) -> dict[str, object]:
        """The run's own fields of the JSON report (README, "Reports")."""
        return {"organisation": self.organisation, "started": self.started.isoformat(timespec="seconds"),
                "finished": self.finished.isoformat(timespec="seconds") if self.finished else None,
                "duration_s": self.duration_s, "exit_code": int(self.exit_code), "dry_run": self.dry_run,
                "totals": self.totals, "reason": self.reason}

    def interrupted_line(self, report: str | None) -> str:
        """What an interrupted run had done, and where each location's part is told."""
        not_attempted = sum(result.error == NOT_ATTEMPTED for result in self.results)
        told = f"see the report {report}" if report else "see the table above"
        return f"interrupted: {self.totals[RENEWED]} renewed, {not_attempted} not attempted, {told}"

    def totals_line(self) -> str:
        counts = ", ".join(f"{count} {status}" for status, count in self.totals.items())
        dry = ", dry run" if self.dry_run else ""
        return f"{counts} in {self.duration_s:.1f} s (exit code {int(self.exit_code)}{dry})"


def summary_table(run: RunRecord) -> str:
    """Location, Valid until before and after, result and reason, one row each; then the totals and the time."""
    headers = ("Location", "Before", "After", "Result", "Reason")
    rows = [(r.location, _day(r.old_valid_until), _day(r.new_valid_until), r.status, _reason(r))
            for r in run.results]
    widths = [max(len(cells[i]) for cells in (headers, *rows)) for i in range(len(headers))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    lines = [line(headers), line(tuple("-" * width for width in widths)), *map(line, rows)]
    if run.reason:
        lines.append(f"stopped: {run.reason}")
    lines.append(run.totals_line())
    return REDACTOR.mask("\n".join(lines))


def _day(day: object) -> str:
    return str(day) if day else "-"


def _reason(result: Result) -> str:
    return (result.error if result.status == FAILED else result.detail) or ""
