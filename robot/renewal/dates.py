"""Reading "Valid until" as Cortado shows it (ISO, German or US dates), and which days it may show for a date."""

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


def days_shown_for(day: date) -> list[date]:
    """The days Cortado may show for `day`: a day either side, as its time zone may differ from the token's."""
    return [day + timedelta(days=offset) for offset in (-1, 0, 1)]


def shows(shown: date | None, day: date) -> bool:
    """Whether a shown date stands for `day`."""
    return shown in days_shown_for(day)


def shown_as(day: date) -> re.Pattern[str]:
    """A pattern for `day` as Cortado may show it, in any of its date formats."""
    days = days_shown_for(day)
    texts = {f"{d:%Y-%m-%d}" for d in days} | {f"{d:%d.%m.%Y}" for d in days} | {f"{d:%m/%d/%Y}" for d in days}
    return re.compile("|".join(re.escape(t) for t in sorted(texts)))
