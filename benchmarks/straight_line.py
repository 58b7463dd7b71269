"""The shortest script that does the robot's renewals on the mock portals: the yardstick for the robot.

Written for the mocks only (their URLs and element ids): no checks, no retries, no label variants,
no reports. One browser, one context per portal, one sign-in each; then for every location in
Cortado's table: download its token in ABM, paste it into Cortado's Server token field, OK, No.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from robot.runtime.chromium import launch_options

ACCOUNTS_PATH = "/administration/apps/app-store-accounts"
TOKENS_PATH = "/preferences/payments"  # the "server_tokens" variant the mocks start with


@dataclass(frozen=True)
class Target:
    """Where the mock portals are and how to sign in."""

    abm_url: str
    abm_login: tuple[str, str]
    cortado_url: str
    cortado_login: tuple[str, str]


class Timer:
    """Seconds per kind of step, named as robot/runtime/step_timer.py names them, so the breakdowns line up."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def step(self, kind: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[kind] += time.perf_counter() - started


def renew_all(browser: Browser, target: Target, timer: Timer) -> int:
    """Renews every account Cortado lists; returns how many."""
    cortado_context, abm_context = browser.new_context(), browser.new_context(accept_downloads=True)
    try:
        return _renew_all(abm_context.new_page(), cortado_context.new_page(), target, timer)
    finally:
        abm_context.close()
        cortado_context.close()


def _renew_all(abm: Page, cortado: Page, target: Target, timer: Timer) -> int:
    with timer.step("sign-in"):
        _sign_in_cortado(cortado, target.cortado_url, *target.cortado_login)
    with timer.step("read accounts"):
        locations = cortado.locator("#accounts-body tr td:nth-child(2)")
        locations.first.wait_for()
        names = locations.all_inner_texts()
    with timer.step("sign-in"):
        _sign_in_abm(abm, target.abm_url, *target.abm_login)
    with timer.step("navigation"):
        abm.goto(target.abm_url + TOKENS_PATH)
    for name in names:
        with timer.step("download"), abm.expect_download() as download:
            abm.locator(f'button[data-location="{name}"]').click()
        token = Path(download.value.path()).read_text(encoding="utf-8")
        with timer.step("replace"):
            _replace(cortado, name, token)
    return len(names)


def _sign_in_cortado(page: Page, url: str, username: str, password: str) -> None:
    page.goto(url + ACCOUNTS_PATH)  # the portal sends a signed-out browser to its login page, then back
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_response(lambda r: r.url.endswith("/api/accounts")):
        page.click("button[type=submit]")


def _sign_in_abm(page: Page, url: str, account: str, password: str) -> None:
    page.goto(url)
    widget = page.frame_locator("iframe")
    widget.locator("#account").fill(account)
    widget.locator("#continue").click()
    widget.locator("#password").fill(password)
    with page.expect_navigation():  # the widget hands a grant to the app, which reloads signed in
        widget.locator("#sign-in").click()


def _replace(page: Page, location: str, token: str) -> None:
    page.locator(f'#accounts-body tr:has(td:text-is("{location}"))').click()
    page.click("#account-edit")
    page.fill("#edit-token", token)
    page.click("#edit-ok")
    with page.expect_response(lambda r: r.url.endswith("/api/accounts")):  # the table reloads after No
        page.click("#question-no")


def run(target: Target, timer: Timer) -> int:
    """Start Playwright and launch the browser as the robot does, renew everything, close."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options(playwright))  # type: ignore[arg-type]
        try:
            return renew_all(browser, target, timer)
        finally:
            browser.close()
