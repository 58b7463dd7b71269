"""The ABM mock in each dialect (semantic, widgets, legacy), driven as a person would: by what is visible.

The same server-side rules must hold whatever the markup: sign-in only through the cross-origin widget,
downloads only for a signed-in session, every token recorded in state.issued, fault switches honoured.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest
from playwright.sync_api import Download, FrameLocator, Locator, Page, Response, expect

from fixtures.abm import AbmMock
from fixtures.abm.state import DIALECTS, VARIANTS
from fixtures.demo_data import ABM_DISPLAY_NAME, VERIFICATION_CODE
from fixtures.portals import MockPortals
from fixtures.tokens import read_token

Scope = Page | FrameLocator
WRONG = "Your Managed Apple Account or password was incorrect."
# The label path to each variant's token list (issue 16): None stands for the account menu button, which
# shows the admin's display name; the last entry is the heading the list appears under.
PATHS: dict[str, tuple[list[str | None], str]] = {
    "server_tokens": ([None, "Preferences", "Payments and Billing"], "Server Tokens"),
    "content_tokens": ([None, "Preferences", "Payments and Billing"], "Content Tokens"),
    "settings_apps_books": (["Settings", "Payments & Billing", "Apps & Books"], "Apps & Books"),
    "payments_invoices": ([None, "Settings", "Payments and Invoices"], "Server Tokens"),
}
# One per variant: look-alike names (one extends the other) and a non-ASCII one among them.
CHOSEN = ("CMS Documentation", "Support München", "CMS Documentation Berlin", "Warehouse Leipzig")


@pytest.fixture(params=DIALECTS)
def abm(request: pytest.FixtureRequest, portals: MockPortals) -> AbmMock:
    """The mock in the dialect this test runs for (the test id names it)."""
    portals.abm.state.dialect = request.param
    return portals.abm


def dialect(abm: AbmMock) -> str:
    return abm.state.dialect


# --- what a person does -------------------------------------------------------------------------------
def named(scope: Scope, name: str) -> Locator:
    """What a person means by "click X": a shown control named X, or shown text reading X (the first in the page)."""
    found = scope.get_by_text(name, exact=True)
    for role in ("button", "link", "menuitem", "tab", "option"):
        found = found.or_(scope.get_by_role(role, name=name, exact=True))  # type: ignore[arg-type]
    return found.filter(visible=True).first


def app(page: Page, abm: AbmMock) -> Scope:
    """Where the signed-in app is: the widgets dialect runs it in the same-origin MainPortal frame."""
    if dialect(abm) == "widgets":
        return page.frame_locator('iframe[name="MainPortal"]')
    return page


def widget(page: Page, abm: AbmMock) -> FrameLocator:
    """The sign-in widget: the frame served from the other (sign-in) origin."""
    return page.frame_locator(f'iframe[src^="{abm.auth_url}/"]')


def field(frame: FrameLocator, name: str) -> Locator:
    """A text field by its label, or by its placeholder where the widget has no label."""
    return frame.get_by_label(name, exact=True).or_(frame.get_by_placeholder(name, exact=True)).first


def sign_in(page: Page, abm: AbmMock, password: str | None = None) -> FrameLocator:
    page.goto(abm.url)
    frame = widget(page, abm)
    field(frame, abm.state.account_label).fill(abm.state.account)
    named(frame, "Continue").click()
    field(frame, "Password").fill(password or abm.state.password)
    named(frame, "Sign In").click()
    return frame


def answer_code_and_trust(page: Page, frame: FrameLocator) -> None:
    """Six boxes, typed into one after another from the first; then trust this browser."""
    expect(frame.get_by_text("Two-Factor Authentication", exact=True)).to_be_visible()
    boxes = frame.get_by_role("textbox").filter(visible=True)
    expect(boxes).to_have_count(6)
    boxes.first.click()
    page.keyboard.type(VERIFICATION_CODE)
    expect(frame.get_by_text("Trust this browser?", exact=True)).to_be_visible()
    named(frame, "Trust").click()


def account_menu(page: Page, abm: AbmMock) -> Locator:
    """The menu button shows the admin's display name (and the organisation)."""
    return named(app(page, abm), ABM_DISPLAY_NAME)


def open_token_list(page: Page, abm: AbmMock) -> Scope:
    scope = app(page, abm)
    steps, heading = PATHS[abm.state.variant]
    for step in steps:
        (account_menu(page, abm) if step is None else named(scope, step)).click()
    expect(named(scope, heading)).to_be_visible()
    return scope


def download_control(scope: Scope, location: str) -> Locator:
    """The Download control on the line (row, list item or div) that names this location."""
    name = scope.get_by_text(location, exact=True)
    control = scope.get_by_role("button", name="Download", exact=True).or_(scope.get_by_text("Download", exact=True))
    line = scope.locator("tr, li, [role=row], div").filter(has=name).filter(has=control).last
    return line.get_by_role("button", name="Download", exact=True).or_(line.get_by_text("Download", exact=True)).first


def download(page: Page, scope: Scope, location: str) -> Download:
    with page.expect_download() as info:
        download_control(scope, location).click()
    return info.value


def signed_in_by_cookie(page: Page, abm: AbmMock) -> Page:
    session_id = abm.state.redeem_grant(abm.state.issue_grant(abm.state.account))
    page.context.add_cookies([{"name": "abm_session", "value": session_id or "", "url": abm.url}])
    page.goto(abm.url)
    return page


