"""Apple Business Manager, driven as an admin would: sign in, find the token list, download one."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import FrameLocator, Locator, Page, Response

from flows.abm_labels import ABM_LABELS
from flows.errors import CodeRequired, PageNotAsExpected, PortalUnavailable, SignedOut, SignInRejected
from flows.labels import Labels
from flows.locate import Scope, any_role, click, clickable, must_see, role_in_use, squeezed, visible_text
from flows.waiting import done_at_once, first_visible

PORTAL = "Apple Business Manager"
ENTRY_ROLES = ("row", "listitem")
DOWNLOAD_ROLES = ("button", "link")


@dataclass(frozen=True)
class DownloadedToken:
    filename: str
    text: str


CodeSource = Callable[[], str | None]


class AbmFlow:
    def __init__(self, page: Page, labels: Labels = ABM_LABELS, timeout_ms: float = 15_000) -> None:
        self.page = page
        self.labels = labels
        self.timeout_ms = timeout_ms
        self._entry_roles, self._download_roles = ENTRY_ROLES, DOWNLOAD_ROLES  # until the token list shows which

    # -- signing in ---------------------------------------------------------------------------

    def sign_in(self, url: str, account: str, password: str, code: CodeSource) -> bool:
        """Open ABM signed in; returns False when a kept session was still good (no sign-in needed)."""
        step = "ABM sign-in"
        self.page.goto(url)
        # Both are on the page itself, so one wait covers them (first_visible is for page-or-frame).
        first_visible({"app or sign-in": self._account_menu().or_(self._sign_in_frame_element())},
                      self.timeout_ms, step)
        if self._account_menu().is_visible():
            return False
        frame = self._sign_in_frame()
        account_field = frame.get_by_label(self.labels.exact("account_field"))
        must_see(account_field, step, f"the {self.labels.describe('account_field')} field").fill(account)
        password_field = frame.get_by_label(self.labels.exact("password_field"))
        if not password_field.is_visible():
            click(frame.get_by_role("button", name=self.labels.exact("continue")), step,
                  f"the {self.labels.describe('continue')} button")
        must_see(password_field, step, f"the {self.labels.describe('password_field')} field").fill(password)
        click(frame.get_by_role("button", name=self.labels.exact("sign_in")), step,
              f"the {self.labels.describe('sign_in')} button")
        self._finish_sign_in(frame, code)
        return True

    def _finish_sign_in(self, frame: FrameLocator, code: CodeSource) -> None:
        """Wait for the app or for the widget's next question; the widget's answers are one wait, not three.

        The app is the usual outcome, so it gets the first look, re-checked at once (a look at the widget while
        the page reloads into the app took three times its 30 ms); the widget is looked at when it has not come.
        """
        step = "ABM sign-in"
        app = self._account_menu().first
        if done_at_once(lambda timeout: app.wait_for(timeout=timeout)):
            return
        error = frame.get_by_role("alert").filter(has_text=re.compile(r"\S"))
        asks = {
            "code": frame.get_by_text(self.labels.contains("code_prompt")),
            "trust": frame.get_by_role("button", name=self.labels.exact("trust")),
        }
        while first_visible({"app": app, "widget": reduce(Locator.or_, asks.values(), error)},
                            self.timeout_ms, step) != "app":
            if error.first.is_visible():
                raise SignInRejected(step, f"{PORTAL} refused the sign-in: {visible_text(error)}")
            if "trust" in asks and asks["trust"].first.is_visible():
                click(asks.pop("trust"), step, f"the {self.labels.describe('trust')} button")
            elif "code" in asks:
                self._enter_code(frame, code)
                asks.pop("code")

    def _enter_code(self, frame: FrameLocator, code: CodeSource) -> None:
        """Six single-digit boxes: focus the first and type, as a person does."""
        step = "ABM verification code"
        digits = code()
        if not digits:
            raise CodeRequired(step, f"{PORTAL} asks for a six-digit verification code")
        must_see(frame.get_by_role("textbox"), step, "the verification code boxes").click()
        self.page.keyboard.type(digits.strip())

    def _sign_in_frame_element(self) -> Locator:
        titled = self.page.get_by_title(self.labels.exact("sign_in_frame"))
        return titled.or_(self.page.locator("iframe")).first

    def _sign_in_frame(self) -> FrameLocator:
        return self._sign_in_frame_element().content_frame

    def _account_menu(self) -> Locator:
        """The sidebar's account button: its text is the admin's own name, so find it by what it is."""
        if self.labels.variants["account_menu"]:
            return self.page.get_by_role("button", name=self.labels.exact("account_menu"))
        return self.page.get_by_role("navigation").get_by_role("button", expanded=False).last

    # -- the token list -----------------------------------------------------------------------

    def open_token_list(self) -> None:
        """Settings/Preferences > Payments > the token section, whichever of the documented paths the page offers;
        then which roles its entries and Download buttons have."""
        self._go_to_token_list()
        main = self.page.get_by_role("main")
        self._download_roles = role_in_use(main, DOWNLOAD_ROLES, self.labels.exact("download"))
        self._entry_roles = role_in_use(main, ENTRY_ROLES, has=self._download_buttons(self.page))

    def _go_to_token_list(self) -> None:
        step = "ABM token list"
        settings = self.labels.exact("settings")
        in_sidebar = self.page.get_by_role("navigation").get_by_role("link", name=settings)
        must_see(self._account_menu().or_(self._sign_in_frame_element()), step, "the account menu")
        if not self._account_menu().is_visible():
            raise SignedOut(step, f"{PORTAL} showed its sign-in page")
        main = self.page.get_by_role("main")
        section = self.labels.exact("token_section")
        heading, tab = main.get_by_role("heading", name=section), main.get_by_role("tab", name=section)
        shown = heading.or_(main.get_by_role("tab", name=section, selected=True))
        self.page.wait_for_load_state("domcontentloaded")  # the whole page is there before it is judged
        if shown.first.is_visible() and self._download_buttons(main).first.is_visible():
            return  # the page kept from the last run is the token list itself
        if in_sidebar.count():
            click(in_sidebar, step, f"the {self.labels.describe('settings')} link")
        else:
            click(self._account_menu(), step, "the account menu")
            click(self.page.get_by_role("menuitem", name=settings), step,
                  f"the {self.labels.describe('settings')} menu entry")
        click(clickable(main, self.labels.exact("payments")), step, f"the {self.labels.describe('payments')} link")
        must_see(heading.or_(tab), step,
                 f"the {self.labels.describe('token_section')} section")
        if tab.count() and tab.first.get_attribute("aria-selected") != "true":
            click(tab, step, f"the {self.labels.describe('token_section')} tab")
        must_see(self._download_buttons(main), step, f"a {self.labels.describe('download')} button")

    def entries_named(self, locations: Sequence[str]) -> dict[str, int]:
        """How many entries of the open token list are named exactly each location, from one read of it all.

        An entry is named a location when a cell or line of its text is exactly that location. Where this
        does not find exactly one (a page may run a name into other text), the entries are counted by their
        elements instead, so a location is never reported missing or doubled on the strength of the texts.
        """
        entries = any_role(self.page.get_by_role("main"), self._entry_roles)
        parts = [{squeezed(part) for part in re.split(r"[\t\n]", text)} for text in entries.all_inner_texts()]
        found = {location: sum(location in entry for entry in parts) for location in locations}
        return {location: 1 if count == 1 else self._entries_for(location) for location, count in found.items()}

    def _entries_for(self, location: str) -> int:
        """How many entries of the open token list are named exactly this location (one is wanted)."""
        return self._location_entry(location).count()

    def download_token(self, location: str) -> DownloadedToken:
        """Click the location's Download and return the file; a server error is reported at once.

        The click is strict, so a second entry with that name is never downloaded from; entries_named() tells
        beforehand whether the entry is there, which the click would wait for as long as the timeout.
        """
        step = f"ABM download for {location}"
        entries = self._location_entry(location)
        with self.page.expect_download() as download_info:
            with self.page.expect_response(_download_answer) as answer_info:
                try:
                    click(self._download_buttons(entries), step, f"the {self.labels.describe('download')} button",
                          strict=True)
                except PageNotAsExpected:
                    count = entries.count()
                    if count != 1:
                        raise PageNotAsExpected(step, f'{count} entries named exactly "{location}" in the token list'
                                                ) from None
                    raise
            status = answer_info.value.status
            if status in (401, 403):
                raise SignedOut(step, f"{PORTAL} refused the download (HTTP {status}): the session has ended")
            if status >= 400:
                raise PortalUnavailable(step, f"{PORTAL} answered the download with HTTP {status}")
        download = download_info.value
        try:
            path = download.path()  # raises for a failed or cancelled download, so failure() would add nothing
        except PlaywrightError as error:
            raise PortalUnavailable(step, f"the download did not arrive: {error.message}") from None
        return DownloadedToken(download.suggested_filename, path.read_text(encoding="utf-8"))

    def _location_entry(self, location: str) -> Locator:
        name = self.page.get_by_text(location, exact=True)  # inner locators are relative to the entry
        return any_role(self.page.get_by_role("main"), self._entry_roles).filter(has=name)

    def _download_buttons(self, scope: Scope) -> Locator:
        return any_role(scope, self._download_roles, self.labels.exact("download"))


def _download_answer(response: Response) -> bool:
    """The answer to the click: an attachment, or an error instead of one."""
    if response.headers.get("content-disposition", "").startswith("attachment"):
        return True
    if response.status >= 500 or response.status in (401, 403):  # a fetch refused for an ended session, too
        return True
    return response.status >= 400 and response.request.is_navigation_request()
