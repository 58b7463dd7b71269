"""`status --prometheus FILE`: the tokens' expiry and the last renewal's success as a node-exporter textfile."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

Row = dict[str, object]  # a row of status_rows(): location, account, valid_until, days_left

METRICS = {
    "vpptoken_valid_until_timestamp_seconds": "When the location's server token expires, as Cortado shows it "
                                              "(the start of that day, UTC).",
    "vpptoken_days_left": "Days until the location's server token expires.",
    "vpptoken_last_renewal_success": "1 when the last renewal run ended with exit code 0, else 0.",
    "vpptoken_last_renewal_timestamp_seconds": "When the last renewal run ended.",
}


def textfile(rows: Sequence[Row], organisation: str, last_run: dict[str, object] | None) -> str:
    """The exposition text: one series per location with a readable date; the last renewal's only once there was
    one. Every series names the organisation, so that several organisations' files can sit side by side."""
    series: dict[str, list[str]] = {name: [] for name in METRICS}
    org = f'organisation="{_escaped(organisation)}"'
    for row in rows:
        if row["valid_until"] is None:
            continue
        labels = f'{{{org},location="{_escaped(str(row["location"]))}",account="{_escaped(str(row["account"]))}"}}'
        expiry = datetime.combine(date.fromisoformat(str(row["valid_until"])), datetime.min.time(), UTC)
        series["vpptoken_valid_until_timestamp_seconds"].append(f"{labels} {expiry.timestamp():.0f}")
        series["vpptoken_days_left"].append(f"{labels} {row['days_left']}")
    if last_run and last_run.get("finished"):
        finished = datetime.fromisoformat(str(last_run["finished"]))
        series["vpptoken_last_renewal_success"].append(f"{{{org}}} {int(last_run.get('exit_code') == 0)}")
        series["vpptoken_last_renewal_timestamp_seconds"].append(f"{{{org}}} {finished.timestamp():.0f}")
    lines = []
    for name, samples in series.items():
        if samples:
            lines += [f"# HELP {name} {METRICS[name]}", f"# TYPE {name} gauge", *(f"{name}{s}" for s in samples)]
    return "\n".join(lines)


def _escaped(value: str) -> str:
    """A label value as the exposition format writes it: backslash, double quote and newline escaped."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