# --- the tests ------------------------------------------------------------------------------------------
def refuses_the_wrong_password(frame: FrameLocator, abm: AbmMock) -> None:
    expect(frame.get_by_text(WRONG, exact=True)).to_be_visible()
    if dialect(abm) == "widgets":  # the framework's widget: a visible alert; its hidden steps stay in the DOM
        expect(frame.get_by_role("alert").filter(visible=True)).to_have_text(WRONG)
        expect(frame.get_by_text("Two-Factor Authentication", exact=True)).to_be_attached()
        expect(frame.get_by_text("Two-Factor Authentication", exact=True)).to_be_hidden()
    if dialect(abm) == "legacy":  # plain text, no roles
        expect(frame.get_by_role("alert")).to_have_count(0)
    assert (abm.state.sessions, abm.state.sign_ins, abm.state.code_prompts, abm.state.issued) == ({}, 0, 0, {})


def test_wrong_password_then_sign_in_and_download_each_chosen_location(page: Page, abm: AbmMock) -> None:
    """One browser session walks every variant's label path: fewer page set-ups keep the file fast."""
    abm.state.two_factor = True
    answers: list[Response] = []
    # A lambda, not answers.append: Playwright tags handlers with an attribute, which builtins cannot take.
    page.on("response", lambda answer: answers.append(answer))  # noqa: PLW0108
    frame = sign_in(page, abm, password="not-the-password")
    refuses_the_wrong_password(frame, abm)
    field(frame, "Password").fill(abm.state.password)
    named(frame, "Sign In").click()
    answer_code_and_trust(page, frame)
    expect(account_menu(page, abm)).to_be_visible()
    assert (abm.state.sign_ins, abm.state.code_prompts) == (1, 1)
    for variant, location in zip(VARIANTS, CHOSEN, strict=True):
        if variant != abm.state.variant:  # the first one is the default, already shown after signing in
            abm.state.variant = variant
            page.goto(abm.url)
        file = download(page, open_token_list(page, abm), location)
        assert file.suggested_filename == f"sToken_for_{location}.vpptoken", variant
        text = file.path().read_text(encoding="utf-8")
        assert read_token(text) is not None, variant
        assert abm.state.issued[location] == [text], variant
    assert abm.state.downloads == len(CHOSEN)
    dispositions = [answer.headers.get("content-disposition", "") for answer in answers]
    if dialect(abm) == "widgets":  # made by the page from JSON: no answer is an attachment
        assert not any(dispositions)
    if dialect(abm) == "legacy":  # a plain navigation to an attachment
        assert sum(d.startswith('attachment; filename="sToken_for_') for d in dispositions) == len(CHOSEN)


REFUSED = {  # what a person sees after clicking Download once the session has ended
    "semantic": "Sign in to Apple Business Manager",
    "widgets": "Your session has ended. Sign in again to continue.",
    "legacy": "Your session has timed out. Please sign in again.",
}


def test_a_failing_download_shows_an_error_and_a_signed_out_one_is_refused(page: Page, abm: AbmMock) -> None:
    abm.state.fail_downloads = 1
    scope = open_token_list(signed_in_by_cookie(page, abm), abm)
    download_control(scope, "Sales Hamburg").click()
    expect(app(page, abm).get_by_text("could not be downloaded", exact=False).first).to_be_visible()
    assert (abm.state.fail_downloads, abm.state.issued) == (0, {})
    if dialect(abm) == "legacy":  # the error replaced the page
        named(page, "Back").click()
    file = download(page, app(page, abm), "Sales Hamburg")
    assert [file.path().read_text(encoding="utf-8")] == abm.state.issued["Sales Hamburg"]

    downloads: list[Download] = []
    page.on("download", lambda file: downloads.append(file))  # noqa: PLW0108 (see above)
    abm.state.expire_sessions()
    download_control(app(page, abm), "Support München").click()
    expect(app(page, abm).get_by_text(REFUSED[dialect(abm)], exact=False).first).to_be_visible()
    if dialect(abm) == "widgets":
        expect(app(page, abm).get_by_role("alert")).to_contain_text(REFUSED["widgets"])
    assert (downloads, list(abm.state.issued), abm.state.downloads) == ([], ["Sales Hamburg"], 1)


ENDPOINTS = {  # each dialect's own download request, for checks below the browser
    "semantic": ("GET", "/api/tokens/download?location="),
    "widgets": ("POST", "/api/portal/tokens"),
    "legacy": ("GET", "/servlet/DownloadToken?location="),
}


def http(abm: AbmMock, endpoint: str, location: str, cookie: str = "") -> tuple[int, dict[str, str], bytes]:
    """Ask `endpoint`'s dialect's download request for a location, without raising on error statuses."""
    method, path = ENDPOINTS[endpoint]
    url = abm.url + path + (quote(location) if method == "GET" else "")
    body = json.dumps({"unit": location}).encode() if method == "POST" else None
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": "application/json"})
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def test_endpoints_refuse_without_a_session_and_exist_only_in_their_dialect(abm: AbmMock) -> None:
    own = dialect(abm)
    assert http(abm, own, "Sales Hamburg")[0] == 401
    cookie = f"abm_session={abm.state.redeem_grant(abm.state.issue_grant(abm.state.account))}"
    status, headers, body = http(abm, own, "Sales Hamburg", cookie)
    assert status == 200
    issued = abm.state.issued["Sales Hamburg"]
    if dialect(abm) == "widgets":
        assert "content-disposition" not in headers
        assert json.loads(body) == {"filename": "sToken_for_Sales Hamburg.vpptoken", "content": issued[0]}
    else:
        assert headers["content-disposition"].startswith('attachment; filename="sToken_for_Sales Hamburg.vpptoken"')
        assert body.decode() == issued[0]
    for other in DIALECTS:
        if other != own:
            assert http(abm, other, "Sales Hamburg", cookie)[0] == 404
    assert abm.state.downloads == 1
