"""The Cortado mock itself: it must behave like the documented portal, or robot tests prove nothing."""

from __future__ import annotations

import base64
import http.client
import json
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from fixtures.cortado.mock import CortadoMock
from fixtures.demo_data import CORTADO_PASSWORD, CORTADO_USERNAME, ORG_NAME, demo_locations
from fixtures.portals import MockPortals
from fixtures.tokens import make_token

ACCOUNTS_PATH = "/administration/apps/app-store-accounts"
LOCATION = "CMS Documentation"
LOOKALIKE = "CMS Documentation Berlin"  # one location's name extends another's
DATE_FORMATS = {"iso": "%Y-%m-%d", "de": "%d.%m.%Y", "us": "%m/%d/%Y"}


@pytest.fixture
def cortado(portals: MockPortals) -> CortadoMock:
    return portals.cortado


def fresh_token(days: int = 400) -> tuple[str, datetime]:
    expires = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
    return make_token(ORG_NAME, expires), expires


def raw_request(
    cortado: CortadoMock, method: str, path: str, body: str | None = None
) -> tuple[int, str, str]:
    """A request without any browser or cookie: (status, Location header, body)."""
    parts = urlsplit(cortado.url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=5)
    try:
        connection.request(method, path, body, {"Content-Type": "application/json"} if body else {})
        response = connection.getresponse()
        return response.status, response.getheader("Location") or "", response.read().decode()
    finally:
        connection.close()


def log_in(page: Page, cortado: CortadoMock, path: str = ACCOUNTS_PATH) -> None:
    """The quick way in for tests that are not about the login form: a session and its cookie, then `path`."""
    with cortado.state.lock:
        cortado.state.sessions["test-session"] = CORTADO_USERNAME
    page.context.add_cookies([{"name": "cortado_session", "value": "test-session", "url": cortado.url}])
    page.goto(cortado.url + path)


def fill_login_form(
    page: Page, password: str, *, user: str = "User name", pw: str = "Password", button: str = "Log in"
) -> None:
    page.get_by_label(user, exact=True).fill(CORTADO_USERNAME)
    page.get_by_label(pw, exact=True).fill(password)
    page.get_by_role("button", name=button, exact=True).click()


def account_row(page: Page, location: str) -> Locator:
    return page.get_by_role("row").filter(has=page.get_by_role("cell", name=location, exact=True))


def open_editor(
    page: Page, location: str, *, edit: str = "Edit", title: str = "Edit App-Store account"
) -> Locator:
    row = account_row(page, location)
    row.click()
    expect(row).to_have_attribute("aria-selected", "true")
    page.get_by_role("button", name=edit, exact=True).click()
    dialog = page.get_by_role("dialog", name=title)
    expect(dialog).to_be_visible()
    return dialog


def refusals() -> list[tuple[str, dict[str, str]]]:
    """Token texts the portal must refuse, with its message in each language."""
    empty = {"en": "Please enter a server token.", "de": "Bitte geben Sie ein Server-Token ein."}
    invalid = {"en": "The server token is invalid.", "de": "Das Server-Token ist ungültig."}
    expired = {"en": "The server token has expired.", "de": "Das Server-Token ist abgelaufen."}
    return [
        ("  \n ", empty),
        (base64.b64encode(b"not a token").decode(), invalid),
        ("{definitely: not base64}", invalid),
        (make_token(ORG_NAME, datetime.now(UTC) - timedelta(days=1)), expired),
    ]


def save_token(page: Page, token: str, location: str = LOCATION) -> Locator:
    """Edit the account, replace the Server token, OK; returns the follow-up question."""
    dialog = open_editor(page, location)
    dialog.get_by_label("Server token", exact=True).fill(token)
    dialog.get_by_role("button", name="OK", exact=True).click()
    question = page.get_by_role("alertdialog", name="Apply settings to apps?")
    expect(question).to_be_visible()
    expect(dialog).to_be_hidden()
    return question


def test_reset_gives_a_fresh_state_with_one_account_per_location(cortado: CortadoMock) -> None:
    cortado.state.saves = 3
    cortado.state.fail_saves = cortado.state.shown_days_off = 2
    cortado.state.language = "de"
    cortado.reset(demo_locations())
    state = cortado.state
    assert (state.saves, state.sign_ins, state.answers, state.sessions) == (0, 0, [], {})
    assert (state.fail_saves, state.shown_days_off, state.delay, state.language, state.date_format) == (
        0, 0, 0.0, "en", "iso")
    assert [a.location for a in state.accounts] == [loc.name for loc in demo_locations()]
    assert state.account(LOCATION).name == "CMS Documentation (VPP)"
    assert state.account(LOOKALIKE) is not state.account(LOCATION)
    with pytest.raises(KeyError):
        state.account("CMS")
    today = datetime.now(UTC).date()
    for location in demo_locations():
        assert state.valid_until(location.name) - today in (
            timedelta(days=location.days_left),
            timedelta(days=location.days_left - 1),
        )


