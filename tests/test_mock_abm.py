"""The ABM mock itself: cross-origin sign-in widget, two-factor, the four token-list variants, faults.

The robot is written against this mock, so these tests pin the behaviour and labels it relies on.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from playwright.sync_api import FrameLocator, Locator, Page, expect

from fixtures.abm import AbmMock
from fixtures.demo_data import ABM_DISPLAY_NAME, ORG_NAME, VERIFICATION_CODE
from fixtures.portals import MockPortals
from fixtures.tokens import EXP_FORMAT, read_token

SIGN_IN_HEADING = "Sign in to Apple Business Manager"
FRAME_TITLE = "Sign in with your Managed Apple Account"
Answer = tuple[int, dict[str, str], bytes]


@pytest.fixture
def abm(portals: MockPortals) -> AbmMock:
    return portals.abm


def http(url: str, *, cookie: str | None = None, data: dict[str, str] | None = None) -> Answer:
    """Status, lower-cased headers and body, without raising on error statuses."""
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def new_session(abm: AbmMock) -> str:
    """A session made the way the widget's grant makes one, minus the clicking."""
    session_id = abm.state.redeem_grant(abm.state.issue_grant(abm.state.account))
    assert session_id
    return session_id


def signed_in(page: Page, abm: AbmMock) -> Page:
    page.context.add_cookies([{"name": "abm_session", "value": new_session(abm), "url": abm.url}])
    return page


def download_url(abm: AbmMock, location: str) -> str:
    return f"{abm.url}/api/tokens/download?location={quote(location)}"


def widget_sign_in(page: Page, abm: AbmMock, password: str | None = None) -> FrameLocator:
    """Type into the cross-origin widget as a person would: account, arrow button, password, Sign In."""
    frame = page.frame_locator(f'iframe[title="{FRAME_TITLE}"]')
    frame.get_by_label("Managed Apple Account", exact=True).fill(abm.state.account.upper())
    frame.get_by_role("button", name="Continue", exact=True).click()
    frame.get_by_label("Password", exact=True).fill(password or abm.state.password)
    frame.get_by_role("button", name="Sign In", exact=True).click()
    return frame


