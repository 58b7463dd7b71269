"""`status`: every App-Store account and how long its token has left, soonest first."""

from __future__ import annotations

import json
from datetime import date

from robot.renewal.plan import Account
from robot.reports.apple_status import APPLE_COLUMNS, AppleView


def status_rows(accounts: list[Account], today: date, apple: dict[str, AppleView] | None = None
                ) -> list[dict[str, object]]:
    """A row per account; with `apple` (status --apple), Apple's view of its installed token too."""
    ordered = sorted(accounts, key=lambda a: (a.valid_until is None, a.valid_until or date.max, a.location))
    return [
        {"account": a.name, "location": a.location,
         "valid_until": a.valid_until.isoformat() if a.valid_until else None, "days_left": a.days_left(today),
         **(apple.get(a.location, {}) if apple is not None else {})}
        for a in ordered
    ]


def as_json(rows: list[dict[str, object]]) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False)


def as_table(rows: list[dict[str, object]]) -> str:
    headers = {"location": "Location", "account": "Account", "valid_until": "Valid until", "days_left": "Days left"}
    if rows and "apple_unit" in rows[0]:
        headers.update(APPLE_COLUMNS)
    cells = [[str(row[key]) if row[key] is not None else "-" for key in headers] for row in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(headers.values())]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers.values(), widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)
