"""Settings from the environment and a .env file in the working directory; the environment wins.

Every value is checked as it is read, so that a wrong one ends the run in one line before anything signs in.
"""

from __future__ import annotations

import difflib
import logging
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import dotenv_values

from robot.errors import ConfigError
from robot.runtime.preflight import check_labels_file

log = logging.getLogger("robot")

DEFAULT_ABM_URL = "https://business.apple.com"

ABM_SETTINGS = ("ABM_URL", "ABM_USERNAME", "ABM_PASSWORD")
CORTADO_SETTINGS = ("CORTADO_URL", "CORTADO_USERNAME", "CORTADO_PASSWORD")
# Every setting the robot reads (README, "Settings"); a name of ours that is not here is a misspelling.
SETTING_NAMES = (
    *ABM_SETTINGS, "ABM_CODE_COMMAND", *CORTADO_SETTINGS, "ROBOT_STATE_DIR", "ROBOT_ARTIFACTS_DIR",
    "ROBOT_BROWSER_PATH", "ROBOT_ORG_NAME", "ROBOT_LABELS_FILE", "ROBOT_TIMEOUT_MS",
)
# Read by the nightly workflow around the robot (.github/workflows/renew-tokens.yml), so set in its environment.
WORKFLOW_SETTINGS = ("ROBOT_STATE_KEY", "ROBOT_STATE_SEED")
OUR_PREFIXES = ("ROBOT_", "ABM_", "CORTADO_")
TIMEOUT_RANGE_MS = (1_000, 600_000)


def default_state_dir() -> Path:
    """One place per user, whatever the working directory, so the run lock really keeps runs apart."""
    return Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "vpptoken-robot"


@dataclass(frozen=True)
class Settings:
    abm_url: str = DEFAULT_ABM_URL
    abm_username: str = ""
    abm_password: str = field(default="", repr=False)
    cortado_url: str = ""
    cortado_username: str = ""
    cortado_password: str = field(default="", repr=False)
    state_dir: Path = field(default_factory=default_state_dir)
    artifacts_dir: Path = field(default_factory=lambda: default_state_dir() / "artifacts")
    browser_path: str | None = None
    org_name: str | None = None
    labels_file: Path | None = None
    code_command: str | None = None
    timeout_ms: float = 15_000

    def require(self, names: tuple[str, ...]) -> None:
        """Fail with one line naming every missing setting a command needs."""
        missing = [name for name in names if not getattr(self, name.lower())]
        if missing:
            raise ConfigError(
                f"missing setting{'s' if len(missing) > 1 else ''} {', '.join(missing)}: "
                "set it in the environment or in a .env file in the working directory"
            )

    def secrets(self) -> list[str]:
        return [s for s in (self.abm_password, self.cortado_password) if s]


def load_settings(environ: Mapping[str, str] | None = None, use_dotenv: bool = True) -> Settings:
    """From `environ` (default: the process environment) over ./.env, unless told to leave .env alone."""
    environment = os.environ if environ is None else environ
    from_file = _read_dotenv(Path.cwd() / ".env") if use_dotenv else {}
    for name, hint in _unknown_names(environment):
        log.warning("unknown setting %s in the environment, ignored: %s", name, hint)
    values = {**from_file, **environment}

    def get(name: str) -> str | None:
        value = values.get(name)
        return value.strip() if value and value.strip() else None

    state_dir = Path(get("ROBOT_STATE_DIR") or default_state_dir()).expanduser()
    return Settings(
        abm_url=_url("ABM_URL", get("ABM_URL")) or DEFAULT_ABM_URL,
        abm_username=get("ABM_USERNAME") or "",
        abm_password=values.get("ABM_PASSWORD") or "",
        cortado_url=_url("CORTADO_URL", get("CORTADO_URL")) or "",
        cortado_username=get("CORTADO_USERNAME") or "",
        cortado_password=values.get("CORTADO_PASSWORD") or "",
        state_dir=state_dir,
        artifacts_dir=Path(get("ROBOT_ARTIFACTS_DIR") or state_dir / "artifacts").expanduser(),
        browser_path=get("ROBOT_BROWSER_PATH"),
        org_name=get("ROBOT_ORG_NAME"),
        labels_file=_labels_file(get("ROBOT_LABELS_FILE")),
        code_command=get("ABM_CODE_COMMAND"),
        timeout_ms=_timeout_ms(get("ROBOT_TIMEOUT_MS")),
    )


def _read_dotenv(path: Path) -> dict[str, str | None]:
    """The .env file's values; a misspelt name in it is refused, since the admin wrote it for the robot alone."""
    if not path.is_file():
        return {}
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        log.warning("%s holds passwords but is mode %03o, open to other users: chmod 600 %s", path, mode, path)
    values = dotenv_values(path)
    unknown = [f"{name} ({hint})" for name, hint in _unknown_names(values)]
    if unknown:
        raise ConfigError(f"unknown setting{'s' if len(unknown) > 1 else ''} in {path}: {'; '.join(unknown)}")
    return values


def _unknown_names(names: Iterable[str]) -> list[tuple[str, str]]:
    """Each name that looks like one of ours but is not, with the known one it is closest to."""
    known = SETTING_NAMES + WORKFLOW_SETTINGS
    unknown = [name for name in names if name.startswith(OUR_PREFIXES) and name not in known]
    return [(name, _closest(name, known)) for name in unknown]


def _closest(name: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"did you mean {close[0]}?" if close else "not a setting of the robot: see README, Settings"


def _url(name: str, value: str | None) -> str | None:
    """A portal's address as Playwright can open it; credentials stay in their own settings, never in a URL
    that the robot would keep (with each portal's last page) on disk."""
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigError(f"{name} must start with https:// (or http:// for a local portal)")
    if parts.username is not None or parts.password is not None:
        portal = name.removesuffix("_URL")
        raise ConfigError(f"{name} holds a username or password: remove it from the address and set "
                          f"{portal}_USERNAME and {portal}_PASSWORD instead (they are never stored)")
    return value


def _labels_file(value: str | None) -> Path | None:
    if value is None:
        return None
    path = Path(value).expanduser()
    check_labels_file(path)
    return path


def _timeout_ms(value: str | None) -> float:
    """Too short and every step times out; too long and a stuck page holds the nightly job for hours."""
    if value is None:
        return Settings.timeout_ms
    try:
        timeout_ms = float(value)
    except ValueError:
        raise ConfigError(f"ROBOT_TIMEOUT_MS={value} is not a number of milliseconds") from None
    low, high = TIMEOUT_RANGE_MS
    if not (math.isfinite(timeout_ms) and low <= timeout_ms <= high):
        raise ConfigError(f"ROBOT_TIMEOUT_MS={value} is out of range: give {low} to {high} milliseconds "
                          f"(default {Settings.timeout_ms:.0f})")
    return timeout_ms
