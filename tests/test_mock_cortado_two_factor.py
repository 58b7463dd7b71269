"""The Cortado mock's two-factor step in each dialect: the code is really checked against the secret, a code is
accepted once only, and a remembered machine skips the step; the mock's state counts every check."""

from __future__ import annotations

import pyotp
import pytest
from playwright.sync_api import Page, expect

from fixtures.cortado.mock import CortadoMock
from fixtures.cortado.state import DIALECTS
from fixtures.demo_data import CORTADO_PASSWORD, CORTADO_USERNAME
from fixtures.portals import MockPortals

# Each dialect names the fields its own way: the test reads them as a person would, by what shows.
PASSWORD_STEP = {"semantic": "label", "widgets": "label", "legacy": "placeholder"}
CODE_FIELD = {"semantic": "Authenticator code", "widgets": "Verification code", "legacy": "Authenticator code"}


@pytest.fixture(params=DIALECTS)
def cortado(request: pytest.FixtureRequest, portals: MockPortals) -> CortadoMock:
    portals.cortado.state.dialect = request.param
    portals.cortado.state.totp_secret = pyotp.random_base32()
    return portals.cortado


def enter_password(page: Page, how: str) -> None:
    find = page.get_by_label if how == "label" else page.get_by_placeholder
    find("User name", exact=True).fill(CORTADO_USERNAME)
    find("Password", exact=True).fill(CORTADO_PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()


def enter_code(page: Page, dialect: str, code: str, remember: bool = False) -> None:
    field = page.get_by_placeholder if dialect == "legacy" else page.get_by_label
    field(CODE_FIELD[dialect], exact=True).fill(code)
    if remember:
        page.get_by_role("checkbox", name="Remember this machine").check()
    page.get_by_role("button", name="Verify", exact=True).click()


def test_the_code_is_checked_with_the_secret_once_and_a_remembered_machine_skips_it(
        page: Page, cortado: CortadoMock) -> None:
    state, dialect = cortado.state, cortado.state.dialect
    assert state.totp_secret
    totp = pyotp.TOTP(state.totp_secret)
    page.goto(cortado.url + "/administration")
    enter_password(page, PASSWORD_STEP[dialect])

    enter_code(page, dialect, pyotp.TOTP(pyotp.random_base32()).now())
    expect(page.get_by_text("Invalid authenticator code.")).to_be_visible()
    assert (state.code_checks, state.codes_refused, state.sign_ins) == (1, 1, 0)

    code = totp.now()
    enter_code(page, dialect, code, remember=True)
    expect(page).to_have_url(cortado.url + "/administration")
    assert (state.code_checks, state.codes_refused, state.sign_ins, len(state.remembered)) == (2, 1, 1, 1)

    cortado.state.expire_sessions()
    page.goto(cortado.url + "/administration")
    enter_password(page, PASSWORD_STEP[dialect])
    expect(page).to_have_url(cortado.url + "/administration")
    assert (state.code_checks, state.sign_ins) == (2, 2), "the remembered machine was asked for a code"


def test_a_code_already_used_is_refused(page: Page, cortado: CortadoMock) -> None:
    state, dialect = cortado.state, cortado.state.dialect
    assert state.totp_secret
    code = pyotp.TOTP(state.totp_secret).now()
    page.goto(cortado.url + "/administration")
    enter_password(page, PASSWORD_STEP[dialect])
    enter_code(page, dialect, code)
    expect(page).to_have_url(cortado.url + "/administration")

    page.context.clear_cookies()
    page.goto(cortado.url + "/administration")
    enter_password(page, PASSWORD_STEP[dialect])
    enter_code(page, dialect, code)
    expect(page.get_by_text("Invalid authenticator code.")).to_be_visible()
    assert (state.code_checks, state.codes_refused, state.sign_ins) == (2, 1, 1)
