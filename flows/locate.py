"""Finding things as a person does, and saying which label was missing when they are not there."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import reduce

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
    return any_role(scope, CLICKABLE_ROLES, name)


def any_role(scope: Scope, roles: Sequence[str], name: re.Pattern[str] | None = None) -> Locator:
    """Elements with any of `roles` (the documented variants of one thing), named `name` if given."""
    return reduce(Locator.or_, (scope.get_by_role(role, name=name) for role in roles))  # type: ignore[arg-type]


def role_in_use(scope: Scope, roles: tuple[str, ...], name: re.Pattern[str] | None = None,
                has: Locator | None = None) -> tuple[str, ...]:
    """The one of `roles` the portal gives the element, else all of them: learned once, so that later lookups
    scan the page for one role, not each variant (a scan costs 2-3 ms on a page of a few hundred elements)."""
    for role in roles:
        if scope.get_by_role(role, name=name).filter(has=has).count():  # type: ignore[arg-type]
            return (role,)
    return roles


def must_see(locator: Locator, step: str, what: str) -> Locator:
    """Wait (auto-waiting, no sleep) until `locator` is visible, else name the missing label.

    wait_for() waits as long as the context's default timeout (ROBOT_TIMEOUT_MS); expect() would stop at 5 s.
    """
    try:
        quickly(lambda timeout: locator.first.wait_for(state="visible", timeout=timeout))
    except PlaywrightTimeoutError:
        raise PageNotAsExpected(step, f"{what} not found on {_where(locator)}") from None
    return locator.first


def click(locator: Locator, step: str, what: str, strict: bool = False) -> None:
    """Click once the element is there; a timeout becomes a message naming the label.

    The click waits for the element itself: a separate look first would cost a round trip per click.
    `strict`: two matching elements are an error, not a choice of the first.
    """
    target = locator if strict else locator.first
    try:
        target.click()
    except PlaywrightError as error:
        if isinstance(error, PlaywrightTimeoutError) and not target.is_visible():
            raise PageNotAsExpected(step, f"{what} not found on {_where(locator)}") from None
        raise PageNotAsExpected(step, f"could not click {what}: {error.message.splitlines()[0]}") from None


def _where(locator: Locator) -> str:
    url = locator.page.url
    return url.split("?", 1)[0] or "the page"
