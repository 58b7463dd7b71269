"""Where each portal's working page was found last time, kept like a person's bookmark.

Clicking through the menus by their labels costs two page loads per portal on every run; the next run
opens the kept address directly (signing in there if need be) and the flow checks by its labels that
the page is the right one, clicking through as before when it is not. Only addresses on the configured
portal's own origin are kept or used.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from urllib.parse import urlsplit

from robot.runtime.private_files import write_private

log = logging.getLogger("robot")


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


class KeptPages:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            kept = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            kept = {}
        self._urls: dict[str, str] = {k: v for k, v in kept.items() if isinstance(v, str)} \
            if isinstance(kept, dict) else {}

    def start(self, portal: str, configured: str) -> str:
        """The kept page of `portal` if it is on the configured origin, else the configured address."""
        kept = self._urls.get(portal)
        return kept if kept and _origin(kept) == _origin(configured) else configured

    def keep(self, portal: str, url: str, configured: str) -> None:
        """Remember where the working page was found (private file: the state directory's rule)."""
        if _origin(url) != _origin(configured) or self._urls.get(portal) == url:
            return
        self._urls[portal] = url
        write_private(self.path, json.dumps(self._urls, indent=2).encode())
        log.debug("%s: page kept for the next run", portal)
