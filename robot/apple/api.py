"""Asking Apple's Apps and Books API what it knows of a token: one read-only `GET client/config` per token.

Only GET is ever sent: `POST client/config` would claim the unit for the robot. The token goes in the
Authorization header to the configured address alone (no redirect is followed, since urllib would carry the
header along); the address is logged, the token never. Apple's "too many requests" (9646, HTTP 429) and its
server errors are retried, bounded, after the wait Apple's `Retry-After` asks for.
"""

from __future__ import annotations

import http.client
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from typing import Any

from tenacity import RetryCallState, Retrying, retry_if_exception_type, wait_exponential

from robot.errors import AppleRefused, AppleUnreachable

log = logging.getLogger("robot")

TOO_MANY_REQUESTS = 9646
ATTEMPTS = 3
LONGEST_WAIT_S = 60.0  # Apple asking for longer means it will not answer within this run's patience
TIMEOUT_S = 20.0
BACKOFF = wait_exponential(multiplier=0.5, max=LONGEST_WAIT_S)


@dataclass(frozen=True)
class MdmInfo:
    """The MDM that claimed the unit (`mdmInfo`): its id, unique to that MDM, and its name."""

    id: str
    name: str

    def __str__(self) -> str:
        return f'"{self.name}" (id {self.id})'


@dataclass(frozen=True)
class ClientConfig:
    """Apple's answer for a token: the unit it belongs to, when it expires, and who manages the unit."""

    location_name: str
    uid: str
    expires: datetime | None  # Apple may leave it out
    mdm: MdmInfo | None  # None while no MDM has claimed the unit


class _Busy(Exception):
    """An answer worth waiting for and asking again: 9646, HTTP 429 or a server error."""

    def __init__(self, said: str, retry_after: float | None) -> None:
        super().__init__(said)
        self.retry_after = retry_after


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx itself is then the answer: the token stays with the configured address


_OPENER = urllib.request.build_opener(_NoRedirect)


class AppleApi:
    """The API at `base_url` (ROBOT_APPLE_API_URL)."""

    def __init__(self, base_url: str) -> None:
        self.config_url = base_url.rstrip("/") + "/client/config"
        self._told = False
        self._out_of_reach: str | None = None  # why Apple could not be asked, once it could not

    def client_config(self, token_text: str) -> ClientConfig:
        """What Apple says of the token; AppleRefused for Apple's own error, AppleUnreachable when it cannot say."""
        if self._out_of_reach:  # each location would wait out the timeouts and retries again
            raise AppleUnreachable(f"{self._out_of_reach}; not asked again in this run")
        if not self._told:  # once a run: where the tokens go (the token itself never shows)
            log.info("asking Apple's Apps and Books API: GET %s", self.config_url)
            self._told = True
        policy = Retrying(stop=_give_up, wait=_wait, retry=retry_if_exception_type(_Busy),
                          before_sleep=_log_retry, reraise=True)
        try:
            return policy(self._ask, token_text.strip())
        except _Busy as busy:
            asked = policy.statistics.get("attempt_number", ATTEMPTS)
            wait = f", Retry-After {busy.retry_after:.0f} s" if busy.retry_after else ""
            times = "once" if asked == 1 else f"{asked} times"
            self._out_of_reach = f"{busy}{wait} (asked {times} at {self.config_url})"
            raise AppleUnreachable(self._out_of_reach) from None

    def _ask(self, token: str) -> ClientConfig:
        request = urllib.request.Request(self.config_url, method="GET", headers={
            "Authorization": f"Bearer {token}", "Accept": "application/json"})
        try:
            with _OPENER.open(request, timeout=TIMEOUT_S) as response:
                return _answer(response.status, response.read(), response.headers)
        except urllib.error.HTTPError as error:
            with error:
                return _answer(error.code, error.read(), error.headers)
        except urllib.error.URLError as error:
            self._out_of_reach = f"{error.reason} ({self.config_url})"
        except (OSError, http.client.HTTPException) as error:
            self._out_of_reach = f"{error or type(error).__name__} ({self.config_url})"
        raise AppleUnreachable(self._out_of_reach)


def _answer(status: int, body: bytes, headers: Message) -> ClientConfig:
    """Apple's answer read: its configuration, its error (a refusal, or busy), or something that is not Apple's."""
    try:
        document = json.loads(body)
    except ValueError:
        document = None
    document = document if isinstance(document, dict) else {}
    number = document.get("errorNumber")
    if status == 429 or number == TOO_MANY_REQUESTS or status >= 500:
        said = f"HTTP {status}" + (f", {number} {document.get('errorMessage', '')}".rstrip() if number else "")
        raise _Busy(said, _retry_after(headers.get("Retry-After")))
    if isinstance(number, int):
        raise AppleRefused(number, str(document.get("errorMessage", "")))
    if status != 200 or not isinstance(document.get("uId"), str) or not isinstance(document.get("locationName"), str):
        raise AppleUnreachable(f"the answer (HTTP {status}, {headers.get_content_type()}) is not Apple's client "
                               "configuration: check ROBOT_APPLE_API_URL and any proxy")
    return ClientConfig(document["locationName"], document["uId"], _date(document.get("tokenExpirationDate")),
                        _mdm(document.get("mdmInfo")))


def _date(value: object) -> datetime | None:
    try:
        return datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%S%z") if value else None
    except ValueError:
        return None


def _mdm(value: object) -> MdmInfo | None:
    if not isinstance(value, dict) or not (value.get("id") or value.get("name")):
        return None
    return MdmInfo(str(value.get("id") or ""), str(value.get("name") or ""))


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait, from Retry-After as seconds or as an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


def _busy(state: RetryCallState) -> _Busy | None:
    error = state.outcome.exception() if state.outcome else None
    return error if isinstance(error, _Busy) else None


def _wait(state: RetryCallState) -> float:
    """Apple's Retry-After when it gave one, else a short backoff."""
    busy = _busy(state)
    if busy is not None and busy.retry_after is not None:
        return min(busy.retry_after, LONGEST_WAIT_S)
    return BACKOFF(state)


def _give_up(state: RetryCallState) -> bool:
    busy = _busy(state)
    too_long = busy is not None and (busy.retry_after or 0) > LONGEST_WAIT_S
    return state.attempt_number >= ATTEMPTS or too_long


def _log_retry(state: RetryCallState) -> None:
    wait = state.next_action.sleep if state.next_action else 0
    log.warning("Apple's Apps and Books API is busy (%s), asking again in %.0f s (attempt %d of %d)",
                _busy(state), wait, state.attempt_number, ATTEMPTS)
