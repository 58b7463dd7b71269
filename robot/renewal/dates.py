"""Reading "Valid until" as Cortado shows it (ISO, German or US dates, in figures or with the month's name), and
which days it may show for a date."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y", "%d.%m.%y", "%m/%d/%y")
DATE_IN_TEXT = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{2,4}|\d{1,2}/\d{1,2}/\d{2,4}")
# Each month's names in English and German, as a date's text may show them in full or cut short ("Nov", "Mär.").
MONTHS = (("January", "Januar", "Jänner"), ("February", "Februar"), ("March", "März"), ("April",), ("May", "Mai"),
          ("June", "Juni"), ("July", "Juli"), ("August",), ("September", "Sept"), ("October", "Oktober"),
          ("November",), ("December", "Dezember"))
# "Nov 24, 2027", then "24. Nov. 2027"
NAMED_DATES = (re.compile(r"(?P<month>[A-Za-zÄä]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})"),
               re.compile(r"(?<!\d)(?P<day>\d{1,2})\.?\s+(?P<month>[A-Za-zÄä]{3,9})\.?\s+(?P<year>\d{4})"))


def _month(name: str) -> int | None:
    """The month a name stands for, whole or cut short to three letters or more."""
    name = name.casefold()
    for number, names in enumerate(MONTHS, start=1):
        if any(full.casefold().startswith(name) for full in names):
            return number
    return None


def parse_shown_date(text: str) -> date | None:
    """The date in a table cell, or None when the cell shows no date (e.g. no token yet)."""
    found = DATE_IN_TEXT.search(text)
    if found:
        for pattern in FORMATS:
            try:
                return datetime.strptime(found.group(), pattern).date()
            except ValueError:
                continue
    for named in filter(None, (pattern.search(text) for pattern in NAMED_DATES)):
        month = _month(named["month"])
        if month:
            try:
                return date(int(named["year"]), month, int(named["day"]))
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
    """A pattern for `day` as Cortado may show it, in any of its date formats, with or without leading zeros (kept
    to what a browser's regular expressions read too)."""
    shown = []
    for d in days_shown_for(day):
        month = "(?:" + "|".join(re.escape(name[:length]) for name in MONTHS[d.month - 1]
                                 for length in sorted({3, 4, len(name)})) + r")\.?"
        shown += [rf"{d.year}-{d.month:02}-{d.day:02}", rf"(?<!\d)0?{d.day}\.0?{d.month}\.{d.year}",
                  rf"(?<!\d)0?{d.month}/0?{d.day}/{d.year}",
                  rf"{month}\s+0?{d.day},?\s+{d.year}", rf"(?<!\d)0?{d.day}\.?\s+{month}\s+{d.year}"]
    return re.compile("|".join(shown))
