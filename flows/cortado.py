"""Cortado's admin portal, driven as in Cortado's how-to: read the accounts, replace one token, answer No."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import reduce

from playwright.sync_api import ElementHandle, Frame, Locator, Page, Response
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from flows.cortado_code import Codes, CodeStep
from flows.cortado_labels import CORTADO_LABELS, FORBIDDEN_ANSWERS
from flows.errors import PageNotAsExpected, PortalUnavailable, SignedOut, SignInRejected, TokenRefused
from flows.labels import LabelFileError, Labels
from flows.locate import (
    POINTER,
    Found,
    Rungs,
    any_of,
    as_shown,
    button_or_link,
    by_role,
    clickable,
    errors_shown,
    every_frame,
    field,
    find,
    first_line,
    first_of,
    menu_entry,
    message,
    nearest,
    not_found,
    on_form,
    refusal,
    tab_hiding,
    text,
    title_hiding,
)
from flows.page_js import COMPOSED
from flows.tables import Columns, Pages, in_entry, read_rows, wait_for_rows

PORTAL = "Cortado"
NO_CODES = Codes()
COLUMNS = ("name_column", "location_column", "valid_until_column")
# A way to the accounts found by its text alone, not by a clickable role: told apart in the order of the look.
AS_TEXT = " (text)"
# Does the form around the token field show this account's name, as a line or a table cell of its own, a field's
# value, a quoted name, or a title that goes on after a dash ("München - Saved")? The form is the smallest part of
# the page around the field that holds its OK.
SHOWS_NAME = "(field, [name, ok]) => {" + COMPOSED + """
  const norm = s => (s || '').replace(/\\s+/g, ' ').trim();
  let form = parentOf(field);
  while (parentOf(form) && !holds(form, ok)) form = parentOf(form);
  const lines = shownText(form).split(/[\\n\\t]/).map(norm);  // a table's cells are apart as lines are
  const values = inside(form).filter(e => e.matches('input, select')).map(input => norm(input.value));
  return lines.includes(name) || values.includes(name)
      || lines.some(line => [`"${name}"`, `„${name}“`, `: ${name}`].some(shown => line.includes(shown))
                            || [' - ', ' \\u2013 ', ' \\u2014 '].some(dash => line.startsWith(name + dash)));
}"""
# Does the page show the pointer over the element, as over what it means to be clicked (text inherits it)?
# Is this No the answer to a question? Around it, before anything else with its text, stand a Yes and a question.
ASKS = "(no) => {" + COMPOSED + """
  // what a button says: its text, else its caption (a submit's value, an image's alt text, an aria-label)
  const words = e => String(shownText(e) || e.value || e.alt || e.getAttribute('aria-label')
                             || [...e.querySelectorAll('img[alt]')].map(img => img.alt).join(' ')).trim().toLowerCase();
  const says = (e, texts) => texts.includes(words(e)) && e.checkVisibility();
  if (!words(no)) return false;
  let answered = false;
  for (let up = parentOf(no); up; up = parentOf(up)) {
    const around = inside(up).filter(e => !holds(e, no) && !holds(no, e));
    if (around.some(e => says(e, [words(no)]))) return false;
    answered = answered || around.some(e => says(e, ['yes', 'ja']));
    if (answered && shownText(up).includes('?')) return true;
  }
  return false;
}"""


@contextmanager
def _closing_its_frame(frame: Frame) -> Iterator[None]:
    """Acts on a form or a question that may close the frame or window that holds it (a dialog's iframe, a popup)
    as they are done: their closing may end the act, and is no error."""
    try:
        yield
    except PlaywrightError:
        if not (frame.is_detached() or frame.page.is_closed()):
            raise


# Is the element in a link to another page in its own frame (not to a place in this page, nor to another window or
# frame)?
LINK_AWAY = """el => {
  const link = el.closest('a[href]');
  return !!link && !link.getAttribute('href').startsWith('#') && link.protocol.startsWith('http')
      && ['', '_self'].includes(link.target);
}"""


@dataclass(frozen=True)
class AccountRow:
    """One row of App-Store accounts as the portal shows it (texts, not yet interpreted)."""

    name: str
    location: str
    valid_until: str


class CortadoFlow:
    def __init__(self, page: Page, labels: Labels = CORTADO_LABELS, timeout_ms: float = 15_000) -> None:
        no = labels.exact("no")
        if any(no.match(answer) for answer in FORBIDDEN_ANSWERS):
            raise LabelFileError(f"the Cortado label for No must not match {', '.join(FORBIDDEN_ANSWERS)}")
        self.page = page
        self.labels = labels
        self.timeout_ms = timeout_ms
        self._server_errors: list[int] = []  # HTTP statuses >= 500 the page got while a save was answered
        # Where the table was left for a page of the account's own, shown now: the frame and the table's address.
        self._table_left: tuple[Frame, str] | None = None

    # -- signing in ---------------------------------------------------------------------------

    def sign_in(self, url: str, username: str, password: str, codes: Codes = NO_CODES) -> bool:
        """Open the portal signed in, answering its two-factor step with `codes` when it asks; returns False when a
        kept session was still good."""
        step = "Cortado sign-in"
        self.page.goto(url)
        app, login = self._app(), field(self.labels.exact("username"))
        shown = first_of(self.page, {"app": app, "login": login}, self.timeout_ms)
        if shown is None:
            raise not_found(self.page, step, f"the {self.labels.describe('username')} field or the "
                            f"{self.labels.describe('administration')} menu", self.labels, "administration")
        if shown.name == "app":
            return False
        shown.element.fill(username)
        self._find(field(self.labels.exact("password")), step, "password", "field").element.fill(password)
        before = errors_shown(shown.frame)
        self._find(self._clickable("log_in"), step, "log_in", "button").element.click()
        code_step = CodeStep(self.page, self.labels, self.timeout_ms)
        refused = on_form(field(self.labels.exact("password")), refusal(before))
        outcome = first_of(self.page, {"app": app, "code": code_step.prompt(), "refused": refused}, self.timeout_ms)
        if outcome is None:
            raise not_found(self.page, step, "the portal after signing in", self.labels, "administration")
        if outcome.name == "refused":
            raise SignInRejected(step, f"{PORTAL} refused the sign-in: {message(outcome, refused)}")
        if outcome.name == "code":
            code_step.answer(outcome, codes, app)
        return True

    # -- App-Store accounts -------------------------------------------------------------------

    def open_accounts(self) -> None:
        """Administration > Apps > App-Store accounts, as in the how-to; a step already passed is not repeated
        (the farthest one the page offers is taken)."""
        step = "Cortado App-Store accounts"
        path = ["administration", "apps", "accounts_tab"]
        self._table_left, unfolded = None, False
        while path:
            # Each step by a role before any by its text alone: a person takes the menu's button before words that
            # may be a mere caption ("12 App-Store accounts" on a dashboard's tile).
            steps = list(reversed(path))
            candidates = {"table": self._header(), **{key: by_role(self.labels.exact(key)) for key in steps},
                          **{f"{key}{AS_TEXT}": as_shown(self.labels.exact(key)) for key in steps},
                          **({} if unfolded else {"folded": self._folded_over(steps)})}
            try:
                shown = self._signed_in(candidates, step, f"the {self.labels.describe(path[0])} link", path[0])
            except PageNotAsExpected:
                if unfolded or not self._unfold():
                    raise
                unfolded = True
                continue
            if shown.name == "table":
                return
            if shown.name == "folded":
                shown.element.click()
                unfolded = True
                continue
            shown = self._pointed_at(shown, steps)
            shown.element.click()
            unfolded = False
            path = path[path.index(shown.name.removesuffix(AS_TEXT)) + 1:]
        self._table(step)

    def read_accounts(self) -> list[AccountRow]:
        """Every account on every page of the table."""
        step = "Cortado reading accounts"
        frame = self._table(step)
        if not wait_for_rows(frame, self._columns(), "rows => rows.length > 0", None, self.timeout_ms):
            raise self._no_rows(frame, step)
        rows: list[AccountRow] = []

        def read_page() -> None:
            for row in read_rows(frame, self._columns()) or []:
                account = AccountRow(row["name_column"], row["location_column"], row["valid_until_column"])
                if account not in rows:
                    rows.append(account)

        Pages(frame, self.labels, self.timeout_ms).every_page(read_page)
        if not rows:  # the rows were gone by the time the pages were walked
            raise self._no_rows(frame, step)
        return rows

    def replace_token(self, location: str, token_text: str, looked_at: Callable[[str], None] | None = None
                      ) -> None:
        """Select the account, Edit, put the new token in "Server token" (the old text replaced, as the how-to
        asks), OK, then answer No. Nothing is saved unless the form shows this account's name. `looked_at` sees
        the token the form holds first; if it raises, the form is cancelled and nothing is saved."""
        step = f"Cortado replacing the token of {location}"
        token_field, ok = self._open_form(location, step)
        if looked_at:
            try:
                looked_at(token_field.element.input_value())
            except BaseException:
                self._cancel(token_field, step)
                raise
        token_field.element.fill(token_text)
        self._server_errors.clear()
        self.page.on("response", self._note_server_error)
        try:
            before = errors_shown(token_field.frame)
            self._click_ok(ok, token_field, step)
            self._answer_no(token_field, before, step)
        finally:
            self.page.remove_listener("response", self._note_server_error)

    def installed_token(self, location: str) -> str:
        """The token the account holds, read from its edit form, which is then cancelled: nothing is saved."""
        step = f"Cortado reading the installed token of {location}"
        token_field, _ = self._open_form(location, step)
        try:
            return token_field.element.input_value()
        finally:
            self._cancel(token_field, step)

    def _open_form(self, location: str, step: str) -> tuple[Found, ElementHandle]:
        """The account's edit form, made sure to be the account's: its token field and its OK (as found: looking for
        it again would search the whole page)."""
        frame = self._table(step)
        name = self._shown(frame, location, step)
        table_at = frame.url
        edit = self._edit(frame, location, step)
        if edit is not None:
            edit.click()
        token_field = self._token_field(step, on_tabs=self._table_left is not None)
        # an Edit that led to a page of its own (not a form over the table, nor one in a frame of its own)
        if token_field.frame == frame and frame.url != table_at:
            self._table_left = frame, table_at
        ok = self._own(token_field, "ok", step).element_handle()
        self._belongs(token_field, ok, name or location, step)
        return token_field, ok

    def _edit(self, frame: Frame, location: str, step: str) -> Locator | None:
        """The account's Edit. Its row is selected first, as a person does before a toolbar's Edit; a row that is a
        way to a page of the account's own (the page's address changed with the click) leads to the Edit there,
        or to a page that is itself the form (None): its token field, on show or on a tab of its own."""
        table_at, entry = frame.url, frame.get_by_text(location, exact=True).filter(visible=True).first
        leads_away = entry.evaluate(LINK_AWAY)
        entry.click()
        if leads_away:  # the click may return before the frame has left the table
            frame.wait_for_url(lambda url: url != table_at)
        if frame.url == table_at:
            return in_entry(frame, location, step=step, labels=self.labels, key="edit", timeout_ms=self.timeout_ms)
        self._table_left = frame, table_at
        token_field = field(self.labels.exact("server_token"))
        shown = self._signed_in({"edit": self._clickable("edit"), "field": token_field,
                                 "tab": tab_hiding(token_field, 0)}, step,
                                f"the {self.labels.describe('edit')} button", "edit")
        return shown.element if shown.name == "edit" else None

    def _token_field(self, step: str, *, on_tabs: bool) -> Found:
        """The form's token field; where the form keeps it in a folded section titled as the field, the title is
        clicked once; `on_tabs`, where the form keeps it on a tab not on show, the tabs beside it are opened in
        turn until it shows (only on the account's own page: beside a form over the table, the nearest tabs may be
        the page's own, which lead elsewhere)."""
        name = self.labels.exact("server_token")
        token_field, tried = field(name), 0
        while True:
            tabs = {"tab": tab_hiding(token_field, tried)} if on_tabs else {}
            folded = {"title": title_hiding(token_field, name)} if tried == 0 else {}
            shown = self._signed_in({"field": token_field, **tabs, **folded}, step,
                                    f"the {self.labels.describe('server_token')} field", "server_token")
            if shown.name == "field":
                return shown
            shown.element.click()
            tried += 1

    def wait_for_valid_until(self, location: str, expected: re.Pattern[str]) -> str:
        """Wait until the account's Valid until shows `expected`; returns what it shows either way. The row is
        usually still on show after the save; where the table went back to another page, it is brought back."""
        step = f"Cortado reading the new Valid until of {location}"
        frame = self._table(step)
        arg = {"location": location, "pattern": [expected.pattern, ""]}
        shows = ("rows.some(r => r.location_column === a.location "
                 "&& new RegExp(a.pattern[0], a.pattern[1]).test(r.valid_until_column))")
        on_show = "rows.some(r => r.location_column === a.location)"
        wait_for_rows(frame, self._columns(), f"(rows, a) => {shows} || !{on_show}", arg, self.timeout_ms)
        row = self._row_if_shown(frame, location, step)
        if row is None:
            self._shown(frame, location, step)
            wait_for_rows(frame, self._columns(), f"(rows, a) => {shows}", arg, self.timeout_ms)
            row = self._row(frame, location, step)
        found = expected.search(row["valid_until_column"])
        return found.group() if found else row["valid_until_column"]

    # -- the steps' parts ---------------------------------------------------------------------

    def _own(self, token_field: Found, key: str, step: str) -> Locator:
        """The form's own button (OK, Cancel): the one nearest the token field."""
        own = nearest(token_field.element, token_field.frame, self._clickable(key))
        if not own:
            raise not_found(self.page, step, f"the {self.labels.describe(key)} button of the form", self.labels, key)
        return own[0]

    def _belongs(self, token_field: Found, ok: ElementHandle, name: str, step: str) -> None:
        """The edit form (the part of the page with the token field and its OK) must show the account's name."""
        if not token_field.element.evaluate(SHOWS_NAME, [name, ok]):
            self._cancel(token_field, step)
            raise PageNotAsExpected(step, f'the edit form does not show the account "{name}", so it may be another '
                                          "account's: nothing saved")

    def _click_ok(self, ok: ElementHandle, token_field: Found, step: str) -> None:
        """OK as found when the form opened; where the page has drawn the form anew since, its OK looked for again."""
        try:
            ok.click()
        except PlaywrightError:
            if ok.evaluate("button => button.isConnected"):
                raise
            self._own(token_field, "ok", step).click()

    def _answer_no(self, token_field: Found, errors_before: list[str], step: str) -> None:
        """No, clicked once, once the question is seen; then the question must close. Or the form's refusal."""
        while True:
            shown = self._signed_in({"question": self._clickable("no"), "refused": refusal(errors_before)}, step,
                                    f"the question with {self.labels.describe('no')} or an error in the form", "no")
            if shown.name == "refused":
                said = message(shown, refusal(errors_before))
                self._cancel(token_field, step)
                if self._server_errors:
                    raise PortalUnavailable(step, f"{said} (HTTP {self._server_errors[-1]})")
                raise TokenRefused(step, said)
            answers = any_of(shown.frame, self._clickable("no"))
            # the No that showed first is usually the question's: only when it is not are all of them looked at
            if self._answered(shown.frame, shown.element) or self._answered(shown.frame, answers):
                return
            try:  # a No that answers no question (a table cell, say): wait for one more to show
                answers.nth(answers.count()).wait_for(state="attached")
            except PlaywrightError:
                raise not_found(self.page, step, f"a question with {self.labels.describe('no')}", self.labels,
                                "no") from None

    def answer_open_question(self) -> bool:
        """A question the page shows already (a run stopped before answering it) answered No, before anything
        else is done; whether there was one."""
        return any(self._answered(frame, any_of(frame, self._clickable("no"))) for frame in every_frame(self.page))

    @staticmethod
    def _answered(frame: Frame, answers: Locator) -> bool:
        """The No among `answers` that answers a question, clicked once, and the question seen closed."""
        position = answers.evaluate_all(f"(answers) => answers.findIndex({ASKS})")
        if position < 0:
            return False
        # the No found once and acted on as found: looking for it again on each act would search the whole page
        answer = answers.nth(position).element_handle()
        with _closing_its_frame(frame):
            answer.click()
            try:
                answer.wait_for_element_state("hidden")  # hidden, or taken out of the page
            except PlaywrightTimeoutError:
                raise
            except PlaywrightError:  # gone with the page it was on, as the question is
                pass
        return True

    def _cancel(self, token_field: Found, step: str) -> None:
        """Close the form without saving, and see it closed."""
        with _closing_its_frame(token_field.frame):
            try:
                self._own(token_field, "cancel", step).click()
            except PageNotAsExpected:
                if self._table_left:  # a form that is a page of its own is left for the table
                    self._back_to_table()
                    return
                self.page.keyboard.press("Escape")
            token_field.element.wait_for(state="hidden")

    def _table(self, step: str) -> Frame:
        """The frame that shows the accounts table (its Valid until header), gone back to from an account's own
        page."""
        self._back_to_table()
        return self._signed_in({"table": self._header()}, step, f"the {self.labels.describe('valid_until_column')}"
                               " column", "valid_until_column").frame

    def _back_to_table(self) -> None:
        """From the account's own page, if shown, back to the table's address, as a person goes back: the page's
        own ways on may be named as the way to the table is ("Apps", a tab of the account's form)."""
        if self._table_left is None:
            return
        frame, address = self._table_left
        self._table_left = None
        try:
            frame.goto(address)
        except PlaywrightError as error:
            # The portal went on by itself meanwhile, as many go back to their table after a save: where it went is
            # what the caller looks at next.
            if "interrupted by another navigation" not in first_line(error):
                raise

    def _no_rows(self, frame: Frame, step: str) -> PageNotAsExpected:
        """Why the table gave no rows: a column it is read by that the page does not show (named with what comes
        close), else an empty table."""
        columns = self._columns()
        for key, header in columns.headers.items():
            if key not in columns.instead and not any_of(frame, text(header)).count():
                return not_found(self.page, step, f"the {self.labels.describe(key)} column", self.labels, key)
        return PageNotAsExpected(step, "no row in the App-Store accounts table")

    def _shown(self, frame: Frame, location: str, step: str) -> str:
        """Bring the location's row into view (search, pager or scrolling); returns its account name."""
        entry = frame.get_by_text(location, exact=True).filter(visible=True)
        has_rows = wait_for_rows(frame, self._columns(), "rows => rows.length > 0", None, self.timeout_ms)
        if not (has_rows and Pages(frame, self.labels, self.timeout_ms).show(entry, location)):
            raise PageNotAsExpected(step, f'no account with the location "{location}" on any page of the table')
        return self._row(frame, location, step)["name_column"]

    def _row(self, frame: Frame, location: str, step: str) -> dict[str, str]:
        row = self._row_if_shown(frame, location, step)
        if row is None:
            raise PageNotAsExpected(step, f'0 accounts with the location "{location}"')
        return row

    def _row_if_shown(self, frame: Frame, location: str, step: str) -> dict[str, str] | None:
        """The location's one row on show, None when none is; two are for a person to sort out."""
        rows = [row for row in read_rows(frame, self._columns()) or [] if row["location_column"] == location]
        if len(rows) > 1:
            raise PageNotAsExpected(step, f'{len(rows)} accounts with the location "{location}"')
        return rows[0] if rows else None

    def _signed_in(self, candidates: dict[str, Rungs], step: str, what: str, key: str) -> Found:
        """The first candidate to show; the sign-in page instead means the session has ended."""
        shown = first_of(self.page, {**candidates, "login": field(self.labels.exact("username"))}, self.timeout_ms)
        if shown is None:
            raise not_found(self.page, step, what, self.labels, key)
        if shown.name == "login":
            raise SignedOut(step, f"{PORTAL} showed its sign-in page")
        return shown

    def _find(self, rungs: Rungs, step: str, key: str, kind: str) -> Found:
        return find(self.page, rungs, step, f"the {self.labels.describe(key)} {kind}", self.timeout_ms,
                    labels=self.labels, key=key)

    def _clickable(self, key: str) -> Rungs:
        return clickable(self.labels.exact(key))

    def _pointed_at(self, shown: Found, steps: list[str]) -> Found:
        """Of the ways found by their text alone, the first that the page shows the pointer over, as a person sees
        what can be clicked: a dashboard's caption that repeats the words of a menu entry is none. Where no such
        text shows the pointer, the one found."""
        if not shown.name.endswith(AS_TEXT) or shown.element.evaluate(POINTER):
            return shown
        for key in steps:
            texts = any_of(shown.frame, as_shown(self.labels.exact(key)))
            pointed = texts.evaluate_all(f"texts => texts.findIndex({POINTER})")
            if pointed >= 0:
                return Found(f"{key}{AS_TEXT}", shown.frame, texts.nth(pointed))
        return shown

    def _unfold(self) -> bool:
        """Open the menu a navigation folds its other entries into ("More ▾"), or itself behind a menu button ("☰"),
        where the way on is not on show: a button or link that says it opens one, named so (where a hidden text
        for screen readers may go on: "More Show more navigation items"). Whether there was one."""
        shown = first_of(self.page, {"menu": self._folded()}, 0)
        if shown is not None:
            shown.element.click()
        return shown is not None

    def _app(self) -> Rungs:
        """The portal after signing in: its menu, or the button its menu is folded behind."""
        entry, folded = menu_entry(self.labels.exact("administration")), self._folded()
        return lambda frame: (*entry(frame), *folded(frame))

    def _folded_over(self, steps: list[str]) -> Rungs:
        """The button the navigation is folded behind, where the page holds a way on that it does not show: a
        person opens it at once, rather than wait for the way on to show by itself."""
        folded = self._folded()

        def rungs(frame: Frame) -> tuple[Locator, ...]:
            ways = reduce(Locator.or_, (frame.get_by_text(self.labels.exact(key)) for key in steps))
            hiding = frame.locator("body").filter(has=ways.filter(visible=False))
            return tuple(rung.and_(hiding.locator("*")) for rung in folded(frame))
        return rungs

    def _folded(self) -> Rungs:
        """The button a navigation folds behind ("More ▾", "☰"): a button or link that says it opens something."""
        named = self.labels.leading("more_menu")
        opens = "[aria-haspopup]:not([aria-haspopup=false]), [aria-expanded=false]"
        return lambda frame: (button_or_link(frame, named).and_(frame.locator(opens)),)

    def _header(self) -> Rungs:
        return text(self.labels.exact("valid_until_column"))

    def _columns(self) -> Columns:
        """An account is named after its location where the table has no location column."""
        return Columns({key: self.labels.exact(key) for key in COLUMNS}, {"location_column": "name_column"})

    def _note_server_error(self, response: Response) -> None:
        """A refused save shows only a message in the form; its HTTP status tells a refusal from an outage."""
        if response.status >= 500 and response.request.method != "GET":
            self._server_errors.append(response.status)