def test_signed_out_pages_redirect_to_login_and_api_answers_401(cortado: CortadoMock) -> None:
    for path in ("/", "/administration", "/administration/apps", ACCOUNTS_PATH):
        status, location, _ = raw_request(cortado, "GET", path)
        assert (status, location) == (303, f"/login?next={path}")
    assert raw_request(cortado, "GET", "/api/accounts")[0] == 401
    account = cortado.state.account(LOCATION)
    old_token = account.token
    status, _, _ = raw_request(
        cortado, "POST", f"/api/accounts/{account.id}", json.dumps({"token": fresh_token()[0]})
    )
    assert status == 401
    assert (account.token, cortado.state.saves) == (old_token, 0)


def test_wrong_password_shows_alert_and_opens_no_session(page: Page, cortado: CortadoMock) -> None:
    page.goto(cortado.url + ACCOUNTS_PATH)
    expect(page.get_by_role("heading", name="Cortado Server")).to_be_visible()
    fill_login_form(page, "wrong-password")
    expect(page.get_by_role("alert")).to_have_text("Invalid user name or password.")
    expect(page.get_by_label("User name", exact=True)).to_have_value(CORTADO_USERNAME)
    assert not [c for c in page.context.cookies() if c["name"] == "cortado_session"]
    assert (cortado.state.sessions, cortado.state.sign_ins) == ({}, 0)


def test_login_sets_cookie_and_returns_to_the_page_asked_for(page: Page, cortado: CortadoMock) -> None:
    page.goto(cortado.url + ACCOUNTS_PATH)
    fill_login_form(page, CORTADO_PASSWORD)
    expect(page).to_have_url(cortado.url + ACCOUNTS_PATH)
    expect(page.get_by_role("tab", name="App-Store accounts")).to_have_attribute("aria-selected", "true")
    cookies = [c for c in page.context.cookies() if c["name"] == "cortado_session"]
    assert len(cookies) == 1
    assert cookies[0]["httpOnly"]
    assert cortado.state.sign_ins == 1
    assert list(cortado.state.sessions.values()) == [CORTADO_USERNAME]


def test_navigation_by_labels_shows_every_account_in_each_date_format(
    page: Page, cortado: CortadoMock
) -> None:
    log_in(page, cortado, "/")
    nav = page.get_by_role("navigation", name="Main")
    for name in ("Dashboard", "Devices", "Users"):
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    nav.get_by_role("link", name="Administration", exact=True).click()
    expect(page.get_by_role("link", name="Policies", exact=True)).to_be_visible()
    page.get_by_role("link", name="Apps", exact=True).click()
    expect(page.get_by_role("tab", name="Apps", exact=True)).to_have_attribute("aria-selected", "true")
    apps = page.get_by_role("table", name="Apps", exact=True)
    expect(apps.get_by_role("row").filter(has_text="Zoom")).to_have_count(len(cortado.state.accounts))
    page.get_by_role("tab", name="App-Store accounts").click()
    expect(page).to_have_url(cortado.url + ACCOUNTS_PATH)
    table = page.get_by_role("table", name="App-Store accounts")
    headers = ["Name", "Location", "Assignment type", "Valid until"]
    expect(table.get_by_role("columnheader")).to_have_text(headers)
    expect(page.get_by_role("button", name="Edit", exact=True)).to_be_disabled()
    for date_format, pattern in DATE_FORMATS.items():
        cortado.state.date_format = date_format
        if date_format != "iso":
            page.reload()
        for account in cortado.state.accounts:
            row = account_row(page, account.location)
            shown = cortado.state.valid_until(account.location).strftime(pattern)
            expect(row.get_by_role("cell")).to_have_text(
                [account.name, account.location, account.assignment, shown]
            )


