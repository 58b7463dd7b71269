"""One browser per run, one context per portal (its own cookies, never throttled behind the other),
kept sessions loaded and saved, and screenshots and traces kept only where they help."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from robot.runtime.chromium import launch_options
from robot.runtime.private_files import make_private, write_private
from robot.runtime.redaction import REDACTOR
from robot.runtime.settings import Settings

log = logging.getLogger("robot")

TRACE_MODES = ("on", "off", "retain-on-failure")

# A frame's origin and its localStorage, as storage_state() keeps them; an opaque origin throws, and is skipped.
READ_STORAGE = "() => [location.origin, Object.entries(localStorage).map(([name, value]) => ({name, value}))]"


@dataclass(frozen=True)
class BrowsingOptions:
    headed: bool = False
    slow_mo: float = 0
    trace: str = "retain-on-failure"
    pause_on_failure: bool = False


@contextmanager
def launched_browser(settings: Settings, options: BrowsingOptions) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            headless=not options.headed, slow_mo=options.slow_mo,
            **launch_options(playwright, settings.browser_path),  # type: ignore[arg-type]
        )
        try:
            yield browser
        finally:
            browser.close()


class Browsing:
    def __init__(self, browser: Browser, settings: Settings, options: BrowsingOptions) -> None:
        self.browser = browser
        self.settings = settings
        self.options = options
        self._contexts: dict[str, BrowserContext] = {}
        self._pages: dict[str, Page] = {}
        self._loaded_origins: dict[str, list[dict[str, Any]]] = {}  # per portal: the storage its session began with
        self._traced: set[str] = set()
        self.failed = False

    def page(self, portal: str) -> Page:
        """The portal's page, in a context of its own that starts from the kept session, if any."""
        if portal not in self._pages:
            kept = self._kept_state(portal)
            self._loaded_origins[portal] = list(kept.get("origins", [])) if kept else []
            context = self.browser.new_context(storage_state=kept, accept_downloads=True)
            context.set_default_timeout(self.settings.timeout_ms)
            self._contexts[portal] = context
            if self.options.trace == "on":
                context.tracing.start(screenshots=True, snapshots=True, title=portal)  # the sign-in too
                self._traced.add(portal)
            self._pages[portal] = context.new_page()
        return self._pages[portal]

    def signed_in(self, portal: str) -> None:
        """From here on the default failure trace records the portal's work.

        Not its sign-in, whose trace would hold the password typed (--trace on records it). DOM snapshots and
        screencast frames on every action made a run about twice as slow (benchmarks/README.md), so this trace
        records the actions, their call logs and errors only, beside the failure screenshot.
        """
        if self.options.trace == "retain-on-failure" and portal not in self._traced:
            self._contexts[portal].tracing.start(title=portal)
            self._traced.add(portal)

    def _kept_state(self, portal: str) -> dict[str, Any] | None:
        """The kept session, its cookies registered as secrets; an unreadable one just means signing in."""
        path = self.session_file(portal)
        if not path.is_file():
            return None
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
            REDACTOR.add(*(cookie["value"] for cookie in state["cookies"]))
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("the kept %s session in %s is unreadable: signing in afresh", portal, path)
            return None
        return state

    def session_file(self, portal: str) -> Path:
        return self.settings.state_dir / f"{portal}-session.json"

    def save_session(self, portal: str, every_origin: bool = False) -> Path:
        """Keep the signed-in state (cookies, storage) for the next run, readable by its owner only.

        storage_state() opens a page for every origin the context visited that no page shows (ABM's sign-in
        widget is an iframe of its own origin): a renderer process started, ≈ 0.4 s of CPU per save. So a run
        reads the storage of the origins its page has open, iframes included, and keeps the others' as its
        session began with them; `login` (every_origin) reads every origin anew.
        """
        context = self._contexts[portal]
        if every_origin:
            state = dict(context.storage_state())
        else:
            state = {"cookies": context.cookies(), "origins": self._origins_now(portal)}
        REDACTOR.add(*(cookie["value"] for cookie in state["cookies"]))
        path = write_private(self.session_file(portal), json.dumps(state).encode())
        log.debug("%s session kept in %s", portal, path)
        return path

    def _origins_now(self, portal: str) -> list[dict[str, Any]]:
        """localStorage of each origin the portal's page has open now, plus the loaded one of every other origin."""
        shown: dict[str, list[dict[str, str]]] = {}
        for frame in self._pages[portal].frames:
            try:
                origin, items = frame.evaluate(READ_STORAGE)
            except PlaywrightError:
                continue
            shown[origin] = items
        kept = [entry for entry in self._loaded_origins[portal] if entry.get("origin") not in shown]
        return kept + [{"origin": origin, "localStorage": items} for origin, items in shown.items() if items]

    def capture_failure(self, portal: str, subject: str) -> Path | None:
        """A screenshot of where it went wrong (it may show secrets: kept private), and a pause if asked."""
        self.failed = True
        page = self._pages.get(portal)
        if page is None or page.is_closed():
            return None
        path = self._artifact(f"{portal}-{subject}", "png")
        try:
            page.screenshot(path=str(path), full_page=True)
        except PlaywrightError as error:
            log.warning("no screenshot of %s: %s", portal, error.message)
            return None
        if self.options.pause_on_failure and self.options.headed:
            log.warning("paused at the failing step: close the Playwright Inspector to go on")
            page.pause()
        return make_private(path)

    def close(self) -> list[Path]:
        """Close every context; returns the traces kept (always with --trace on, after a failure by default)."""
        keep = self.options.trace == "on" or (self.options.trace == "retain-on-failure" and self.failed)
        traces = []
        for portal, context in self._contexts.items():
            if portal in self._traced:
                path = self._artifact(f"{portal}-trace", "zip") if keep else None
                context.tracing.stop(path=str(path) if path else None)
                if path:
                    traces.append(make_private(path))
            context.close()
        self._contexts.clear()
        self._pages.clear()
        self._traced.clear()
        return traces

    def _artifact(self, name: str, suffix: str) -> Path:
        folder = self.settings.artifacts_dir
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
        return folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{safe}.{suffix}"
