"""Log lines on stderr, secrets masked, at the level the admin asked for."""

from __future__ import annotations

import logging
import sys

from robot.runtime.redaction import RedactingFilter


def configure_logging(verbose: bool, quiet: bool) -> None:
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(message)s", "%H:%M:%S"))
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("robot")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False
