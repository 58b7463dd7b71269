"""Finding things as a person does, and saying which label was missing when they are not there."""

from __future__ import annotations

import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import FrameLocator, Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from flows.errors import PageNotAsExpected
from flows.waiting import quickly

Scope = Page | Locator | FrameLocator

# The roles a person would click to move on: the same words appear as links, tabs or menu entries.
CLICKABLE_ROLES = ("link", "button", "menuitem", "tab")


def squeezed(text: str) -> str:
    """Text as a person reads it: line breaks and runs of spaces from the page's layout are one space."""
    return " ".join(text.split())


def visible_text(locator: Locator) -> str:
    return squeezed(locator.first.inner_text())


def all_texts(locator: Locator) -> list[str]:
    return [squeezed(text) for text in locator.all_inner_texts()]


def clickable(scope: Scope, name: re.Pattern[str]) -> Locator:
    """Anything named `name` that a person could click, whatever role the portal gave it."""
    found = scope.get_by_role(CLICKABLE_ROLES[0], name=name)
    for role in CLICKABLE_ROLES[1:]:
        found = found.or_(scope.get_by_role(role, name=name))  # type: ignore[arg-type]
    return found


def must_see(locator: Locator, step: str, what: str) -> Locator:
    """Wait (auto-waiting, no sleep) until `locator` is visible, else name the missing label.

    wait_for() waits as long as the context's default timeout (ROBOT_TIMEOUT_MS); expect() would stop at 5 s.
    """
    try:
        quickly(lambda timeout: locator.first.wait_for(state="visible", timeout=timeout))
    except PlaywrightTimeoutError:
        raise PageNotAsExpected(step, f"{what} not found on {_where(locator)}") from None
    return locator.first


def click(locator: Locator, step: str, what: str) -> None:
    """Click once the element is there; a timeout becomes a message naming the label.

    The click waits for the element itself: a separate look first would cost a round trip per click.
    """
    target = locator.first
    try:
        target.click()
    except PlaywrightError as error:
        if isinstance(error, PlaywrightTimeoutError) and not target.is_visible():
            raise PageNotAsExpected(step, f"{what} not found on {_where(locator)}") from None
        raise PageNotAsExpected(step, f"could not click {what}: {error.message.splitlines()[0]}") from None


def _where(locator: Locator) -> str:
    url = locator.page.url
    return url.split("?", 1)[0] or "the page"
