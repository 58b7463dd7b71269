"""Checking server tokens: a downloaded one before it is allowed anywhere near Cortado, and what the edit form's
token field holds before anything is typed into it."""

from __future__ import annotations

import base64
import binascii
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from robot.errors import LocationFailed, TokenRejected
from robot.renewal.dates import days_shown_for

MIN_DAYS_LEFT = 300
FILENAME = re.compile(r"^sToken_for_(?P<location>.+?)(?: ?\(\d+\))?\.vpptoken$")
SAVED_AS_UNDERSCORE = str.maketrans(dict.fromkeys('_/\\:*?"<>|', " "))


@dataclass(frozen=True)
class ServerToken:
    text: str
    expires: datetime
    org_name: str

    @property
    def expiry_date(self) -> date:
        """The calendar day of expiry in the token's own offset, as Cortado shows it."""
        return self.expires.date()


def decode_token(text: str) -> ServerToken:
    """Base64 of JSON {token, expDate, orgName}; anything else is refused."""
    cleaned = text.strip()
    try:
        payload = json.loads(base64.b64decode(cleaned, validate=True))
    except (binascii.Error, ValueError):
        raise TokenRejected("the downloaded file is not a server token (not Base64-encoded JSON)") from None
    fields = ("token", "expDate", "orgName")
    if not isinstance(payload, dict) or not all(isinstance(payload.get(k), str) for k in fields):
        raise TokenRejected("the downloaded file is not a server token (token, expDate or orgName missing)")
    try:
        expires = datetime.strptime(payload["expDate"], "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        raise TokenRejected(f"the server token's expDate {payload['expDate']!r} is not a date") from None
    return ServerToken(cleaned, expires, payload["orgName"])


def holds_a_token_or_nothing(installed: str) -> None:
    """The field taken for the Server token must hold one, or nothing yet."""
    if not installed.strip():
        return
    try:
        decode_token(installed)
    except TokenRejected:
        raise LocationFailed("the field taken for the Server token holds no server token, so it may be another "
                             "field: Cortado not changed; name the token field under cortado.server_token in "
                             "ROBOT_LABELS_FILE") from None


def check_token(
    token: ServerToken,
    *,
    location: str,
    filename: str | None,
    current_valid_until: date | None,
    org_name: str | None,
    now: datetime,
) -> None:
    """Refuse a token that is expired or short-lived, older than the one installed, or for someone else."""
    days_left = (token.expires - now).days
    if days_left < 0:
        raise TokenRejected(f"the new token for {location} expired on {token.expiry_date}; download it again in ABM")
    if days_left < MIN_DAYS_LEFT:
        raise TokenRejected(
            f"the new token for {location} expires in {days_left} days (on {token.expiry_date}), "
            f"less than {MIN_DAYS_LEFT}; a fresh ABM token is valid for a year"
        )
    # Only a day Cortado could not show for the installed token proves, when it shows, that the save happened.
    if current_valid_until and token.expiry_date <= max(days_shown_for(current_valid_until)):
        raise TokenRejected(
            f"the new token for {location} expires {token.expiry_date}, not more than a day later than the "
            f"installed one ({current_valid_until}), so Cortado's Valid until could not show that it was saved"
        )
    if org_name and token.org_name != org_name:
        raise TokenRejected(
            f"the token for {location} belongs to organisation {token.org_name!r}, not {org_name!r} (ROBOT_ORG_NAME)"
        )
    if filename:
        named = FILENAME.match(filename)
        if not named or _normal(named.group("location")) != _normal(location):
            raise TokenRejected(f"ABM sent {filename!r}, which is not the token of {location}")


def _normal(name: str) -> str:
    """Compare names as a browser saves them: Chromium saves each of /\\:*?"<>| as "_"."""
    return " ".join(unicodedata.normalize("NFC", name).translate(SAVED_AS_UNDERSCORE).split()).casefold()