def account_menu(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Sidebar").get_by_role("button", name=ABM_DISPLAY_NAME)


def test_signed_out_download_is_refused_and_pages_show_the_widget(page: Page, abm: AbmMock) -> None:
    status, _, _ = http(download_url(abm, "Sales Hamburg"))
    assert status == 401
    assert abm.state.downloads == 0
    page.goto(f"{abm.url}/preferences/payments")
    expect(page.get_by_role("heading", name=SIGN_IN_HEADING)).to_be_visible()
    frame = page.get_by_title(FRAME_TITLE)
    expect(frame).to_have_attribute("src", re.compile("^" + re.escape(abm.auth_url + "/signin")))
    expect(page.get_by_role("navigation", name="Sidebar")).to_have_count(0)
    abm.state.account_label = "Managed Apple ID"  # the name before Apple's 2024 rename
    page.reload()
    frame = page.frame_locator('iframe[title="Sign in with your Managed Apple ID"]')
    expect(frame.get_by_label("Managed Apple ID", exact=True)).to_be_visible()


def test_widget_sign_in_opens_the_requested_page(page: Page, abm: AbmMock) -> None:
    page.goto(f"{abm.url}/preferences/payments")
    frame = page.frame_locator(f'iframe[title="{FRAME_TITLE}"]')
    expect(frame.get_by_role("button", name="Continue", exact=True)).to_have_text(re.compile(r"^\s*$"))
    expect(frame.get_by_label("Password")).to_be_hidden()
    widget_sign_in(page, abm)
    expect(page.get_by_role("main").get_by_role("heading", name="Server Tokens")).to_be_visible()
    expect(account_menu(page)).to_contain_text(ORG_NAME)
    assert abm.state.sign_ins == 1
    cookie = next(c for c in page.context.cookies(abm.url) if c["name"] == "abm_session")
    assert cookie["httpOnly"]
    assert cookie["value"] in abm.state.sessions


def test_wrong_password_alerts_inside_the_widget_only(page: Page, abm: AbmMock) -> None:
    page.goto(abm.url)
    frame = widget_sign_in(page, abm, password="not-the-password")
    expect(frame.get_by_role("alert")).to_have_text("Your Managed Apple Account or password was incorrect.")
    expect(page.get_by_role("heading", name=SIGN_IN_HEADING)).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    assert abm.state.sessions == {}
    assert abm.state.sign_ins == 0


def test_grant_is_single_use(abm: AbmMock) -> None:
    state = abm.state
    status, _, body = http(
        f"{abm.auth_url}/api/signin", data={"account": state.account, "password": state.password}
    )
    grant = json.loads(body)["grant"]
    assert status == 200
    status, headers, _ = http(f"{abm.url}/api/session", data={"grant": grant})
    assert status == 200
    assert re.match(r"abm_session=[^;]+;.*HttpOnly", headers["set-cookie"])
    assert http(f"{abm.url}/api/session", data={"grant": grant})[0] == 403
    assert http(f"{abm.url}/api/session", data={"grant": "made-up"})[0] == 403
    assert state.sign_ins == 1


def test_two_factor_code_and_trust_skip_the_code_next_time(page: Page, abm: AbmMock) -> None:
    abm.state.two_factor = True
    page.goto(abm.url)
    frame = widget_sign_in(page, abm)
    expect(frame.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    expect(frame.get_by_text("Enter the verification code sent to your Apple devices.")).to_be_visible()
    boxes = frame.get_by_label(re.compile(r"^Digit [1-6]$"))
    expect(boxes).to_have_count(6)
    assert abm.state.code_prompts == 1

    frame.get_by_label("Digit 1").click()
    page.keyboard.type("000000")
    expect(frame.get_by_role("alert")).to_have_text("Incorrect verification code.")
    for box in boxes.all():
        expect(box).to_have_value("")

    frame.get_by_label("Digit 1").click()
    page.keyboard.type(VERIFICATION_CODE[0])
    expect(frame.get_by_label("Digit 2")).to_be_focused()
    page.keyboard.type(VERIFICATION_CODE[1:])
    expect(frame.get_by_role("heading", name="Trust this browser?")).to_be_visible()
    for name in ("Don't Trust", "Not Now"):
        expect(frame.get_by_role("button", name=name, exact=True)).to_be_visible()
    frame.get_by_role("button", name="Trust", exact=True).click()
    expect(account_menu(page)).to_be_visible()
    trust = next(c for c in page.context.cookies(abm.auth_url) if c["name"] == "abm_trust")
    assert trust["value"] in abm.state.trusted
    assert abm.state.sign_ins == 1

    abm.state.expire_sessions()
    page.reload()
    widget_sign_in(page, abm)
    expect(account_menu(page)).to_be_visible()
    assert (abm.state.sign_ins, abm.state.code_prompts) == (2, 1)


def open_via_account_menu(page: Page, item: str, section: str, heading: str) -> Locator:
    menu_button = account_menu(page)
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    menu_button.click()
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("menu").get_by_role("menuitem", name="Sign Out")).to_be_visible()
    page.get_by_role("menuitem", name=item, exact=True).click()
    main = page.get_by_role("main")
    main.get_by_role("link", name=section, exact=True).click()
    expect(main.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    return main


def table_row(main: Locator, location: str) -> Locator:
    expect(main.get_by_role("columnheader", name="Location")).to_be_visible()
    expect(main.get_by_role("columnheader", name="Download")).to_be_visible()
    return main.get_by_role("row").filter(has=main.page.get_by_role("cell", name=location, exact=True))


def token_entry(page: Page, variant: str, location: str) -> Locator:
    """Reach the token list by clicking visible labels only, as the robot must."""
    if variant == "server_tokens":
        return table_row(
            open_via_account_menu(page, "Preferences", "Payments and Billing", "Server Tokens"), location
        )
    if variant == "content_tokens":
        return table_row(
            open_via_account_menu(page, "Preferences", "Payments and Billing", "Content Tokens"), location
        )
    if variant == "payments_invoices":
        return table_row(
            open_via_account_menu(page, "Settings", "Payments and Invoices", "Server Tokens"), location
        )
    page.get_by_role("navigation", name="Sidebar").get_by_role("link", name="Settings").click()
    main = page.get_by_role("main")
    main.get_by_role("link", name="Payments & Billing", exact=True).click()
    apps = main.get_by_role("tab", name="Apps & Books")
    expect(main.get_by_role("tab", name="Devices")).to_have_attribute("aria-selected", "true")
    expect(main.get_by_role("table")).to_have_count(0)
    apps.click()
    expect(apps).to_have_attribute("aria-selected", "true")
    return main.get_by_role("listitem").filter(has=page.get_by_text(location, exact=True))


@pytest.mark.parametrize(
    ("variant", "location"),
    [
        ("server_tokens", "CMS Documentation"),
        ("content_tokens", "Support München"),
        ("settings_apps_books", "CMS Documentation"),
        ("payments_invoices", "Warehouse Leipzig"),
    ],
)
def test_each_variant_leads_to_a_download(page: Page, abm: AbmMock, variant: str, location: str) -> None:
    abm.state.variant = variant
    signed_in(page, abm).goto(abm.url)
    sidebar = page.get_by_role("navigation", name="Sidebar")
    for name in ("Activity", "Devices", "Apps and Books", "Locations"):
        expect(sidebar.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(sidebar.get_by_role("link", name="Settings")).to_have_count(int(variant == "settings_apps_books"))
    entry = token_entry(page, variant, location)
    expect(entry).to_have_count(1)
    with page.expect_download() as download_info:
        entry.get_by_role("button", name="Download", exact=True).click()
    download = download_info.value
    assert download.suggested_filename == f"sToken_for_{location}.vpptoken"
    text = download.path().read_text(encoding="utf-8")
    payload = read_token(text)
    assert payload is not None and payload["orgName"] == ORG_NAME
    expires = datetime.strptime(payload["expDate"], EXP_FORMAT)
    assert abs(expires - (datetime.now(UTC) + timedelta(days=365))) < timedelta(minutes=5)
    assert abm.state.issued == {location: [text]}
    assert abm.state.downloads == 1


def test_download_answer_over_plain_http(abm: AbmMock) -> None:
    cookie = f"abm_session={new_session(abm)}"
    status, headers, body = http(download_url(abm, "Sales Hamburg"), cookie=cookie)
    assert status == 200
    assert headers["content-disposition"].startswith(
        'attachment; filename="sToken_for_Sales Hamburg.vpptoken"'
    )
    assert body.decode() == abm.state.issued["Sales Hamburg"][-1]
    assert not body.endswith(b"\n")
    assert http(download_url(abm, "Sales"), cookie=cookie)[0] == 404


def test_failed_download_shows_an_error_then_succeeds(page: Page, abm: AbmMock) -> None:
    abm.state.fail_downloads = 1
    signed_in(page, abm).goto(f"{abm.url}/preferences/payments")
    button = table_row(page.get_by_role("main"), "Sales Hamburg").get_by_role("button", name="Download")
    with page.expect_response(re.compile("/api/tokens/download")) as answer:
        button.click()
    assert answer.value.status == 500
    expect(page.get_by_role("alert")).to_contain_text("could not be downloaded")
    assert (abm.state.fail_downloads, abm.state.downloads) == (0, 0)
    with page.expect_download() as download_info:
        button.click()
    assert download_info.value.path().read_text() == abm.state.issued["Sales Hamburg"][0]
    assert abm.state.downloads == 1


def test_token_faults_show_in_the_file(abm: AbmMock) -> None:
    cookie = f"abm_session={new_session(abm)}"
    abm.state.token_valid_days = -1
    abm.state.token_org = "Other Org"
    payload = read_token(http(download_url(abm, "Sales Hamburg"), cookie=cookie)[2].decode())
    assert payload is not None and payload["orgName"] == "Other Org"
    assert datetime.strptime(payload["expDate"], EXP_FORMAT) < datetime.now(UTC)
    abm.state.token_valid_days = 200
    abm.state.token_org = None
    payload = read_token(http(download_url(abm, "Sales Hamburg"), cookie=cookie)[2].decode())
    assert payload is not None and payload["orgName"] == ORG_NAME
    left = datetime.strptime(payload["expDate"], EXP_FORMAT) - datetime.now(UTC)
    assert timedelta(days=199) < left <= timedelta(days=200)


def test_served_files_replace_the_token_and_the_hook_sees_each_download(abm: AbmMock) -> None:
    cookie = f"abm_session={new_session(abm)}"
    abm.state.served_files["Sales Hamburg"] = ("sToken_for_Sales.vpptoken", "<html>not a token</html>")
    seen: list[str] = []
    abm.state.after_download = seen.append
    status, headers, body = http(download_url(abm, "Sales Hamburg"), cookie=cookie)
    assert (status, body) == (200, b"<html>not a token</html>")
    assert 'filename="sToken_for_Sales.vpptoken"' in headers["content-disposition"]
    assert read_token(http(download_url(abm, "Support München"), cookie=cookie)[2].decode()) is not None
    assert seen == ["Sales Hamburg", "Support München"] and abm.state.downloads == 2
    assert abm.state.issued["Sales Hamburg"] == ["<html>not a token</html>"]


def test_expired_sessions_send_the_browser_back_to_sign_in(page: Page, abm: AbmMock) -> None:
    signed_in(page, abm).goto(abm.url)
    expect(account_menu(page)).to_be_visible()
    abm.state.expire_sessions()
    page.reload()
    expect(page.get_by_title(FRAME_TITLE)).to_be_visible()


def test_sign_out_ends_the_session(page: Page, abm: AbmMock) -> None:
    signed_in(page, abm).goto(abm.url)
    account_menu(page).click()
    page.get_by_role("menuitem", name="Sign Out").click()
    expect(page.get_by_role("heading", name=SIGN_IN_HEADING)).to_be_visible()
    assert abm.state.sessions == {}


def test_delay_slows_both_origins(abm: AbmMock) -> None:
    abm.state.delay = 0.2
    for url in (abm.url, f"{abm.auth_url}/signin"):
        started = time.monotonic()
        assert http(url)[0] == 200
        assert time.monotonic() - started >= 0.2
