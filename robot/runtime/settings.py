"""Settings from the environment and a .env file in the working directory; the environment wins."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

from robot.errors import ConfigError

DEFAULT_ABM_URL = "https://business.apple.com"

ABM_SETTINGS = ("ABM_URL", "ABM_USERNAME", "ABM_PASSWORD")
CORTADO_SETTINGS = ("CORTADO_URL", "CORTADO_USERNAME", "CORTADO_PASSWORD")


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
    from_file = dotenv_values(Path.cwd() / ".env") if use_dotenv else {}
    values = {**from_file, **(os.environ if environ is None else environ)}

    def get(name: str) -> str | None:
        value = values.get(name)
        return value.strip() if value and value.strip() else None

    timeout = get("ROBOT_TIMEOUT_MS")
    try:
        timeout_ms = float(timeout) if timeout else Settings.timeout_ms
    except ValueError:
        raise ConfigError(f"ROBOT_TIMEOUT_MS={timeout} is not a number of milliseconds") from None
    labels_file = get("ROBOT_LABELS_FILE")
    state_dir = Path(get("ROBOT_STATE_DIR") or default_state_dir()).expanduser()
    return Settings(
        abm_url=get("ABM_URL") or DEFAULT_ABM_URL,
        abm_username=get("ABM_USERNAME") or "",
        abm_password=values.get("ABM_PASSWORD") or "",
        cortado_url=get("CORTADO_URL") or "",
        cortado_username=get("CORTADO_USERNAME") or "",
        cortado_password=values.get("CORTADO_PASSWORD") or "",
        state_dir=state_dir,
        artifacts_dir=Path(get("ROBOT_ARTIFACTS_DIR") or state_dir / "artifacts").expanduser(),
        browser_path=get("ROBOT_BROWSER_PATH"),
        org_name=get("ROBOT_ORG_NAME"),
        labels_file=Path(labels_file).expanduser() if labels_file else None,
        code_command=get("ABM_CODE_COMMAND"),
        timeout_ms=timeout_ms,
    )
