"""The Cortado mock in each of its dialects (semantic, widgets, legacy), driven the way a person would.

Every dialect must enforce the same rules on the server whatever its markup: a wrong password opens no
session, a bad token is refused with the portal's text and nothing is stored, No keeps the per-app
settings and Yes overwrites them. Each dialect is driven through its own structure (roles where it has
them, visible text and placeholders where it has none), so the tests also pin what each one renders.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from fixtures.cortado.mock import CortadoMock
from fixtures.cortado.state import DIALECTS, Account
from fixtures.demo_data import CORTADO_PASSWORD, CORTADO_USERNAME, ORG_NAME, demo_locations
from fixtures.portals import MockPortals
from fixtures.tokens import make_token

LOCATION = "CMS Documentation"
DATE_FORMATS = {"iso": "%Y-%m-%d", "de": "%d.%m.%Y", "us": "%m/%d/%Y"}

# The documented words a person looks for, written out here rather than taken from the mock's labels.
TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "user": "User name", "password": "Password", "log_in": "Log in",
        "login_error": "Invalid user name or password.",
        "admin": "Administration", "apps": "Apps", "accounts": "App-Store accounts",
        "edit": "Edit", "edit_title": "Edit App-Store account", "name": "Account name",
        "token": "Server token", "ok": "OK", "cancel": "Cancel", "yes": "Yes", "no": "No",
        "question": "Apply settings to apps?", "valid_until": "Valid until", "location": "Location",
        "token_invalid": "The server token is invalid.", "save_failed": "The changes could not be saved.",
        "search": "Search", "next_page": "Next page", "previous_page": "Previous page",
        "yes_overwrites": "Yes overwrites", "no_keeps": "No keeps",
    },
    "de": {
        "user": "Benutzername", "password": "Passwort", "log_in": "Anmelden",
        "login_error": "Ungültiger Benutzername oder Passwort.",
        "admin": "Verwaltung", "apps": "Apps", "accounts": "App-Store-Konten",
        "edit": "Bearbeiten", "edit_title": "App-Store-Konto bearbeiten", "name": "Kontoname",
        "token": "Server-Token", "ok": "OK", "cancel": "Abbrechen", "yes": "Ja", "no": "Nein",
        "question": "Einstellungen auf Apps übertragen?", "valid_until": "Gültig bis", "location": "Standort",
        "token_invalid": "Das Server-Token ist ungültig.",
        "save_failed": "Die Änderungen konnten nicht gespeichert werden.",
        "search": "Suchen", "next_page": "Nächste Seite", "previous_page": "Vorherige Seite",
        "yes_overwrites": "Ja überschreibt", "no_keeps": "Nein behält",
    },
}


class SemanticUI:
    """Plain HTML: labelled fields, a nav of links, tabs, a table with a toolbar Edit, two dialogs."""

    def __init__(self, page: Page, language: str) -> None:
        self.page, self.t = page, TEXTS[language]

    def sign_in(self, password: str) -> None:
        self.page.get_by_label(self.t["user"], exact=True).fill(CORTADO_USERNAME)
        self.page.get_by_label(self.t["password"], exact=True).fill(password)
        self.page.get_by_role("button", name=self.t["log_in"], exact=True).click()

    def login_error(self) -> Locator:
        return self.page.get_by_role("alert")

    def go_to_accounts(self) -> None:
        self.page.get_by_role("navigation").get_by_role("link", name=self.t["admin"], exact=True).click()
        self.page.get_by_role("link", name=self.t["apps"], exact=True).click()
        self.page.get_by_role("tab", name=self.t["accounts"], exact=True).click()

    def row(self, location: str) -> Locator:
        return self.page.get_by_role("row").filter(has=self.page.get_by_role("cell", name=location, exact=True))

    def valid_until(self, location: str) -> Locator:
        return self.row(location).get_by_role("cell").nth(3)

    def click_edit(self, location: str) -> None:
        self.row(location).click()
        self.page.get_by_role("button", name=self.t["edit"], exact=True).click()

    def editor(self) -> Locator:
        return self.page.get_by_role("dialog", name=self.t["edit_title"])

    def open_editor(self, location: str) -> Locator:
        self.click_edit(location)
        editor = self.editor()
        expect(editor).to_be_visible()
        return editor

    def token_field(self, editor: Locator) -> Locator:
        return editor.get_by_label(self.t["token"], exact=True)

    def name_field(self, editor: Locator) -> Locator:
        return editor.get_by_label(self.t["name"], exact=True)

    def press_ok(self, editor: Locator) -> None:
        editor.get_by_role("button", name=self.t["ok"], exact=True).click()

    def refusal(self, editor: Locator, message: str) -> Locator:
        return editor.get_by_role("alert")

    def question(self) -> Locator:
        return self.page.get_by_role("alertdialog", name=self.t["question"])

    def answer(self, question: Locator, word: str) -> None:
        question.get_by_role("button", name=self.t[word], exact=True).click()


class WidgetsUI(SemanticUI):
    """A widget framework: menubar with a submenu, tab strip, paged grid with search, per-row icon buttons."""

    def go_to_accounts(self) -> None:
        menubar = self.page.get_by_role("menubar")
        menubar.get_by_role("menuitem", name=self.t["admin"], exact=True).click()
        menubar.get_by_role("menuitem", name=self.t["apps"], exact=True).click()
        self.page.get_by_role("tablist").get_by_role("tab", name=self.t["accounts"], exact=True).click()

    def grid(self) -> Locator:
        return self.page.get_by_role("grid", name=self.t["accounts"])

    def data_rows(self) -> Locator:
        return self.grid().get_by_role("row").filter(has=self.page.get_by_role("gridcell"))

    def row(self, location: str) -> Locator:
        return self.grid().get_by_role("row").filter(
            has=self.page.get_by_role("gridcell", name=location, exact=True))

    def valid_until(self, location: str) -> Locator:
        return self.row(location).get_by_role("gridcell").nth(3)

    def click_edit(self, location: str) -> None:
        # A person types the name into the search box instead of paging through the grid.
        self.page.get_by_role("searchbox", name=self.t["search"]).fill(location)
        self.row(location).get_by_role("button", name=self.t["edit"], exact=True).click()

    def question(self) -> Locator:
        # The question is a native <dialog> without a name: it is found by what it asks.
        return self.page.get_by_role("dialog").filter(has_text=self.t["question"])


class LegacyUI(SemanticUI):
    """Old divs and spans: no roles, so a person goes by visible text and placeholders."""

    def sign_in(self, password: str) -> None:
        self.page.get_by_placeholder(self.t["user"], exact=True).fill(CORTADO_USERNAME)
        self.page.get_by_placeholder(self.t["password"], exact=True).fill(password)
        self.page.get_by_role("button", name=self.t["log_in"], exact=True).click()

    def login_error(self) -> Locator:
        return self.page.get_by_text(self.t["login_error"], exact=True)

    def go_to_accounts(self) -> None:
        self.page.get_by_text(self.t["admin"], exact=True).click()
        self.page.get_by_text(self.t["apps"], exact=True).click()
        self.page.get_by_text(self.t["accounts"], exact=True).click()

    def row(self, location: str) -> Locator:
        return self.page.get_by_text(location, exact=True).locator("xpath=..")  # the cell's row

    def valid_until(self, location: str) -> Locator:
        return self.row(location).locator("xpath=./*[4]")

    def click_edit(self, location: str) -> None:
        self.page.get_by_text(location, exact=True).click()
        self.page.get_by_text(self.t["edit"], exact=True).click()

    def editor(self) -> Locator:
        return self.page.get_by_text(self.t["edit_title"], exact=True).locator("xpath=..")  # the overlay's box

    def refusal(self, editor: Locator, message: str) -> Locator:
        return editor.get_by_text(message, exact=True)

    def question(self) -> Locator:
        return self.page.get_by_text(self.t["question"], exact=True).locator("xpath=..")

    def answer(self, question: Locator, word: str) -> None:
        question.get_by_text(self.t[word], exact=True).click()


UIS: dict[str, type[SemanticUI]] = {"semantic": SemanticUI, "widgets": WidgetsUI, "legacy": LegacyUI}
LOCALES = [pytest.param("en", "us", id="en-us"), pytest.param("de", "de", id="de-de")]


@pytest.fixture(params=DIALECTS)
def dialect(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def cortado(portals: MockPortals, dialect: str) -> CortadoMock:
    portals.cortado.state.dialect = dialect
    return portals.cortado


def signed_in_ui(page: Page, cortado: CortadoMock, dialect: str, language: str = "en") -> SemanticUI:
    cortado.state.language = language
    ui = UIS[dialect](page, language)
    page.goto(cortado.url + "/")
    ui.sign_in(CORTADO_PASSWORD)
    expect(page).to_have_url(cortado.url + "/")
    ui.go_to_accounts()
    return ui


def fresh_token(days: int = 400) -> tuple[str, datetime]:
    expires = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
    return make_token(ORG_NAME, expires), expires


def replace_token(ui: SemanticUI, account: Account, token: str) -> Locator:
    """Edit the account, check the form shows it, paste the new token, OK: returns the follow-up question."""
    editor = ui.open_editor(account.location)
    expect(ui.name_field(editor)).to_have_value(account.name)
    expect(ui.token_field(editor)).to_have_value(account.token)
    ui.token_field(editor).fill(token)
    ui.press_ok(editor)
    question = ui.question()
    expect(question).to_be_visible()
    expect(editor).to_be_hidden()
    return question


def test_dialects_are_the_known_ones() -> None:
    assert DIALECTS == ("semantic", "widgets", "legacy")
    assert set(UIS) == set(DIALECTS)


@pytest.mark.parametrize("language", ["en", "de"])
def test_wrong_password_is_refused_then_the_right_one_signs_in(
    page: Page, cortado: CortadoMock, dialect: str, language: str
) -> None:
    cortado.state.language = language
    ui = UIS[dialect](page, language)
    page.goto(cortado.url + "/administration/apps/app-store-accounts")
    ui.sign_in("wrong-password")
    expect(ui.login_error()).to_have_text(TEXTS[language]["login_error"])
    assert (cortado.state.sessions, cortado.state.sign_ins) == ({}, 0)
    assert not [c for c in page.context.cookies() if c["name"] == "cortado_session"]
    ui.sign_in(CORTADO_PASSWORD)
    expect(page).to_have_url(cortado.url + "/administration/apps/app-store-accounts")
    expect(ui.valid_until(demo_locations()[0].name)).to_be_visible()
    assert cortado.state.sign_ins == 1


@pytest.mark.parametrize(("language", "date_format"), LOCALES)
def test_no_stores_the_token_and_keeps_the_app_settings(
    page: Page, cortado: CortadoMock, dialect: str, language: str, date_format: str
) -> None:
    cortado.state.date_format = date_format
    account = cortado.state.account(LOCATION)
    apps_before = dict(account.apps)
    ui = signed_in_ui(page, cortado, dialect, language)
    expect(ui.valid_until(LOCATION)).to_have_text(
        cortado.state.valid_until(LOCATION).strftime(DATE_FORMATS[date_format]))
    new_token, expires = fresh_token()
    question = replace_token(ui, account, new_token)
    if dialect == "widgets":
        expect(question).to_contain_text(TEXTS[language]["yes_overwrites"])
        expect(question).to_contain_text(TEXTS[language]["no_keeps"])
    ui.answer(question, "no")
    expect(question).to_be_hidden()
    expect(ui.valid_until(LOCATION)).to_have_text(expires.strftime(DATE_FORMATS[date_format]))
    assert (account.token, account.apps) == (new_token, apps_before)
    assert (cortado.state.saves, cortado.state.answers) == (1, [(LOCATION, "no")])


def test_yes_overwrites_the_app_settings(page: Page, cortado: CortadoMock, dialect: str) -> None:
    account = cortado.state.account(LOCATION)
    assert any(mandatory != account.default_mandatory for mandatory in account.apps.values())
    ui = signed_in_ui(page, cortado, dialect)
    question = replace_token(ui, account, fresh_token()[0])
    ui.answer(question, "yes")
    expect(question).to_be_hidden()
    assert set(account.apps.values()) == {account.default_mandatory}
    assert cortado.state.account(f"{LOCATION} Berlin").apps["Cortado Workplace"] is True
    assert cortado.state.answers == [(LOCATION, "yes")]


def test_a_bad_token_is_refused_with_the_portals_text_and_nothing_is_saved(
    page: Page, cortado: CortadoMock, dialect: str
) -> None:
    account = cortado.state.account(LOCATION)
    old_token = account.token
    language = "en"  # the German texts are shown the same way (see the failed save below)
    ui = signed_in_ui(page, cortado, dialect, language)
    editor = ui.open_editor(LOCATION)
    ui.token_field(editor).fill("this is not a server token")
    ui.press_ok(editor)
    message = TEXTS[language]["token_invalid"]
    expect(ui.refusal(editor, message)).to_have_text(message)
    expect(ui.refusal(editor, message)).to_be_visible()
    expect(editor).to_be_visible()
    expect(ui.question()).to_be_hidden()
    assert (account.token, cortado.state.saves, cortado.state.answers) == (old_token, 0, [])


def test_a_failed_save_shows_the_portals_text_and_the_next_ok_saves(
    page: Page, cortado: CortadoMock, dialect: str
) -> None:
    cortado.state.fail_saves = 1
    account = cortado.state.account(LOCATION)
    old_token, (new_token, _) = account.token, fresh_token()
    ui = signed_in_ui(page, cortado, dialect, "de")
    editor = ui.open_editor(LOCATION)
    ui.token_field(editor).fill(new_token)
    ui.press_ok(editor)
    message = TEXTS["de"]["save_failed"]
    expect(ui.refusal(editor, message)).to_have_text(message)
    assert (account.token, cortado.state.saves) == (old_token, 0)
    ui.press_ok(editor)  # the fault was for one save only
    ui.answer(ui.question(), "no")
    expect(ui.question()).to_be_hidden()
    assert (account.token, cortado.state.saves, cortado.state.answers) == (new_token, 1, [(LOCATION, "no")])


def test_an_ended_session_sends_the_browser_to_login_and_back(page: Page, cortado: CortadoMock, dialect: str) -> None:
    ui = signed_in_ui(page, cortado, dialect)
    accounts_url = page.url
    expect(ui.valid_until(LOCATION)).to_be_visible()
    cortado.state.expire_sessions()
    ui.click_edit(LOCATION)  # the page's request for the account is answered 401
    expect(page).to_have_url(re.compile(r"/login\?next="))
    ui.sign_in(CORTADO_PASSWORD)
    expect(page).to_have_url(accounts_url)
    expect(ui.valid_until(LOCATION)).to_be_visible()
    assert (cortado.state.sign_ins, cortado.state.saves) == (2, 0)


@pytest.mark.parametrize("language", ["en", "de"])
def test_widgets_paging_and_search_reach_every_account(page: Page, portals: MockPortals, language: str) -> None:
    portals.cortado.state.dialect = "widgets"
    ui = signed_in_ui(page, portals.cortado, "widgets", language)
    assert isinstance(ui, WidgetsUI)
    t = TEXTS[language]
    expect(ui.grid().get_by_role("columnheader")).to_contain_text([t["name"], t["location"], t["valid_until"]])
    expect(ui.data_rows()).to_have_count(3)
    seen = [row.get_by_role("gridcell").nth(1).inner_text() for row in ui.data_rows().all()]
    page.get_by_role("button", name=t["next_page"], exact=True).click()
    expect(ui.data_rows()).to_have_count(2)
    seen += [row.get_by_role("gridcell").nth(1).inner_text() for row in ui.data_rows().all()]
    assert sorted(seen) == sorted(location.name for location in demo_locations())
    page.get_by_role("button", name=t["previous_page"], exact=True).click()
    expect(ui.row(LOCATION)).to_be_visible()
    search = page.get_by_role("searchbox", name=t["search"])
    search.fill("leipzig")
    expect(ui.data_rows()).to_have_count(1)
    expect(ui.row("Warehouse Leipzig")).to_be_visible()
    search.fill("")
    expect(ui.data_rows()).to_have_count(3)
    expect(page.get_by_role("button", name=t["edit"], exact=True)).to_have_count(3)  # one per row, no toolbar Edit


def test_each_dialect_renders_its_own_structure(page: Page, cortado: CortadoMock, dialect: str) -> None:
    ui = signed_in_ui(page, cortado, dialect)
    expect(ui.valid_until(LOCATION)).to_be_visible()
    counts = {
        role: page.get_by_role(role).count()  # type: ignore[arg-type]
        for role in ("main", "navigation", "table", "grid", "menubar", "tablist", "searchbox")
    }
    expected = {
        "semantic": {"main": 1, "navigation": 1, "table": 1, "grid": 0, "menubar": 0, "tablist": 1, "searchbox": 0},
        "widgets": {"main": 0, "navigation": 0, "table": 0, "grid": 1, "menubar": 1, "tablist": 1, "searchbox": 1},
        "legacy": {"main": 0, "navigation": 0, "table": 0, "grid": 0, "menubar": 0, "tablist": 0, "searchbox": 0},
    }
    assert counts == expected[dialect]
