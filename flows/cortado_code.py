"""Cortado's two-factor step, as a person does it: the authenticator code typed into the field that asks for it,
"remember this machine" ticked when it is offered, the button beside the field pressed, the portal's answer read.

The codes come from elsewhere (robot/portals/authenticator_code.py): computed from the secret, asked at a
terminal, or typed by a person in the browser window. Recovery codes are never used.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from flows.errors import CodeRefused, CodeRequired
from flows.labels import Labels
from flows.locate import (
    Found,
    Rungs,
    any_of,
    checkbox,
    clickable,
    errors_shown,
    field,
    first_of,
    message,
    nearest,
    not_found,
    on_form,
    refusal,
)

log = logging.getLogger("robot")
PORTAL = "Cortado"
STEP = "Cortado authenticator code"


def no_code(attempt: int) -> str | None:
    return None


@dataclass(frozen=True)
class Codes:
    """Where the authenticator codes come from."""

    next_code: Callable[[int], str | None] = no_code  # the code for the n-th try (0 first); None: no (more) codes
    person_wait_ms: float | None = None  # a person types the code in the browser window: how long to wait for it


class CodeStep:
    def __init__(self, page: Page, labels: Labels, timeout_ms: float) -> None:
        self.page = page
        self.labels = labels
        self.timeout_ms = timeout_ms

    def prompt(self) -> Rungs:
        """The field that asks for the code."""
        return field(self.labels.exact("code_field"))

    def answer(self, prompt: Found, codes: Codes, app: Rungs) -> None:
        """Enter codes until the app shows; a refused code is followed by the next one the source gives."""
        if codes.person_wait_ms is not None:
            self._wait_for_person(app, codes.person_wait_ms)
            return
        baseline = errors_shown(prompt.frame)  # words the step itself shows, such as its instructions
        said = ""
        for attempt in itertools.count():
            code = codes.next_code(attempt)
            if code is None and attempt == 0:
                raise CodeRequired(STEP, f"{PORTAL} asks for an authenticator code")
            if code is None:
                raise CodeRefused(STEP, f"{PORTAL} refused the authenticator code: {said}")
            shown = self._submit(prompt, code, app, baseline)
            if shown.name == "app":
                return
            said = message(shown, self._refusal(baseline))
            log.warning("%s refused the authenticator code (try %d)", PORTAL, attempt + 1)
            prompt = self._prompt_again()

    def _submit(self, prompt: Found, code: str, app: Rungs, baseline: list[str]) -> Found:
        """Type the code, tick "remember this machine", press the field's own button; the app or a refusal."""
        frame = prompt.frame
        stale = any_of(frame, refusal(baseline)).element_handles()  # the last refusal, still on show
        prompt.element.fill(code)
        remember = nearest(prompt.element, frame, checkbox(self.labels.exact("remember_machine")))
        if remember:
            remember[0].check()
        verify = nearest(prompt.element, frame, clickable(self.labels.exact("verify")))
        if not verify:
            raise not_found(self.page, STEP, f"the {self.labels.describe('verify')} button", self.labels, "verify")
        with self.page.expect_response(lambda response: response.request.method == "POST") as answered:
            verify[0].click()
        if answered.value.request.is_navigation_request():
            for element in stale:  # the answer is a new page: the old one's refusal must not be read as it
                with suppress(PlaywrightError):  # gone with its page, as it should be
                    element.wait_for_element_state("hidden")
        shown = first_of(self.page, {"app": app, "refused": self._refusal(baseline)}, self.timeout_ms)
        if shown is None:
            raise not_found(self.page, STEP, "the portal after the authenticator code", self.labels, "administration")
        return shown

    def _refusal(self, baseline: list[str]) -> Rungs:
        return on_form(self.prompt(), refusal(baseline))

    def _prompt_again(self) -> Found:
        found = first_of(self.page, {"code": self.prompt()}, self.timeout_ms)
        if found is None:
            raise not_found(self.page, STEP, f"the {self.labels.describe('code_field')} field", self.labels,
                            "code_field")
        return found

    def _wait_for_person(self, app: Rungs, wait_ms: float) -> None:
        log.warning("%s asks for an authenticator code: type it in the browser window (waiting up to %.0f s)",
                    PORTAL, wait_ms / 1000)
        if first_of(self.page, {"app": app}, wait_ms) is None:
            raise CodeRequired(STEP, f"no authenticator code was entered in the browser window within "
                                     f"{wait_ms / 1000:.0f} s")
