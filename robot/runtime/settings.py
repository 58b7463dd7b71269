"""Settings from the environment and a .env file in the working directory (or the file `--env-file` names, one per
organisation); the environment wins.

Every value is checked as it is read, so that a wrong one ends the run in one line before anything signs in.
"""

from __future__ import annotations

import base64
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
from robot.runtime.notify_urls import parse_notify_urls, secret_parts
from robot.runtime.preflight import check_labels_file

log = logging.getLogger("robot")

DEFAULT_ABM_URL = "https://business.apple.com"
DEFAULT_APPLE_API_URL = "https://vpp.itunes.apple.com/mdm/v2"
APPLE_CHECK_MODES = ("warn", "required", "off")  # the first is the default
# Where plain http may carry a token: a stand-in of Apple's API on this machine.
THIS_MACHINE = ("localhost", "127.0.0.1", "::1")

ABM_SETTINGS = ("ABM_URL", "ABM_USERNAME", "ABM_PASSWORD")
CORTADO_SETTINGS = ("CORTADO_URL", "CORTADO_USERNAME", "CORTADO_PASSWORD")
# Every setting the robot reads (README, "Settings"); a name of ours that is not here is a misspelling.
SETTING_NAMES = (
    *ABM_SETTINGS, "ABM_CODE_COMMAND", *CORTADO_SETTINGS, "CORTADO_TOTP_SECRET", "ROBOT_LOGIN_TIMEOUT",
    "ROBOT_STATE_DIR", "ROBOT_ARTIFACTS_DIR",
    "ROBOT_BROWSER_PATH", "ROBOT_ORG_NAME", "ROBOT_LABELS_FILE", "ROBOT_TIMEOUT_MS",
    "ROBOT_NOTIFY", "ROBOT_NOTIFY_ON",
    "ROBOT_APPLE_API_URL", "ROBOT_APPLE_CHECK", "ROBOT_EXPECTED_MDM",
)
# Read by the nightly workflow around the robot (.github/workflows/renew-tokens.yml), so set in its environment.
WORKFLOW_SETTINGS = ("ROBOT_STATE_KEY", "ROBOT_STATE_SEED")
OUR_PREFIXES = ("ROBOT_", "ABM_", "CORTADO_")
NOTIFY_ON = ("failure", "always")  # the first is the default
TIMEOUT_RANGE_MS = (1_000, 600_000)
LOGIN_TIMEOUT_RANGE_S = (10, 3_600)  # how long `login --headed` waits for a person to type a code in the window


def default_state_dir() -> Path:
    """One place per user, whatever the working directory, so the run lock really keeps runs apart."""
    return Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "vpptoken-robot"


def organisation_of(env_file: Path) -> str:
    """The organisation a settings file is for, by its name: `acme.env`, `.env.acme` and `acme` all say "acme"."""
    name = env_file.name.lstrip(".").removeprefix("env.").removesuffix(".env")
    return "" if name == "env" else name


@dataclass(frozen=True)
class Settings:
    abm_url: str = DEFAULT_ABM_URL
    abm_username: str = ""
    abm_password: str = field(default="", repr=False)
    cortado_url: str = ""
    cortado_username: str = ""
    cortado_password: str = field(default="", repr=False)
    cortado_totp_secret: str = field(default="", repr=False)
    state_dir: Path = field(default_factory=default_state_dir)
    artifacts_dir: Path = field(default_factory=lambda: default_state_dir() / "artifacts")
    browser_path: str | None = None
    org_name: str | None = None
    labels_file: Path | None = None
    code_command: str | None = None
    timeout_ms: float = 15_000
    login_timeout_s: float = 300
    notify_urls: tuple[str, ...] = field(default=(), repr=False)
    notify_on: str = NOTIFY_ON[0]
    env_file: Path | None = None
    apple_api_url: str = DEFAULT_APPLE_API_URL
    apple_check: str = APPLE_CHECK_MODES[0]
    expected_mdm: str | None = None

    def require(self, names: tuple[str, ...]) -> None:
        """Fail with one line naming every missing setting a command needs."""
        missing = [name for name in names if not getattr(self, name.lower())]
        if missing:
            raise ConfigError(
                f"missing setting{'s' if len(missing) > 1 else ''} {', '.join(missing)}: "
                "set it in the environment or in a .env file in the working directory"
            )

    def secrets(self) -> list[str]:
        notify = [part for url in self.notify_urls for part in secret_parts(url)]
        return [s for s in (self.abm_password, self.cortado_password, self.cortado_totp_secret, *notify) if s]

    @property
    def organisation(self) -> str:
        """How messages name the organisation: ROBOT_ORG_NAME, else its settings file's name, else Cortado's host."""
        from_file = organisation_of(self.env_file) if self.env_file else ""
        return self.org_name or from_file or urlsplit(self.cortado_url).hostname or "vpptoken robot"


