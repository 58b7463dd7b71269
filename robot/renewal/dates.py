"""Reading "Valid until" as Cortado shows it: ISO, German or US, depending on the portal's language."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y", "%d.%m.%y", "%m/%d/%y")
DATE_IN_TEXT = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{2,4}|\d{1,2}/\d{1,2}/\d{2,4}")


def parse_shown_date(text: str) -> date | None:
    """The date in a table cell, or None when the cell shows no date (e.g. no token yet)."""
    found = DATE_IN_TEXT.search(text)
    if not found:
        return None
    for pattern in FORMATS:
        try:
            return datetime.strptime(found.group(), pattern).date()
        except ValueError:
            continue
    return None


def shown_as(day: date, tolerance_days: int = 1) -> re.Pattern[str]:
    """A pattern for `day` in any of the formats, a day either side allowed: the portal may use another time zone."""
    days = [day + timedelta(days=offset) for offset in range(-tolerance_days, tolerance_days + 1)]
    texts = {f"{d:%Y-%m-%d}" for d in days} | {f"{d:%d.%m.%Y}" for d in days} | {f"{d:%m/%d/%Y}" for d in days}
    return re.compile("|".join(re.escape(t) for t in sorted(texts)))
