"""Each portal's signed-in state (cookies, localStorage) kept in ROBOT_STATE_DIR, so the next run needs no sign-in."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from robot.runtime.private_files import write_private
from robot.runtime.redaction import REDACTOR

log = logging.getLogger("robot")

# A frame's origin and its localStorage, as storage_state() keeps them; an opaque origin throws, and is skipped.
READ_STORAGE = "() => [location.origin, Object.entries(localStorage).map(([name, value]) => ({name, value}))]"

State = dict[str, Any]


class KeptSessions:
    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self._loaded_origins: dict[str, list[dict[str, Any]]] = {}  # per portal: the storage its session began with

    def path(self, portal: str) -> Path:
        return self.state_dir / f"{portal}-session.json"

    def load(self, portal: str) -> State | None:
        """The kept session, its cookies registered as secrets; an unreadable one just means signing in."""
        self._loaded_origins[portal] = []
        path = self.path(portal)
        if not path.is_file():
            return None
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
            REDACTOR.add(*(cookie["value"] for cookie in state["cookies"]))
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("the kept %s session in %s is unreadable: signing in afresh", portal, path)
            return None
        self._loaded_origins[portal] = list(state.get("origins", []))
        return state

    def save(self, portal: str, page: Page, every_origin: bool = False) -> Path:
        """Keep the page's signed-in state for the next run, readable by its owner only.

        storage_state() opens a page for every origin the context visited that no page shows (ABM's sign-in
        widget is an iframe of its own origin), and with it a renderer process. So a run reads the storage of
        the origins its page has open, iframes included, and keeps the others' as its session began with them;
        `login` (every_origin) reads every origin anew.
        """
        if every_origin:
            state = dict(page.context.storage_state())
        else:
            state = {"cookies": page.context.cookies(), "origins": self._origins_now(portal, page)}
        REDACTOR.add(*(cookie["value"] for cookie in state["cookies"]))
        path = write_private(self.path(portal), json.dumps(state).encode())
        log.debug("%s session kept in %s", portal, path)
        return path

    def _origins_now(self, portal: str, page: Page) -> list[dict[str, Any]]:
        """localStorage of each origin the page has open now, plus the loaded one of every other origin."""
        shown: dict[str, list[dict[str, str]]] = {}
        for frame in page.frames:
            try:
                origin, items = frame.evaluate(READ_STORAGE)
            except PlaywrightError:
                continue
            shown[origin] = items
        kept = [entry for entry in self._loaded_origins.get(portal, []) if entry.get("origin") not in shown]
        return kept + [{"origin": origin, "localStorage": items} for origin, items in shown.items() if items]