def load_settings(environ: Mapping[str, str] | None = None, use_dotenv: bool = True,
                  env_file: Path | None = None) -> Settings:
    """From `environ` (default: the process environment) over `env_file`, or over ./.env unless told to leave .env
    alone."""
    values = _values(environ, use_dotenv, env_file)

    def get(name: str) -> str | None:
        value = values.get(name)
        return value.strip() if value and value.strip() else None

    own_folder = organisation_of(env_file) if env_file else ""  # organisations never share sessions or a lock
    state_dir = Path(get("ROBOT_STATE_DIR") or default_state_dir() / own_folder).expanduser()
    return Settings(
        abm_url=_url("ABM_URL", get("ABM_URL")) or DEFAULT_ABM_URL,
        abm_username=get("ABM_USERNAME") or "",
        abm_password=values.get("ABM_PASSWORD") or "",
        cortado_url=_url("CORTADO_URL", get("CORTADO_URL")) or "",
        cortado_username=get("CORTADO_USERNAME") or "",
        cortado_password=values.get("CORTADO_PASSWORD") or "",
        cortado_totp_secret=_totp_secret(get("CORTADO_TOTP_SECRET")),
        state_dir=state_dir,
        artifacts_dir=Path(get("ROBOT_ARTIFACTS_DIR") or state_dir / "artifacts").expanduser(),
        browser_path=get("ROBOT_BROWSER_PATH"),
        org_name=get("ROBOT_ORG_NAME"),
        labels_file=_labels_file(get("ROBOT_LABELS_FILE")),
        code_command=get("ABM_CODE_COMMAND"),
        timeout_ms=_timeout_ms(get("ROBOT_TIMEOUT_MS")),
        login_timeout_s=_login_timeout_s(get("ROBOT_LOGIN_TIMEOUT")),
        notify_urls=parse_notify_urls(get("ROBOT_NOTIFY")),
        notify_on=_notify_on(get("ROBOT_NOTIFY_ON")),
        env_file=env_file,
        apple_api_url=_apple_api_url(get("ROBOT_APPLE_API_URL")),
        apple_check=_apple_check(get("ROBOT_APPLE_CHECK")),
        expected_mdm=get("ROBOT_EXPECTED_MDM"),
    )


def _values(environ: Mapping[str, str] | None, use_dotenv: bool, env_file: Path | None
            ) -> dict[str, str | None]:
    """Every setting as written: the environment over the settings file; unknown names in the environment warned
    about (a misspelt name in the file is refused while it is read)."""
    environment = os.environ if environ is None else environ
    if env_file is not None and not env_file.is_file():
        raise ConfigError(f"--env-file {env_file}: no such file; name the organisation's settings file")
    dotenv = _settings_file(use_dotenv, env_file)
    from_file = _read_dotenv(dotenv) if dotenv else {}
    for name, hint in _unknown_names(environment):
        log.warning("unknown setting %s in the environment, ignored: %s", name, hint)
    return {**from_file, **environment}


