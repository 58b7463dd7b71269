"""The token check that stands between ABM and Cortado: every refusal, and what still passes."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime, timedelta

import pytest

from fixtures.tokens import make_token
from robot.errors import LocationFailed, TokenRejected
from robot.renewal.token_check import MIN_DAYS_LEFT, check_token, decode_token, holds_a_token_or_nothing

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ORG = "Example Org"
LOCATION = "CMS Documentation"
FILE = "sToken_for_CMS Documentation.vpptoken"


def encoded(payload: object) -> str:
    return base64.b64encode(json.dumps(payload).encode()).decode()


def token(days: float = 365, org: str = ORG) -> str:
    return make_token(org, NOW + timedelta(days=days))


def check(text: str, *, filename: str | None = FILE, current: date | None = None, org: str | None = ORG,
          location: str = LOCATION) -> None:
    check_token(decode_token(text), location=location, filename=filename, current_valid_until=current,
                org_name=org, now=NOW)


def test_a_fresh_token_of_the_right_organisation_and_location_passes() -> None:
    text = token()
    decoded = decode_token(f"  {text}\n")
    assert decoded.text == text  # the file's line break is not pasted into Cortado
    assert decoded.org_name == ORG
    assert decoded.expiry_date == (NOW + timedelta(days=365)).date()
    check(text, current=(NOW + timedelta(days=12)).date())


def test_expiry_date_is_the_day_in_the_tokens_own_offset() -> None:
    text = encoded({"token": "x", "expDate": "2027-03-01T22:33:22-0700", "orgName": ORG})
    assert decode_token(text).expiry_date == date(2027, 3, 1)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not a token at all",
        "<html><body>Sign in</body></html>",
        base64.b64encode(b"not json").decode(),
        encoded(["token", "expDate", "orgName"]),
        encoded({"token": "x", "expDate": "2030-11-08T22:33:22+0000"}),
        encoded({"token": "x", "expDate": 20301108, "orgName": ORG}),
        encoded({"token": "x", "expDate": "8 Nov 2030", "orgName": ORG}),
    ],
    ids=["empty", "text", "html", "base64-not-json", "json-list", "no-org", "number-date", "prose-date"],
)
def test_malformed_files_are_refused(text: str) -> None:
    with pytest.raises(TokenRejected, match=r"not a server token|is not a date"):
        decode_token(text)


def test_refusal_messages_never_quote_the_token() -> None:
    text = token(days=-1)
    with pytest.raises(TokenRejected) as refused:
        check(text)
    secret = json.loads(base64.b64decode(text))["token"]
    assert text not in str(refused.value)
    assert secret not in str(refused.value)


@pytest.mark.parametrize(
    ("days", "reason"),
    [(-1, "expired on"), (0.5, "expires in 0 days"), (200, "expires in 200 days"),
     (MIN_DAYS_LEFT - 1, f"less than {MIN_DAYS_LEFT}")],
)
def test_expired_and_short_lived_tokens_are_refused(days: float, reason: str) -> None:
    with pytest.raises(TokenRejected, match=reason):
        check(token(days=days))


def test_a_token_living_exactly_the_minimum_passes() -> None:
    check(token(days=MIN_DAYS_LEFT + 0.01))


@pytest.mark.parametrize("installed_days", [365, 364, 366])
def test_a_token_not_clearly_later_than_the_installed_one_is_refused(installed_days: int) -> None:
    """Valid until may be a day off, so a token only a day later could not be told apart after saving."""
    installed = (NOW + timedelta(days=installed_days)).date()
    with pytest.raises(TokenRejected, match="not more than a day later than the installed one"):
        check(token(days=365), current=installed)
    check(token(days=365), current=(NOW + timedelta(days=363)).date())


def test_a_token_of_another_organisation_is_refused_when_one_is_configured() -> None:
    text = token(org="Other Org")
    with pytest.raises(TokenRejected, match="'Other Org', not 'Example Org'"):
        check(text)
    check(text, org=None)  # without ROBOT_ORG_NAME there is nothing to compare with


@pytest.mark.parametrize(
    "filename",
    ["sToken_for_CMS Documentation Berlin.vpptoken", "sToken_for_CMS.vpptoken", "sToken_for_Sales Hamburg.vpptoken",
     "CMS Documentation.vpptoken", "sToken_for_CMS Documentation.txt"],
)
def test_a_file_named_for_another_location_is_refused(filename: str) -> None:
    with pytest.raises(TokenRejected, match="which is not the token of CMS Documentation"):
        check(token(), filename=filename)


@pytest.mark.parametrize(
    "filename",
    ["sToken_for_CMS Documentation.vpptoken", "sToken_for_CMS_Documentation.vpptoken",
     "sToken_for_cms documentation (1).vpptoken", "sToken_for_CMS Documentation(2).vpptoken"],
)
def test_browser_spellings_of_the_right_file_name_pass(filename: str) -> None:
    check(token(), filename=filename)


def test_umlauts_in_location_names_match() -> None:
    check(token(), filename="sToken_for_Support München.vpptoken", location="Support München")


@pytest.mark.parametrize(
    ("location", "saved_as"),
    [("Sales / Hamburg", "sToken_for_Sales _ Hamburg.vpptoken"), ('Lab "A": 3', "sToken_for_Lab _A__ 3.vpptoken"),
     ("Support München", "sToken_for_Support Mu\u0308nchen.vpptoken")],
)
def test_names_as_chromium_saves_them_match(location: str, saved_as: str) -> None:
    """Chromium replaces characters not allowed in file names with "_"; such a location must stay renewable."""
    check(token(), filename=saved_as, location=location)


def test_replaced_characters_do_not_make_other_locations_match() -> None:
    with pytest.raises(TokenRejected):
        check(token(), filename="sToken_for_Sales _ Hamburg Nord.vpptoken", location="Sales / Hamburg")


def test_a_field_that_holds_no_server_token_is_not_taken_for_the_token_field() -> None:
    """An account's name in a box that stands beside a label not its own says the box is another field."""
    holds_a_token_or_nothing("")
    holds_a_token_or_nothing(token())
    with pytest.raises(LocationFailed, match="holds no server token, so it may be another field: Cortado not"):
        holds_a_token_or_nothing("München")
