"""`renew` end to end on the mock portals: every documented label variant, one location or several, due dates,
look-alike names, the report, dry runs and the demo; always judged by what the portals hold afterwards."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from fixtures.cortado.state import CortadoState
from fixtures.demo_data import DEFAULT_LOCATIONS, ORG_NAME
from fixtures.portals import MockPortals
from fixtures.tokens import make_token, token_expiry
from robot.cli import main
from robot.renewal import pending

CMS = "CMS Documentation"
CMS_BERLIN = "CMS Documentation Berlin"  # extends CMS: a prefix match would confuse the two
DUE_WITHIN = 30
DUE = {d.name for d in DEFAULT_LOCATIONS if d.days_left <= DUE_WITHIN}
REPORT_KEYS = {"location", "account", "status", "old_valid_until", "new_valid_until", "error"}

Holdings = dict[str, tuple[str, dict[str, bool]]]


def holdings(cortado: CortadoState) -> Holdings:
    """Each account's token and per-app settings, as Cortado stores them."""
    return {a.location: (a.token, dict(a.apps)) for a in cortado.accounts}


def assert_renewed_exactly(portals: MockPortals, before: Holdings, renewed: set[str]) -> None:
    """The renewed accounts hold the token ABM issued (one download each), No was the only answer and the
    per-app settings are intact; every other account is exactly as it was."""
    abm, cortado = portals.abm.state, portals.cortado.state
    assert {location: len(tokens) for location, tokens in abm.issued.items()} == dict.fromkeys(renewed, 1)
    after = holdings(cortado)
    for location, (token, apps) in before.items():
        if location in renewed:
            assert after[location] == (abm.issued[location][-1], apps), location
            assert cortado.valid_until(location) == token_expiry(abm.issued[location][-1]).date()
        else:
            assert after[location] == (token, apps), f"{location} was touched"
    assert sorted(cortado.answers) == sorted((location, "no") for location in renewed)


@dataclass(frozen=True)
class Case:
    """How both portals look (ABM's variant and account label, Cortado's language and dates), what the admin
    asks for, and which locations that renews."""

    variant: str
    account_label: str
    language: str
    date_format: str
    asked: tuple[str, ...]
    renewed: frozenset[str]


def only(*locations: str) -> tuple[tuple[str, ...], frozenset[str]]:
    return tuple(arg for location in locations for arg in ("--location", location)), frozenset(locations)


CASES = [
    pytest.param(Case("server_tokens", "Managed Apple ID", "de", "iso", *only(CMS)), id="server-tokens-de-iso"),
    pytest.param(Case("content_tokens", "Managed Apple Account", "de", "de", *only(CMS_BERLIN, "Support München")),
                 id="content-tokens-de-de"),
    pytest.param(Case("settings_apps_books", "Managed Apple Account", "de", "us",
                      ("--all", "--due-within", str(DUE_WITHIN)), frozenset(DUE)), id="apps-and-books-de-us-all"),
    pytest.param(Case("payments_invoices", "Managed Apple Account", "en", "us", *only(CMS_BERLIN)),
                 id="payments-invoices-en-us"),
]


@pytest.mark.parametrize("case", CASES)
def test_renews_exactly_what_is_asked_on_each_variant(dialect: str, portals: MockPortals, run_robot, tmp_path: Path,
                                                      case: Case) -> None:
    """Each documented ABM variant, the German label set with each date format, one location, several, or all
    that are due; the longer look-alike name comes first on both portals, so that a partial match would take it."""
    abm, cortado = portals.abm.state, portals.cortado.state
    abm.variant, abm.account_label = case.variant, case.account_label
    cortado.language, cortado.date_format = case.language, case.date_format
    abm.locations.reverse()
    cortado.accounts.reverse()
    before = holdings(cortado)
    old = {location: cortado.valid_until(location) for location in before}
    report = tmp_path / "report.json"

    run = run_robot("renew", *case.asked, "--report", str(report))

    assert run.exit_code == 0, run.output
    assert_renewed_exactly(portals, before, set(case.renewed))
    assert (abm.sign_ins, cortado.sign_ins) == (1, 1), "one sign-in per portal per run"
    results = json.loads(report.read_text(encoding="utf-8"))["results"]
    every = [a.location for a in cortado.accounts]  # in the order Cortado lists them
    assert [result["location"] for result in results] == (every if "--all" in case.asked else list(case.asked[1::2]))
    for result in results:
        location = result["location"]
        assert set(result) >= REPORT_KEYS
        assert (result["account"], result["error"]) == (cortado.account(location).name, None)
        assert result["old_valid_until"] == old[location].isoformat()
        if location in case.renewed:
            new = cortado.valid_until(location)
            assert (result["status"], result["new_valid_until"]) == ("renewed", new.isoformat())
            assert f"{location}: renewed, valid until {old[location]} -> {new}" in run.stdout
        else:
            assert (result["status"], result["new_valid_until"]) == ("skipped", None)
            assert f"{location}: skipped (not due" in run.stdout