def notify_settings(environ: Mapping[str, str] | None = None, use_dotenv: bool = True,
                    env_file: Path | None = None) -> Settings:
    """Only where to notify and the organisation's name, the rest left at its defaults: read from the same places,
    leniently, to tell of the settings that load_settings() refused. A ConfigError when even these are wrong."""
    dotenv = _settings_file(use_dotenv, env_file)
    values = {**(dotenv_values(dotenv) if dotenv and dotenv.is_file() else {}),
              **(os.environ if environ is None else environ)}

    def get(name: str) -> str | None:
        return (values.get(name) or "").strip() or None

    return Settings(org_name=get("ROBOT_ORG_NAME"), notify_urls=parse_notify_urls(get("ROBOT_NOTIFY")),
                    notify_on=_notify_on(get("ROBOT_NOTIFY_ON")), env_file=env_file)


def _settings_file(use_dotenv: bool, env_file: Path | None) -> Path | None:
    return env_file or (Path.cwd() / ".env" if use_dotenv else None)


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
    return _number_in_range("ROBOT_TIMEOUT_MS", value, Settings.timeout_ms, TIMEOUT_RANGE_MS, "milliseconds")


def _totp_secret(value: str | None) -> str:
    """The authenticator app's base32 secret, as apps show it (in groups, any case); its value is never shown."""
    if value is None:
        return ""
    secret = "".join(value.split()).upper()
    try:
        base64.b32decode(secret + "=" * (-len(secret) % 8))
    except ValueError:
        raise ConfigError("CORTADO_TOTP_SECRET is not a base32 secret: give the key shown when the authenticator "
                          "app was set up (letters A-Z and digits 2-7), not a six-digit code") from None
    if len(secret) < 16:
        raise ConfigError("CORTADO_TOTP_SECRET is too short for an authenticator secret: give the whole key shown "
                          "when the authenticator app was set up, not a six-digit code")
    return secret


def _login_timeout_s(value: str | None) -> float:
    """How long `login --headed` waits for the person to finish signing in."""
    return _number_in_range("ROBOT_LOGIN_TIMEOUT", value, Settings.login_timeout_s, LOGIN_TIMEOUT_RANGE_S,
                            "seconds")


def _number_in_range(name: str, value: str | None, default: float, bounds: tuple[float, float], unit: str
                     ) -> float:
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ConfigError(f"{name}={value} is not a number of {unit}") from None
    low, high = bounds
    if not (math.isfinite(number) and low <= number <= high):
        raise ConfigError(f"{name}={value} is out of range: give {low} to {high} {unit} (default {default:.0f})")
    return number


def _apple_api_url(value: str | None) -> str:
    """Where each token is sent as a password would be: https, the API's address alone."""
    if value is None:
        return DEFAULT_APPLE_API_URL
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        host = None
    if not host or not (parts.scheme == "https" or (parts.scheme == "http" and host in THIS_MACHINE)):
        raise ConfigError(f"ROBOT_APPLE_API_URL must start with https:// (http:// only for a stand-in on this "
                          f"machine): e.g. the default {DEFAULT_APPLE_API_URL}")
    if parts.username is not None or parts.password is not None or parts.query or parts.fragment:
        raise ConfigError("ROBOT_APPLE_API_URL must be the API's address alone, without user:password@, ? or #: "
                          f"e.g. the default {DEFAULT_APPLE_API_URL}")
    return value


def _apple_check(value: str | None) -> str:
    if value is None:
        return APPLE_CHECK_MODES[0]
    if value.lower() not in APPLE_CHECK_MODES:
        raise ConfigError(f"ROBOT_APPLE_CHECK={value} is not known: give {', '.join(APPLE_CHECK_MODES)} "
                          f"(default {APPLE_CHECK_MODES[0]})")
    return value.lower()


def _notify_on(value: str | None) -> str:
    if value is None:
        return NOTIFY_ON[0]
    if value.lower() not in NOTIFY_ON:
        raise ConfigError(f"ROBOT_NOTIFY_ON={value} is not known: give failure (the default: only trouble) or "
                          "always (also every run that renewed something)")
    return value.lower()
