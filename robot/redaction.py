"""Keeping secrets out of everything the robot prints, logs or writes.

Every password, token text and cookie the robot handles is registered here the
moment it is known; a logging filter and the CLI's own output mask them all.
"""

from __future__ import annotations

import logging
import threading

MASK = "[secret]"
SHORTEST_SECRET = 4  # shorter strings would mask ordinary words


class Redactor:
    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add(self, *secrets: str | None) -> None:
        with self._lock:
            self._secrets.update(s for s in secrets if s and len(s) >= SHORTEST_SECRET)

    def mask(self, text: str) -> str:
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            text = text.replace(secret, MASK)
        return text


REDACTOR = Redactor()


class RedactingFilter(logging.Filter):
    """Masks secrets in the final message (arguments and exception text included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = REDACTOR.mask(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = REDACTOR.mask(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True
