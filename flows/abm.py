"""Apple Business (Manager), driven as an admin would: sign in, find the token list, download one."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from urllib.parse import urlsplit

from playwright.sync_api import Download, ElementHandle, Frame, Locator, Page, Response
from playwright.sync_api import Error as PlaywrightError

from flows.abm_labels import ABM_LABELS
from flows.errors import (
    CodeRefused,
    CodeRequired,
    HandedOver,
    PageNotAsExpected,
    PortalUnavailable,
    SignedOut,
    SignInRejected,
)
from flows.labels import Labels
from flows.locate import (
    GLANCE_MS,
    Found,
    Rungs,
    action,
    any_of,
    as_js,
    button_or_link,
    clickable,
    elsewhere,
    errors_shown,
    field,
    find,
    first_line,
    first_of,
    message,
    nearest,
    not_found,
    on_form,
    origin,
    refusal,
    text,
)
from flows.page_js import COMPOSED
from flows.tables import Pages, in_entry

log = logging.getLogger("robot")
PORTAL = "Apple Business Manager"
APPLE = "apple.com"  # Apple's own sign-in pages are on its hosts; a federated domain's are not
CODE_BOXES = ("textbox", "spinbutton")

# The code for the n-th try (0 first); None when no one can give one (more).
CodeSource = Callable[[int], str | None]

# Is the element an entry of the app's own menu (the sidebar with Activity, Devices, ...)? Its group, the
# smallest part of the page around it with a few other texts, holds two or more of those entries, itself one of
# them where it is named as one (a sidebar of only Devices and Apps and Books). The token's way leads through
# Settings, never through the sidebar entry that shares its name ("Apps and Books").
IN_APP_MENU = "(el, homes) => {" + COMPOSED + """
  const patterns = homes.map(([source, flags]) => new RegExp(source, flags));
  const home = t => patterns.some(p => p.test(t));
  const own = e => ([...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join(' ')
                    || e.getAttribute('aria-label') || '').replace(/\\s+/g, ' ').trim();
  const itself = home(shownText(el).replace(/\\s+/g, ' ').trim()) ? 1 : 0;
  for (let up = parentOf(el); up; up = parentOf(up)) {
    const texts = inside(up).filter(e => !holds(el, e) && !holds(e, el) && e.checkVisibility())
                            .map(own).filter(Boolean);
    if (texts.length >= 3) return texts.filter(home).length + itself >= 2;
  }
  return false;
}"""


@dataclass(frozen=True)
class DownloadedToken:
    filename: str
    text: str


class AbmFlow:
    def __init__(self, page: Page, labels: Labels = ABM_LABELS, timeout_ms: float = 15_000,
                 org_name: str | None = None) -> None:
        self.page = page
        self.labels = labels
        self.timeout_ms = timeout_ms
        self.org_name = org_name  # the account menu shows it beside the admin's name
        self._sign_in_origins: set[str] = set()  # the page's and its sign-in widget's, as the sign-in began

    # -- signing in ---------------------------------------------------------------------------

    def sign_in(self, url: str, account: str, password: str, code: CodeSource,
                person_wait_ms: float | None = None) -> bool:
        """Open ABM signed in; returns False when a kept session was still good (no sign-in needed).
        `person_wait_ms`: a person answers the code and trust questions in the browser window; how long to wait."""
        step = "ABM sign-in"
        self.page.goto(url)
        shown = first_of(self.page, {"app": self._app(), "sign-in": self._field("account_field")}, self.timeout_ms)
        if shown is None:
            raise not_found(self.page, step, f"the {self.labels.describe('account_field')} field",
                            self.labels, "account_field")
        if shown.name == "app":
            return False
        shown.element.fill(account)
        self._sign_in_origins = {origin(frame.url) for frame in self.page.frames}
        self._password_step().element.fill(password)
        before = [words for frame in self.page.frames for words in errors_shown(frame)]
        self._find(self._clickable("sign_in"), step, "sign_in", "button").element.click()
        self._finish_sign_in(code, before, person_wait_ms)
        return True

    def _password_step(self) -> Found:
        """The password field, after Continue where the account is asked first; an account of a federated domain is
        handed to its identity provider instead, which the robot cannot sign in at."""
        step = "ABM sign-in"
        candidates = {"password": self._field("password_field"), "continue": self._clickable("continue"),
                      "elsewhere": self._handed_over()}
        while True:
            shown = first_of(self.page, candidates, self.timeout_ms)
            if shown is None:
                raise not_found(self.page, step, f"the {self.labels.describe('password_field')} field",
                                self.labels, "password_field")
            if shown.name == "elsewhere":
                raise HandedOver(step, urlsplit(shown.frame.url).netloc)
            if shown.name == "password":
                return shown
            shown.element.click()
            candidates.pop("continue")

    def _handed_over(self) -> Rungs:
        """The page gone from ABM's and its sign-in widget's origins, and from Apple's, to another site's."""
        def own(site: str) -> bool:
            host = urlsplit(site).hostname or ""
            return site in self._sign_in_origins or host == APPLE or host.endswith("." + APPLE)
        return elsewhere(own)

    def _finish_sign_in(self, code: CodeSource, errors_before: list[str], person_wait_ms: float | None) -> None:
        """Answer the widget's questions (the code, whether to trust this browser) until the app shows."""
        step = "ABM sign-in"
        asks: dict[str, Rungs] = {"code": self._code_prompt(), "trust": self._clickable("trust")}
        widget = self._widget()
        while True:
            refused = on_form(widget, refusal(errors_before))
            # Whether to trust this browser is asked once the sign-in is taken: its words ("... not enter the code
            # again") are no refusal.
            trust = {"trust": asks["trust"]} if "trust" in asks else {}
            shown = first_of(self.page, {"app": self._app(), **trust, "refused": refused, **asks,
                                         "elsewhere": self._handed_over()}, self.timeout_ms)
            if shown is None:
                raise not_found(self.page, step, "the app after signing in", self.labels, "app_home")
            if shown.name == "app":
                return
            if shown.name == "elsewhere":
                raise HandedOver(step, urlsplit(shown.frame.url).netloc)
            if shown.name == "refused":
                raise SignInRejected(step, f"{PORTAL} refused the sign-in: {message(shown, refused)}")
            if person_wait_ms is not None:
                self._wait_for_person(person_wait_ms)
                return
            asks.pop(shown.name)
            if shown.name == "trust":
                shown.element.click()
            else:
                errors_before = [*errors_before, *self._answer_code(shown, code, errors_before)]

    def _widget(self) -> Rungs:
        """The sign-in widget's steps that a refusal stands on: the password, the verification code."""
        password, code = self._field("password_field"), self._code_prompt()
        return lambda frame: (*password(frame), *code(frame))

    def _code_prompt(self) -> Rungs:
        return text(self.labels.contains("code_prompt"))

    def _wait_for_person(self, wait_ms: float) -> None:
        log.warning("%s asks for a verification code: type it in the browser window and answer whether to trust "
                    "the browser (waiting up to %.0f s)", PORTAL, wait_ms / 1000)
        if first_of(self.page, {"app": self._app()}, wait_ms) is None:
            raise CodeRequired("ABM verification code", f"no verification code was entered in the browser window "
                                                        f"within {wait_ms / 1000:.0f} s")

    def _answer_code(self, prompt: Found, code: CodeSource, errors_before: list[str]) -> list[str]:
        """Codes typed until ABM takes one; returns what ABM said to the refused ones, which may stay on show."""
        step = "ABM verification code"
        said: list[str] = []
        while True:
            digits = code(len(said))
            if not digits and not said:
                raise CodeRequired(step, f"{PORTAL} asks for a six-digit verification code")
            if not digits:
                raise CodeRefused(step, f"{PORTAL} refused the verification code: {said[-1]}")
            if self._enter_code(prompt, digits):
                return said
            # The refusal may show the same words as the last one, so ABM's answer, not the page, says it came.
            shown = first_of(self.page, {"refused": refusal(errors_before)}, self.timeout_ms)
            said.append(message(shown, refusal(errors_before)) if shown else "the code was refused")

    def _enter_code(self, prompt: Found, digits: str) -> bool:
        """Six single-digit boxes beside the prompt: focus the first and type, as a person does; the widget sends
        the code by itself. Whether ABM took it."""
        frame = prompt.frame
        beside = nearest(prompt.element, frame, lambda scope: [scope.get_by_role(role) for role in CODE_BOXES])
        if not beside:
            raise PageNotAsExpected("ABM verification code", "no boxes for the code beside the prompt")
        beside[0].click()
        with self.page.expect_response(lambda response: response.request.method == "POST") as answered:
            self.page.keyboard.type(digits.strip())
        return answered.value.ok

    def _app(self) -> Rungs:
        """What a signed-in admin sees: the sidebar's entries, the account menu, the way to the tokens."""
        home, menu = self._clickable("app_home"), self._account_menu()
        settings, download = self._clickable("settings"), self._downloads()
        return lambda frame: (*home(frame), *menu(frame), *settings(frame), *download(frame))

    def _account_menu(self) -> Rungs:
        """The button with the admin's own name: named in the labels file, else a button that opens a menu, or
        one that shows the organisation's name."""
        named = self._clickable("account_menu") if self.labels.variants["account_menu"] else None
        org = re.compile(re.escape(self.org_name), re.IGNORECASE) if self.org_name else None

        def rungs(frame: Frame | Locator) -> tuple[Locator, ...]:
            found = [frame.locator("[aria-haspopup=menu], [aria-haspopup=true]")]
            if org:
                found.append(frame.get_by_role("button", name=org).or_(frame.get_by_text(org)))
            return (*(named(frame) if named else ()), *found)
        return rungs

    # -- the token list -----------------------------------------------------------------------

    def open_token_list(self) -> None:
        """Settings (or Preferences, in the account menu) > Payments > the token section, one after the other as
        the documented paths go; wherever the token list shows, the way ends."""
        step = "ABM token list"
        for key in ("settings", "payments", "token_section"):
            # The way on is named by the label, or starts with it (an entry with a line of details under its
            # title). A Download named by more than the label may be another page's ("Download invoice"): the way
            # on comes first.
            candidates = {"list": self._listed(), key: self._way(key),
                          "named list": self._downloads(), "sign-in": self._signed_out()}
            while True:
                if key == "settings":
                    candidates["menu"] = self._account_menu()
                shown = first_of(self.page, candidates, self.timeout_ms)
                if shown is None:
                    raise not_found(self.page, step, f"the {self.labels.describe(key)} link", self.labels, key)
                if shown.name == "sign-in":
                    raise SignedOut(step, f"{PORTAL} showed its sign-in page")
                way = None if "list" in shown.name else self._outside_app_menu(shown, candidates[shown.name])
                if way is None:
                    return
                way.click()
                self.page.wait_for_load_state("domcontentloaded")
                if shown.name != "menu":
                    break
                candidates.pop("menu")  # opened: now its entries

    def _way(self, key: str) -> Rungs:
        """A way on named by the label; of several on show (an account menu with both "Settings" and "Preferences"),
        the one named by the variant that comes first (the current name before an older one)."""
        each = [action(labels, key) for labels in self.labels.one_by_one(key)]
        return lambda frame: tuple(rung for rungs in each for rung in rungs(frame))

    def _outside_app_menu(self, shown: Found, rungs: Rungs) -> Locator | ElementHandle | None:
        """Of the elements found, the first that is not an entry of the app's own menu; None once the token list
        shows instead (the page was still bringing it up). All are looked at again each time one more shows: the
        page they are on may have been replaced meanwhile. When nothing else shows, the one found."""
        if shown.name != "token_section":
            return shown.element
        homes = [as_js(self.labels.exact("app_home"))]
        matches = any_of(shown.frame, rungs)
        listed = any_of(shown.frame, self._listed())
        while True:
            if listed.count():
                return None
            elements = matches.element_handles()  # each looked at as found: a look by the locator searches again
            for element in elements:
                with suppress(PlaywrightError):  # gone with the page it was on: the next look has the new one
                    if not element.evaluate(IN_APP_MENU, homes):
                        return element
            try:
                matches.nth(len(elements)).or_(listed).first.wait_for(state="attached")
            except PlaywrightError:
                return shown.element

    def entries_named(self, locations: Sequence[str]) -> dict[str, int]:
        """How many entries of the token list, on every page of it, are named exactly each location."""
        frame = self._list_frame(locations)
        counts = dict.fromkeys(locations, 0)

        def count_page() -> None:
            for location in locations:
                counts[location] += frame.get_by_text(location, exact=True).filter(visible=True).count()

        Pages(frame, self.labels, self.timeout_ms).every_page(count_page)
        return counts

    def download_token(self, location: str) -> DownloadedToken:
        """Click the location's own Download and return the file. An error the page shows, or the server's
        refusal, ends the wait at once."""
        step = f"ABM download for {location}"
        frame, button = self._download_button(location, step)
        downloads: list[Download] = []
        refusals: list[int] = []

        def arrived(download: Download) -> None:
            downloads.append(download)

        def record(response: Response) -> None:
            if response.status >= 400:
                refusals.append(response.status)

        opened: list[Page] = []

        def watch(page: Page) -> None:  # a Download that opens a tab of its own is delivered there
            opened.append(page)
            page.on("download", arrived)
            page.on("response", record)

        watch(self.page)
        self.page.context.on("page", watch)
        try:
            before = errors_shown(frame)
            button.click()
            self._wait_for_download(downloads, refusals, before, step)
            return _saved(downloads[0], step)
        finally:
            self.page.context.remove_listener("page", watch)
            self.page.remove_listener("download", arrived)
            self.page.remove_listener("response", record)
            for tab in opened[1:]:  # closed once the file is in, as a person closes it
                with suppress(PlaywrightError):
                    tab.close()

    def find_download(self, location: str) -> None:
        """Find the location's own Download without clicking it (a unit may be selected to show it)."""
        self._download_button(location, f"ABM download for {location}")

    def _download_button(self, location: str, step: str) -> tuple[Frame, Locator]:
        """The location's own Download, wherever the token list shows its entry; the frame it is in."""
        frame = self._list_frame([location])
        entry = frame.get_by_text(location, exact=True).filter(visible=True)
        if not Pages(frame, self.labels, self.timeout_ms).show(entry, location):
            raise PageNotAsExpected(step, f'no entry named exactly "{location}" in the token list')
        return frame, in_entry(frame, location, step=step, labels=self.labels, key="download",
                               timeout_ms=self.timeout_ms, select=True)

    def _wait_for_download(self, downloads: list[Download], refusals: list[int], errors_before: list[str],
                           step: str) -> None:
        """Wait until the browser has the download, or the page shows an error, or the session ended. A dialog
        that asks whether to download is answered with its Download (or Yes, OK), once."""
        answers = [self.labels.exact("download"), self.labels.exact("confirm_download")]
        wanted = {"error": refusal(errors_before), "sign-in": self._signed_out(),
                  "asked": lambda frame: tuple(frame.get_by_role("dialog").or_(frame.get_by_role("alertdialog"))
                                               .get_by_role("button", name=name) for name in answers)}
        deadline = time.monotonic() + self.timeout_ms / 1000
        while not downloads:
            # the download ends this wait as soon as it arrives; a look at the page follows each glance without it
            with suppress(PlaywrightError):
                self.page.wait_for_event("download", timeout=GLANCE_MS)
            if downloads:
                return
            if refusals and refusals[-1] in (401, 403):
                raise SignedOut(step, f"{PORTAL} refused the download (HTTP {refusals[-1]}): the session has ended")
            status = f" with HTTP {refusals[-1]}" if refusals else ""
            shown = first_of(self.page, wanted, 0)
            if shown is not None and shown.name == "sign-in":
                raise SignedOut(step, f"{PORTAL} showed its sign-in page")
            if shown is not None and shown.name == "asked":
                shown.element.click()
                wanted.pop("asked")
                continue
            if shown is not None:
                status = status or self._refusal_status(refusals)
                raise PortalUnavailable(step, f"{PORTAL} answered the download{status}: "
                                              f"{message(shown, wanted['error'])}")
            if time.monotonic() > deadline:
                raise PortalUnavailable(step, f"no download arrived{status}")

    def _refusal_status(self, refusals: list[int]) -> str:
        """The HTTP status of the answer the page's error stands for: the page may show it before the browser
        reports the answer, so the report is waited for a moment."""
        if not refusals:  # none may stand for it: then the page's own text says it all
            with suppress(PlaywrightError):
                self.page.wait_for_event("response", lambda response: response.status >= 400, timeout=GLANCE_MS * 2)
        return f" with HTTP {refusals[-1]}" if refusals else ""

    def _list_frame(self, locations: Sequence[str]) -> Frame:
        """The frame of the token list: its Downloads, or its entries where a unit's Download shows only once the
        unit is selected."""
        downloads = self._downloads()

        def listed(frame: Frame | Locator) -> tuple[Locator, ...]:
            return (*downloads(frame), *(frame.get_by_text(location, exact=True) for location in locations))
        return self._find(listed, "ABM token list", "download", "button").frame

    def _signed_out(self) -> Rungs:
        return self._field("account_field")

    def _find(self, rungs: Rungs, step: str, key: str, kind: str) -> Found:
        return find(self.page, rungs, step, f"the {self.labels.describe(key)} {kind}", self.timeout_ms,
                    labels=self.labels, key=key)

    def _field(self, key: str) -> Rungs:
        return field(self.labels.exact(key))

    def _clickable(self, key: str) -> Rungs:
        return clickable(self.labels.exact(key))

    def _listed(self) -> Rungs:
        """The token list on show: a Download, or a row on show (of a list, not of a layout) that holds one that
        shows only under the pointer."""
        return self._with_rows_of(self._clickable("download"))

    def _downloads(self) -> Rungs:
        """The list's Download buttons, also those named by more than the label."""
        return self._with_rows_of(action(self.labels, "download"))

    def _with_rows_of(self, downloads: Rungs) -> Rungs:
        exact = self.labels.exact("download")

        def rungs(frame: Frame | Locator) -> tuple[Locator, ...]:
            hidden = button_or_link(frame, exact, include_hidden=True)
            rows = frame.get_by_role("row", include_hidden=True)  # a row of a layout holds others: never that one
            return (*downloads(frame), frame.get_by_role("row").filter(has=hidden).filter(has_not=rows))
        return rungs


def _saved(download: Download, step: str) -> DownloadedToken:
    try:
        path = download.path()  # raises for a failed or cancelled download
    except PlaywrightError as error:
        raise PortalUnavailable(step, f"the download did not arrive: {first_line(error)}") from None
    return DownloadedToken(download.suggested_filename, path.read_text(encoding="utf-8"))