def test_cancel_changes_nothing(page: Page, cortado: CortadoMock) -> None:
    log_in(page, cortado)
    account = cortado.state.account(LOCATION)
    before = (account.name, account.token, account.assignment, dict(account.apps))
    dialog = open_editor(page, LOCATION)
    expect(dialog.get_by_label("Server token", exact=True)).to_have_value(account.token)
    expect(dialog.get_by_label("Account name", exact=True)).to_have_value(account.name)
    dialog.get_by_label("Account name", exact=True).fill("Renamed")
    dialog.get_by_label("Server token", exact=True).fill(fresh_token()[0])
    dialog.get_by_label("Assignment type", exact=True).select_option("User assigned")
    dialog.get_by_role("button", name="Cancel", exact=True).click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    assert (account.name, account.token, account.assignment, account.apps) == before
    assert (cortado.state.saves, cortado.state.answers) == (0, [])


def test_refused_tokens_show_an_alert_in_the_dialog_and_store_nothing(
    page: Page, cortado: CortadoMock
) -> None:
    log_in(page, cortado)
    account = cortado.state.account(LOCATION)
    old_token = account.token
    dialog = open_editor(page, LOCATION)
    field, ok = dialog.get_by_label("Server token", exact=True), dialog.get_by_role("button", name="OK")
    for text, message in refusals():
        field.fill(text)
        ok.click()
        expect(dialog.get_by_role("alert")).to_have_text(message["en"])
        expect(dialog).to_be_visible()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    assert (account.token, cortado.state.saves, cortado.state.answers) == (old_token, 0, [])


def test_failed_save_shows_alert_and_stores_nothing(page: Page, cortado: CortadoMock) -> None:
    cortado.state.fail_saves = 1
    log_in(page, cortado)
    account = cortado.state.account(LOCATION)
    old_token = account.token
    new_token, _ = fresh_token()
    dialog = open_editor(page, LOCATION)
    dialog.get_by_label("Server token", exact=True).fill(new_token)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        dialog.get_by_role("button", name="OK").click()
    assert answer.value.status == 500
    expect(dialog.get_by_role("alert")).to_have_text("The changes could not be saved.")
    expect(dialog).to_be_visible()
    assert (account.token, cortado.state.saves, cortado.state.fail_saves) == (old_token, 0, 0)
    dialog.get_by_role("button", name="OK").click()  # the fault was for one save only
    expect(page.get_by_role("alertdialog", name="Apply settings to apps?")).to_be_visible()
    assert (account.token, cortado.state.saves) == (new_token, 1)


def test_valid_token_then_no_stores_token_and_keeps_apps(page: Page, cortado: CortadoMock) -> None:
    log_in(page, cortado)
    account, lookalike = cortado.state.account(LOCATION), cortado.state.account(LOOKALIKE)
    apps_before, lookalike_token = dict(account.apps), lookalike.token
    new_token, expires = fresh_token()
    question = save_token(page, f"\n  {new_token}  \n")
    expect(question).to_contain_text(
        "Settings made on individual apps, such as Mandatory, will be overwritten."
    )
    expect(question.get_by_role("button", name="Yes", exact=True)).to_be_visible()
    question.get_by_role("button", name="No", exact=True).click()
    expect(question).to_be_hidden()
    expect(account_row(page, LOCATION).get_by_role("cell").nth(3)).to_have_text(expires.date().isoformat())
    assert account.token == new_token
    assert cortado.state.valid_until(LOCATION) == expires.date()
    assert account.apps == apps_before
    assert cortado.state.answers == [(LOCATION, "no")]
    assert cortado.state.saves == 1
    assert lookalike.token == lookalike_token


def test_yes_overwrites_mandatory_of_every_app(page: Page, cortado: CortadoMock) -> None:
    log_in(page, cortado)
    account = cortado.state.account(LOCATION)
    assert any(mandatory != account.default_mandatory for mandatory in account.apps.values())
    question = save_token(page, fresh_token()[0])
    question.get_by_role("button", name="Yes", exact=True).click()
    expect(question).to_be_hidden()
    assert set(account.apps.values()) == {account.default_mandatory}
    assert cortado.state.account(LOOKALIKE).apps["Cortado Workplace"] is True
    assert cortado.state.answers == [(LOCATION, "yes")]
    page.get_by_role("tab", name="Apps", exact=True).click()
    boxes = page.get_by_role("row").filter(has_text=account.name).get_by_role("checkbox", name="Mandatory")
    expect(boxes).to_have_count(len(account.apps))
    for box in boxes.all():
        expect(box).not_to_be_checked()


