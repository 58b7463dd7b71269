"""One browser context per portal: its own cookies and kept session, its own trace, its failure screenshots.

A context each keeps the portals apart: neither one's page is throttled behind the other's, and each portal's
session is saved and loaded on its own.
"""

from __future__ import annotations

import logging
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize

from robot.runtime.artifacts import Artifacts
from robot.runtime.kept_sessions import KeptSessions
from robot.runtime.options import BrowserOptions
from robot.runtime.private_files import make_private
from robot.runtime.settings import Settings

SCREEN: ViewportSize = {"width": 1920, "height": 1080}

log = logging.getLogger("robot")


class BrowserContexts:
    def __init__(self, browser: Browser, settings: Settings, options: BrowserOptions) -> None:
        self.browser = browser
        self.timeout_ms = settings.timeout_ms
        self.options = options
        self.sessions = KeptSessions(settings.state_dir)
        self.artifacts = Artifacts(settings.artifacts_dir)
        self._contexts: dict[str, BrowserContext] = {}
        self._pages: dict[str, Page] = {}
        self._traced: set[str] = set()
        self.failed = False  # set on a failure: the default trace is kept only then

    def page(self, portal: str) -> Page:
        """The portal's page, in a context of its own that starts from the kept session, if any."""
        if portal not in self._pages:
            # An admin's desktop screen: a portal built to respond to the window's size folds its navigation away
            # behind a menu button in a smaller one.
            context = self.browser.new_context(storage_state=self.sessions.load(portal), accept_downloads=True,
                                               viewport=SCREEN)
            context.set_default_timeout(self.timeout_ms)
            self._contexts[portal] = context
            if self.options.trace == "on":
                context.tracing.start(screenshots=True, snapshots=True, title=portal)  # the sign-in too
                self._traced.add(portal)
            self._pages[portal] = context.new_page()
        return self._pages[portal]

    def trace_from_now(self, portal: str) -> None:
        """Once a portal is signed in, the default failure trace records its work.

        Not its sign-in, whose trace would hold the password typed (--trace on records it). DOM snapshots and
        screencast frames on every action slow a run down a lot, so this trace records the actions, their call
        logs and errors only, beside the failure screenshot.
        """
        if self.options.trace == "retain-on-failure" and portal not in self._traced:
            self._contexts[portal].tracing.start(title=portal)
            self._traced.add(portal)

    def keep_session(self, portal: str, every_origin: bool = False) -> Path:
        return self.sessions.save(portal, self._pages[portal], every_origin)

    def capture_failure(self, portal: str, subject: str) -> Path | None:
        """A screenshot of where it went wrong, and a pause in the Playwright Inspector if asked."""
        self.failed = True
        page = self._pages.get(portal)
        if page is None or page.is_closed():
            return None
        path = self.artifacts.screenshot(page, f"{portal}-{subject}")
        if path and self.options.pause_on_failure and self.options.headed:
            log.warning("paused at the failing step: close the Playwright Inspector to go on")
            page.pause()
        return path

    def close(self) -> list[Path]:
        """Close every context; returns the traces kept (always with --trace on, after a failure by default)."""
        keep = self.options.trace == "on" or (self.options.trace == "retain-on-failure" and self.failed)
        traces = []
        for portal, context in self._contexts.items():
            if portal in self._traced:
                path = self.artifacts.path(f"{portal}-trace", "zip") if keep else None
                context.tracing.stop(path=str(path) if path else None)
                if path:
                    traces.append(make_private(path))
            context.close()
        self._contexts.clear()
        self._pages.clear()
        self._traced.clear()
        return traces
