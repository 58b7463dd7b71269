"""Apple's word on a new token, asked before Cortado is touched: whose unit it is, when it expires, who manages it.

A `.vpptoken` file does not say which unit it is for, and a token valid on paper may be revoked, or its unit
taken by another MDM. Apple's Apps and Books API answers all three (robot/apple/api.py). ROBOT_APPLE_CHECK says
what an API that cannot be asked means: `warn` (go on with the robot's own checks), `required` (refuse), `off`
(do not ask at all).
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from robot.apple.api import AppleApi, ClientConfig
from robot.apple.known_mdms import KnownMdms
from robot.errors import AppleRefused, AppleUnreachable
from robot.renewal.token_check import ServerToken
from robot.runtime.settings import APPLE_CHECK_MODES, Settings

log = logging.getLogger("robot")

WARN, REQUIRED, OFF = APPLE_CHECK_MODES
CONFIRMED, REFUSED, SKIPPED, UNREACHABLE = "confirmed", "refused", "skipped", "unreachable"
EXPIRY_TOLERANCE = timedelta(days=1)


@dataclass(frozen=True)
class AppleVerdict:
    """`apple_check` in the reports: confirmed, refused, skipped or unreachable, and why."""

    status: str
    reason: str


class AppleCheck:
    """Asks Apple (robot/apple/api.py) and judges its answers; remembers each confirmed unit's MDM."""

    def __init__(self, api: AppleApi, mode: str, expected_mdm: str | None, known: KnownMdms) -> None:
        self.api = api
        self.mode = mode
        self.expected_mdm = expected_mdm
        self.known = known

    @property
    def asks(self) -> bool:
        return self.mode != OFF

    def blocks(self, verdict: AppleVerdict) -> bool:
        """Whether the token must not reach Cortado."""
        return verdict.status == REFUSED or (verdict.status == UNREACHABLE and self.mode == REQUIRED)

    def check(self, location: str, token: ServerToken, installed: str) -> AppleVerdict:
        """Ask Apple about the new token, then, only once Apple has found nothing wrong with it, about the
        `installed` one for its unit; one call per token."""
        if not self.asks:
            return AppleVerdict(SKIPPED, "not asked (ROBOT_APPLE_CHECK=off)")
        try:
            config = self.api.client_config(token.text)
            problem = self._problem(location, token, config) or self._other_unit(config, installed)
        except AppleRefused as error:
            return AppleVerdict(REFUSED, f"Apple refuses the new token: {error}")
        except AppleUnreachable as error:
            return self._unreachable(location, str(error))
        if problem:
            return AppleVerdict(REFUSED, problem)
        return AppleVerdict(CONFIRMED, self._confirmed(config))

    def _problem(self, location: str, token: ServerToken, config: ClientConfig) -> str | None:
        """What in Apple's answer rules the token out for this location, if anything."""
        if not same_unit_name(config.location_name, location):
            return (f'Apple says the new token is for unit "{config.location_name}", not "{location}" '
                    "(the Cortado account's location)")
        if config.expires and abs(config.expires - token.expires) > EXPIRY_TOLERANCE:
            return (f"Apple says the new token expires {config.expires.date()}, the file says "
                    f"{token.expiry_date}")
        return self.claimed_elsewhere(config)

    def claimed_elsewhere(self, config: ClientConfig) -> str | None:
        """The unit claimed by an MDM other than ROBOT_EXPECTED_MDM, or than the one remembered for it."""
        claimed = config.mdm
        if claimed is None:
            return None
        unit = f'unit "{config.location_name}"'
        if self.expected_mdm:
            if claimed.name != self.expected_mdm:
                return f'Apple says {unit} is claimed by MDM {claimed}, not "{self.expected_mdm}" (ROBOT_EXPECTED_MDM)'
            return None
        known = self.known.get(config.uid)
        if known and (known.id or known.name) != (claimed.id or claimed.name):
            return (f"Apple says {unit} is now claimed by MDM {claimed}, not {known} as when last confirmed; "
                    "if the move is intended, set ROBOT_EXPECTED_MDM to the new MDM's name")
        return None

    def _other_unit(self, new: ClientConfig, installed: str) -> str | None:
        """The installed token, while Apple still answers for it, must be of the same unit as the new one."""
        if not installed.strip():
            return None
        try:
            old = self.api.client_config(installed)
        except AppleRefused as error:
            log.info('Apple no longer answers for the installed token of "%s" (%s): its unit is not compared',
                     new.location_name, error)
            return None
        if old.uid != new.uid:
            return (f'Apple says the new token is for unit {new.uid} ("{new.location_name}"), the installed one '
                    f'for unit {old.uid} ("{old.location_name}")')
        return None

    def _confirmed(self, config: ClientConfig) -> str:
        """Apple's view in a line; the unit's MDM remembered, said so the first time."""
        said = f'Apple confirms unit "{config.location_name}" ({config.uid})'
        if config.expires:
            said += f", expiring {config.expires.date()}"
        if config.mdm is None:
            return said + ", claimed by no MDM"
        said += f", managed by MDM {config.mdm}"
        if self.known.get(config.uid) is None:
            said += f"; first seen, remembered in {self.known.path}: another MDM will be refused"
        self.known.remember(config.uid, config.mdm)
        return said

    def _unreachable(self, location: str, why: str) -> AppleVerdict:
        reason = f"Apple's Apps and Books API could not be asked: {why}"
        if self.mode == REQUIRED:
            return AppleVerdict(UNREACHABLE, reason + " (ROBOT_APPLE_CHECK=required)")
        log.warning("%s: %s; going on with the robot's own checks (ROBOT_APPLE_CHECK=warn)", location, reason)
        return AppleVerdict(UNREACHABLE, reason)


def apple_check(settings: Settings) -> AppleCheck:
    """The check as the settings ask for it, remembering MDMs in the state directory."""
    return AppleCheck(AppleApi(settings.apple_api_url), settings.apple_check, settings.expected_mdm,
                      KnownMdms(settings.state_dir))


def same_unit_name(apple_says: str, location: str) -> bool:
    """Exactly the same name, whichever Unicode form each side wrote it in."""
    return _nfc(apple_says) == _nfc(location)


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)