def test_a_negative_due_within_is_a_usage_error_before_any_portal(portals: MockPortals, run_robot) -> None:
    run = run_robot("renew", "--all", "--due-within", "-1")

    assert run.exit_code == 2, run.output
    assert run.stderr.strip() == "error: --due-within takes a number of days, 0 or more: e.g. --due-within 30"
    assert (portals.cortado.state.sign_ins, portals.abm.state.sign_ins) == (0, 0)


def test_unknown_location_is_named_with_the_known_ones(portals: MockPortals, run_robot) -> None:
    before = holdings(portals.cortado.state)

    run = run_robot("renew", "--location", CMS_BERLIN, "--location", "CMS Doc")

    assert run.exit_code == 2, run.output
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, run.stderr
    assert '"CMS Doc"' in errors[0]
    assert all(d.name in errors[0] for d in DEFAULT_LOCATIONS)
    assert "Traceback" not in run.output
    assert (portals.abm.state.sign_ins, portals.abm.state.downloads) == (0, 0)
    assert holdings(portals.cortado.state) == before
    assert portals.cortado.state.saves == 0


def test_a_location_typed_in_another_unicode_form_or_with_spaces_around_is_the_same_location(
        portals: MockPortals, run_robot) -> None:
    decomposed = unicodedata.normalize("NFD", "Support München")
    assert decomposed != "Support München"

    run = run_robot("renew", "--location", decomposed, "--location", f" {CMS} ", "--dry-run")

    assert run.exit_code == 0, run.output
    would = [line.split(":")[0] for line in run.stdout.splitlines() if "would renew" in line]
    assert would == ["Support München", CMS]
    assert (portals.abm.state.downloads, portals.cortado.state.saves) == (0, 0)


def test_a_location_that_differs_only_in_case_is_not_guessed_but_named(portals: MockPortals, run_robot) -> None:
    before = holdings(portals.cortado.state)

    run = run_robot("renew", "--location", "cms documentation")

    assert run.exit_code == 2, run.output
    assert [line for line in run.stderr.splitlines() if line.startswith("error:")] == [
        'error: unknown location "cms documentation": did you mean "CMS Documentation"? '
        "Locations are matched exactly, case included"]
    assert (portals.abm.state.sign_ins, portals.abm.state.downloads) == (0, 0)
    assert holdings(portals.cortado.state) == before


def test_dry_run_names_what_it_would_renew_and_changes_nothing(dialect: str, portals: MockPortals, run_robot,
                                                               robot_env: dict[str, str]) -> None:
    """Nothing local either: a token an earlier run kept, expired by now, is left for the next real run."""
    before = holdings(portals.cortado.state)
    expired = make_token(ORG_NAME, datetime.now(UTC) - timedelta(days=1))
    kept = pending.keep(Path(robot_env["ROBOT_STATE_DIR"]) / "pending", CMS, expired)

    run = run_robot("renew", "--all", "--due-within", str(DUE_WITHIN), "--dry-run")

    assert run.exit_code == 0, run.output
    would = {line.split(":")[0] for line in run.stdout.splitlines() if "would renew" in line}
    assert would == DUE
    assert portals.abm.state.sign_ins == 1  # it did look in ABM
    assert portals.abm.state.downloads == 0
    assert holdings(portals.cortado.state) == before
    assert (portals.cortado.state.saves, portals.cortado.state.answers) == (0, [])
    assert kept.read_text() == expired


def test_demo_prints_valid_until_before_and_after(browser: Browser, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"], browser) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith(f"{CMS}: renewed"))
    before, after = (date.fromisoformat(text) for text in line.split("valid until ")[1].split(" -> "))
    assert (after - before).days > 300
