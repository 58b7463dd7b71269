"""`status --warn-within/--critical-within`: status as a monitoring check, in the plugin convention of Nagios, Icinga
and Checkmk: exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, and one line with performance data per location."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from robot.errors import ConfigError

PLUGIN_STATES = ("OK", "WARNING", "CRITICAL", "UNKNOWN")  # each one's exit code is its place here
OK, WARNING, CRITICAL, UNKNOWN = range(len(PLUGIN_STATES))

Row = dict[str, object]  # a row of status_rows(): location, account, valid_until, days_left


@dataclass(frozen=True)
class Thresholds:
    """A token expiring within `critical_within` days is CRITICAL, within `warn_within` days a WARNING."""

    warn_within: int | None = None
    critical_within: int | None = None

    @classmethod
    def from_options(cls, warn_within: str | None, critical_within: str | None) -> Thresholds:
        """As given on the command line; wrong ones refused in one line each, before anything signs in."""
        thresholds = cls(_days("--warn-within", warn_within), _days("--critical-within", critical_within))
        warn, critical = thresholds.warn_within, thresholds.critical_within
        if warn is not None and critical is not None and warn < critical:
            raise ConfigError(f"--warn-within {warn} is less than --critical-within {critical}: warn earlier than "
                              "critical, e.g. --warn-within 30 --critical-within 7")
        return thresholds

    @property
    def asked(self) -> bool:
        return self.warn_within is not None or self.critical_within is not None

    def state_of(self, days_left: int | None) -> int:
        """A token whose date Cortado does not show readably is as bad as an expired one."""
        if days_left is None or (self.critical_within is not None and days_left <= self.critical_within):
            return CRITICAL
        if self.warn_within is not None and days_left <= self.warn_within:
            return WARNING
        return OK


def plugin_output(rows: Sequence[Row], thresholds: Thresholds) -> tuple[int, str]:
    """The check's state and its line, e.g. `OK - 5 tokens, soonest 2027-03-01 (94 days) | 'Berlin'=94;31:;8:;0;`.
    `rows` come soonest first."""
    if not rows:
        return UNKNOWN, "UNKNOWN - Cortado lists no App-Store account"
    states = [thresholds.state_of(row["days_left"]) for row in rows]  # type: ignore[arg-type]
    state = max(states)
    soonest = rows[0]
    line = f"{len(rows)} tokens, soonest {soonest['valid_until'] or 'unknown'} ({soonest['days_left']} days)"
    if state != OK:
        named = [str(row["location"]) for row, shown in zip(rows, states, strict=True) if shown == state]
        line += f", {PLUGIN_STATES[state]}: {', '.join(named)}"
    return state, f"{PLUGIN_STATES[state]} - {line} | {performance_data(rows, thresholds)}"


def unknown_output(reason: str) -> tuple[int, str]:
    """When Cortado could not be read: the check's own failure, not the tokens'."""
    return UNKNOWN, f"UNKNOWN - {' '.join(reason.split())}"


def performance_data(rows: Sequence[Row], thresholds: Thresholds) -> str:
    """`'label'=days;warn;crit;min;` per location with a date. Plugins alert when a value leaves the range, and
    `N:` is the range from N up, so a token that has `warn_within` days left or fewer leaves `warn_within+1:`."""
    def low_end(days: int | None) -> str:
        return f"{days + 1}:" if days is not None else ""

    return " ".join(f"{_label(str(row['location']))}={row['days_left']};{low_end(thresholds.warn_within)};"
                    f"{low_end(thresholds.critical_within)};0;" for row in rows if row["days_left"] is not None)


def _label(location: str) -> str:
    """Quoted, as labels with spaces must be; a quote doubled, and `=` (which ends a label) replaced."""
    return "'" + location.replace("'", "''").replace("=", "_") + "'"


def _days(option: str, text: str | None) -> int | None:
    if text is None:
        return None
    try:
        days = int(text)
    except ValueError:
        days = -1
    if days < 0:
        raise ConfigError(f"{option} {text} is not a number of days, 0 or more: e.g. {option} 30")
    return days