def test_german_labels_end_to_end(page: Page, cortado: CortadoMock) -> None:
    cortado.state.language, cortado.state.date_format = "de", "de"
    page.goto(cortado.url + "/administration")
    fill_login_form(page, "falsch", user="Benutzername", pw="Passwort", button="Anmelden")
    expect(page.get_by_role("alert")).to_have_text("Ungültiger Benutzername oder Passwort.")
    fill_login_form(page, CORTADO_PASSWORD, user="Benutzername", pw="Passwort", button="Anmelden")
    expect(page.get_by_role("link", name="Geräte", exact=True)).to_be_visible()
    page.get_by_role("link", name="Apps", exact=True).click()
    page.get_by_role("tab", name="App-Store-Konten").click()
    table = page.get_by_role("table", name="App-Store-Konten")
    expect(table.get_by_role("columnheader")).to_have_text(
        ["Name", "Standort", "Zuweisungstyp", "Gültig bis"]
    )
    dialog = open_editor(page, LOCATION, edit="Bearbeiten", title="App-Store-Konto bearbeiten")
    expect(dialog.get_by_label("Kontoname", exact=True)).to_have_value(f"{LOCATION} (VPP)")
    expect(dialog.get_by_label("Zuweisungstyp", exact=True)).to_have_value("Device assigned")
    expect(dialog.get_by_role("button", name="Abbrechen")).to_be_visible()
    field = dialog.get_by_label("Server-Token", exact=True)
    for text, message in refusals():
        field.fill(text)
        dialog.get_by_role("button", name="OK").click()
        expect(dialog.get_by_role("alert")).to_have_text(message["de"])
    assert cortado.state.saves == 0
    new_token, expires = fresh_token()
    field.fill(new_token)
    dialog.get_by_role("button", name="OK").click()
    question = page.get_by_role("alertdialog", name="Einstellungen auf Apps übertragen?")
    expect(question).to_contain_text("werden überschrieben")
    expect(question.get_by_role("button", name="Ja", exact=True)).to_be_visible()
    question.get_by_role("button", name="Nein", exact=True).click()
    expect(account_row(page, LOCATION).get_by_role("cell")).to_have_text(
        [f"{LOCATION} (VPP)", LOCATION, "Gerätezuweisung", expires.strftime("%d.%m.%Y")]
    )
    assert cortado.state.answers == [(LOCATION, "no")]


def test_expired_session_sends_the_browser_to_login_and_back(page: Page, cortado: CortadoMock) -> None:
    log_in(page, cortado)
    expect(account_row(page, LOCATION)).to_be_visible()
    cortado.state.expire_sessions()
    page.get_by_role("tab", name="Apps", exact=True).click()  # the table's API call answers 401
    expect(page).to_have_url(cortado.url + "/login?next=%2Fadministration%2Fapps")
    fill_login_form(page, CORTADO_PASSWORD)
    expect(page).to_have_url(cortado.url + "/administration/apps")
    assert cortado.state.sign_ins == 1


def test_add_and_delete_need_their_own_confirmation(page: Page, cortado: CortadoMock) -> None:
    log_in(page, cortado)
    page.get_by_role("button", name="Add", exact=True).click()
    dialog = page.get_by_role("dialog", name="Add App-Store account")
    dialog.get_by_label("Account name", exact=True).fill("Lab Dresden (VPP)")
    dialog.get_by_label("Server token", exact=True).fill(fresh_token()[0])
    dialog.get_by_role("button", name="OK").click()
    expect(account_row(page, "Lab Dresden")).to_be_visible()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    account_row(page, "Lab Dresden").click()
    page.get_by_role("button", name="Delete", exact=True).click()
    question = page.get_by_role("alertdialog", name="Delete App-Store account?")
    question.get_by_role("button", name="No", exact=True).click()
    expect(question).to_be_hidden()
    assert len(cortado.state.accounts) == 6
    account_row(page, "Lab Dresden").click()
    page.get_by_role("button", name="Delete", exact=True).click()
    question.get_by_role("button", name="Yes", exact=True).click()
    expect(account_row(page, "Lab Dresden")).to_have_count(0)
    assert [a.location for a in cortado.state.accounts] == [loc.name for loc in demo_locations()]
    assert cortado.state.answers == []


def test_delay_slows_every_answer(cortado: CortadoMock) -> None:
    started = time.monotonic()
    assert raw_request(cortado, "GET", "/login")[0] == 200
    quick = time.monotonic() - started
    cortado.state.delay = 0.4
    started = time.monotonic()
    assert raw_request(cortado, "GET", "/login")[0] == 200
    assert time.monotonic() - started >= 0.4 > quick
