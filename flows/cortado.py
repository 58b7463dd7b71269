"""Cortado's admin portal, driven as in Cortado's how-to: read the accounts, replace one token, answer No."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, Response, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from flows.cortado_labels import CORTADO_LABELS, FORBIDDEN_ANSWERS
from flows.errors import PageNotAsExpected, PortalUnavailable, SignedOut, SignInRejected, TokenRefused
from flows.labels import LabelFileError, Labels
from flows.locate import all_texts, any_role, click, clickable, must_see, role_in_use, squeezed, visible_text
from flows.waiting import QUICK_MS, done_at_once, quickly

PORTAL = "Cortado"
TABLE_ROLES = ("table", "grid")


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
        self.timeout_ms = timeout_ms  # expect() would otherwise stop at its own 5 s
        self._valid_until_column: int | None = None  # from the last read of the table, for reading back
        self._table_roles = TABLE_ROLES  # until the first read shows which one the portal uses
        self._field_label = labels.exact("server_token")
        self._server_errors: list[int] = []  # HTTP statuses >= 500 the page got since the last OK

    # -- signing in ---------------------------------------------------------------------------

    def sign_in(self, url: str, username: str, password: str) -> bool:
        """Open the portal signed in; returns False when a kept session was still good."""
        step = "Cortado sign-in"
        self.page.goto(url)
        administration = self._administration()
        must_see(administration.or_(self._username_field()), step,
                 f"the {self.labels.describe('username')} field or the Administration menu")
        if administration.first.is_visible():
            return False
        self._username_field().fill(username)
        self.page.get_by_label(self.labels.exact("password")).fill(password)
        click(self.page.get_by_role("button", name=self.labels.exact("log_in")), step,
              f"the {self.labels.describe('log_in')} button")
        refused = self.page.get_by_role("alert").filter(has_text=re.compile(r"\S"))
        must_see(administration.or_(refused), step, "the portal after signing in")
        if refused.first.is_visible():
            message = visible_text(refused)
            raise SignInRejected(step, f"{PORTAL} refused the sign-in: {message}")
        return True

    # -- App-Store accounts -------------------------------------------------------------------

    def open_accounts(self) -> None:
        """Administration > Apps > App-Store accounts, as in the how-to; read_accounts() waits for the rows."""
        step = "Cortado App-Store accounts"
        self.page.wait_for_load_state("domcontentloaded")  # the whole page is there before it is judged
        if not self._table().first.is_visible():  # else the page kept from the last run is the accounts table itself
            self._click_or_signed_out(self._administration(), step, "administration")
            self._click_or_signed_out(clickable(self.page, self.labels.exact("apps")), step, "apps")
            self._click_or_signed_out(clickable(self.page, self.labels.exact("accounts_tab")), step, "accounts_tab")

    def read_accounts(self) -> list[AccountRow]:
        step = "Cortado reading accounts"
        must_see(self._filled_rows(), step, "a row in the App-Store accounts table")
        self._table_roles = role_in_use(self.page, self._table_roles, has=self._valid_until_header())
        headers = self._headers()
        columns = self._columns(("name_column", "location_column", "valid_until_column"), step, headers)
        self._valid_until_column = columns[2]
        return [AccountRow(*(cells[index] for index in columns)) for cells in self._cell_texts(len(headers))]

    def _cell_texts(self, width: int) -> list[list[str]]:
        """Each row's cell texts: in one round trip when every row has a cell per header, else row by row."""
        rows = self._filled_rows()
        cells = all_texts(rows.get_by_role("cell"))
        if len(cells) == width * rows.count():
            return [cells[start:start + width] for start in range(0, len(cells), width)]
        return [all_texts(row.get_by_role("cell")) for row in rows.all()]

    def replace_token(self, location: str, token_text: str) -> None:
        """Select the account, Edit, put the new token in "Server token", OK, then answer No.

        The row, the field and No are nearly always there at once, so each is first tried without a look
        (one round trip); only when one is not does the flow wait, look why, and name what is wrong.
        """
        step = f"Cortado replacing the token of {location}"
        rows = self._rows_of(location)
        if not done_at_once(lambda timeout: rows.click(timeout=timeout)):  # strict: never one of two rows
            self._question_closed(step)  # the last save's question still open would block every click
            click(self._row(location, step), step, f'the account row "{location}"')
        click(self.page.get_by_role("button", name=self.labels.exact("edit")), step,
              f"the {self.labels.describe('edit')} button")
        field = self.page.get_by_role("dialog").get_by_label(self._field_label).first  # as _form's, one lookup less
        # fill() clears the old token first, as the how-to asks
        if not done_at_once(lambda timeout: field.fill(token_text, timeout=timeout)):
            self._see_signed_in(field, step, f"the {self.labels.describe('server_token')} field")
            field.fill(token_text)
        self._server_errors.clear()
        # Responses are listened to only until the save is answered: each one costs the client a message
        # and two objects, and the table's reloads are no concern here.
        self.page.on("response", self._note_server_error)
        try:
            click(self._form().get_by_role("button", name=self.labels.exact("ok")), step,
                  f"the {self.labels.describe('ok')} button")
            self._answer_no(step)
        finally:
            self.page.remove_listener("response", self._note_server_error)

    def _answer_no(self, step: str) -> None:
        """Answer the question that follows OK with No, or report the form's refusal (a server error is retryable).

        No is clicked at once, with one short timeout, since the question is nearly always there by then:
        a click that waits for it overlaps the wait with the click's own checks (a look first cost ≈ 16 ms per
        location). Only when that fails is the form's refusal looked for; a question still there is then given
        a moment to close, because the click may have gone through as its timeout cut it off, and is answered
        No only if it stays. That the question then closed is made sure by the next row's click, which a dialog
        still open would block (its slower path then waits for the question to close, or names it)."""
        no_button = self._dialogs().get_by_role("button", name=self.labels.exact("no"))  # as _question's, cheaper
        if done_at_once(lambda timeout: no_button.click(timeout=timeout), QUICK_MS[:1]):
            return
        self._refused_or_signed_out(step)
        question = self._question().first
        if not done_at_once(lambda timeout: question.wait_for(state="hidden", timeout=timeout)):
            click(no_button, step, f"the {self.labels.describe('no')} button")

    def _note_server_error(self, response: Response) -> None:
        """A refused save shows only a message in the form; its HTTP status tells a refusal from an outage."""
        if response.status >= 500 and response.request.method != "GET":
            self._server_errors.append(response.status)

    def _refused_or_signed_out(self, step: str) -> None:
        """Wait for the question, the form's refusal or the login page; raise for the last two."""
        form = self._form()
        refused = form.get_by_role("alert").filter(has_text=re.compile(r"\S"))
        must_see(self._question().or_(refused).or_(self._username_field()), step,
                 f"the question with {self.labels.describe('no')} or an error in the form")
        if self._username_field().or_(refused).filter(visible=True).count():  # one look for both, not two
            self._not_signed_out(step)
            message = visible_text(refused)
            click(form.get_by_role("button", name=self.labels.exact("cancel")), step,
                  f"the {self.labels.describe('cancel')} button")
            if self._server_errors:
                raise PortalUnavailable(step, f"{message} (HTTP {self._server_errors[-1]})")
            raise TokenRefused(step, message)

    def wait_for_valid_until(self, location: str, expected: re.Pattern[str]) -> str:
        """Wait until the account's Valid until shows `expected`; returns what it shows either way.

        On success this is one round trip: the cell is asked for its text once it holds the expected date.
        That the row is the only one was made sure by the strict click that selected it; that the question
        closed, by the next row's click (which a dialog still open would block). Only a failed wait looks for
        the reason (the question still open, signed out, no such row, several) before reading what the cell
        shows instead.
        """
        step = f"Cortado reading the new Valid until of {location}"
        column = self._valid_until_column
        if column is None:
            column = self._columns(("valid_until_column",), step, self._headers())[0]
        cell = self._rows_of(location).get_by_role("cell").nth(column)
        shown: list[str] = []
        try:
            quickly(lambda timeout: shown.append(cell.filter(has_text=expected).inner_text(timeout=timeout)))
        except PlaywrightTimeoutError:
            self._question_closed(step, wait=False)
            self._row(location, step)  # the caller compares and reports what is shown
            return visible_text(cell)
        found = expected.search(shown[0])
        return found.group() if found else squeezed(shown[0])

    # -- helpers ------------------------------------------------------------------------------

    def _question(self) -> Locator:
        """The follow-up question after OK: a dialog with a No button."""
        return self._dialogs().filter(has=self.page.get_by_role("button", name=self.labels.exact("no")))

    def _form(self) -> Locator:
        """The edit form: the dialog with the Server token field."""
        return self.page.get_by_role("dialog").filter(has=self.page.get_by_label(self._field_label))

    def _dialogs(self) -> Locator:
        return self.page.get_by_role("alertdialog").or_(self.page.get_by_role("dialog"))

    def _question_closed(self, step: str, wait: bool = True) -> None:
        """The question answered No must be gone; a portal may refresh the table before it closes."""
        question = self._question()
        if question.first.is_visible() and not (wait and self._closes(question)):
            raise PageNotAsExpected(step, f"the question stayed open after answering {self.labels.describe('no')}")

    def _closes(self, question: Locator) -> bool:
        try:
            quickly(lambda timeout: expect(question).to_be_hidden(timeout=timeout or self.timeout_ms))
        except AssertionError:
            return False
        return True

    def _table(self) -> Locator:
        return any_role(self.page, self._table_roles).filter(has=self._valid_until_header())

    def _valid_until_header(self) -> Locator:
        return self.page.get_by_role("columnheader", name=self.labels.exact("valid_until_column"))

    def _filled_rows(self) -> Locator:
        return self._table().get_by_role("row").filter(has=self.page.get_by_role("cell"))

    def _rows_of(self, location: str) -> Locator:
        """Rows with a cell named exactly `location`. The text filter first is only for speed: it leaves the
        exact name (a costly computation per cell) to be worked out for the one or two rows that contain it."""
        cell = self.page.get_by_role("cell", name=location, exact=True)
        return self._table().get_by_role("row").filter(has_text=location).filter(has=cell)

    def _row(self, location: str, step: str) -> Locator:
        rows = self._rows_of(location)
        if rows.count() == 1:  # the table is nearly always there already: one look, not a wait and a count
            return rows
        must_see(rows.or_(self._username_field()), step, f'the account row "{location}"')
        self._only_one(rows, location, step)
        return rows

    def _only_one(self, rows: Locator, location: str, step: str) -> None:
        count = rows.count()
        if count != 1:  # a visible row means signed in: the login page is looked for only when none is
            self._not_signed_out(step)
            raise PageNotAsExpected(step, f'{count} accounts with the location "{location}"')

    def _headers(self) -> list[str]:
        return all_texts(self._table().get_by_role("columnheader"))

    def _columns(self, keys: tuple[str, ...], step: str, headers: list[str]) -> list[int]:
        """The columns' positions, found by their headers as a person reads the table (one read for all)."""
        positions = []
        for key in keys:
            pattern = self.labels.exact(key)
            found = [index for index, header in enumerate(headers) if pattern.match(header)]
            if not found:
                raise PageNotAsExpected(step, f"no column {self.labels.describe(key)} among {headers}")
            positions.append(found[0])
        return positions

    def _click_or_signed_out(self, target: Locator, step: str, key: str) -> None:
        self._see_signed_in(target, step, f"the {self.labels.describe(key)} link")
        click(target, step, f"the {self.labels.describe(key)} link")

    def _see_signed_in(self, target: Locator, step: str, what: str) -> None:
        """Wait for `target`; an ended session (the portal went to its login page) is reported at once."""
        must_see(target.or_(self._username_field()), step, what)
        self._not_signed_out(step)

    def _not_signed_out(self, step: str) -> None:
        if self._username_field().is_visible():
            raise SignedOut(step, f"{PORTAL} showed its sign-in page")

    def _administration(self) -> Locator:
        return clickable(self.page, self.labels.exact("administration"))

    def _username_field(self) -> Locator:
        return self.page.get_by_label(self.labels.exact("username"))
