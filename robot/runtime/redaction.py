"""Keeping secrets out of everything the robot prints, logs or writes.

Every password, token text and cookie the robot handles is registered here the
moment it is known; a logging filter and the CLI's own output mask them all.
A secret is also masked in the forms it takes inside JSON, URLs and HTML, so a
password with a quote or a space cannot slip through a JSON report escaped.
"""

from __future__ import annotations

import html
import json
import logging
import threading
from urllib.parse import quote, quote_plus

MASK = "[secret]"
SHORTEST_SECRET = 4  # shorter strings would mask ordinary words


def _forms(secret: str) -> set[str]:
    """The secret as written plainly and as JSON, a URL and HTML would write it."""
    return {secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1],
            quote(secret, safe=""), quote_plus(secret), html.escape(secret)}


class Redactor:
    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add(self, *secrets: str | None) -> None:
        with self._lock:
            for secret in secrets:
                if secret and len(secret) >= SHORTEST_SECRET:
                    self._secrets.update(_forms(secret))

    def mask(self, text: str) -> str:
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            text = text.replace(secret, MASK)
        return text


REDACTOR = Redactor()


class RedactingFilter(logging.Filter):
    """Masks secrets in the final message (arguments, exception text and stack included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = REDACTOR.mask(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = REDACTOR.mask(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = REDACTOR.mask(record.stack_info)
        return True
