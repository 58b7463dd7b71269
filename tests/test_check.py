"""`check` on each dialect of both portals: every step found, nothing changed; and on a portal whose label
was renamed: what is missing, what the page shows instead, a labels file that makes it pass."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import private

from fixtures.cortado.labels import EN, LABELS
from fixtures.portals import MockPortals

STEPS = ("Cortado: sign-in", "Cortado: Administration > Apps > App-Store accounts",
         "Cortado: the accounts and their Valid until", 'Cortado: the edit form of "', "ABM: sign-in",
         "ABM: the token list", "ABM: one entry for each location", 'ABM: the Download of "')


def test_check_finds_every_step_on_each_dialect_and_changes_nothing(dialect: str, portals: MockPortals,
                                                                    run_robot) -> None:
    cortado, abm = portals.cortado.state, portals.abm.state
    before = {a.location: (a.token, dict(a.apps)) for a in cortado.accounts}

    run = run_robot("check")

    assert run.exit_code == 0, run.output
    lines = run.stdout.splitlines()
    for step in STEPS:
        assert any(line.startswith(f"ok      {step}") for line in lines), (step, run.stdout)
    assert {a.location: (a.token, dict(a.apps)) for a in cortado.accounts} == before
    assert (cortado.saves, cortado.answers, abm.downloads, abm.issued) == (0, [], 0, {})
    assert not [location for location, (token, _) in before.items() if token[:16] in run.output], \
        "the edit form's token is never shown"


def test_a_renamed_label_is_named_with_what_the_page_shows_and_a_proposed_labels_file_fixes_it(
        portals: MockPortals, run_robot, robot_env: dict[str, str], monkeypatch, tmp_path: Path) -> None:
    # a portal update renamed "Edit" (to a word that only looks alike: "Edit…" would still be Edit to a person)
    monkeypatch.setitem(LABELS, "renamed", {**EN, "edit": "Editieren"})
    portals.cortado.state.language = "renamed"
    robot_env["ROBOT_TIMEOUT_MS"] = "2000"
    proposed = tmp_path / "labels.json"

    run = run_robot("check", "--write-labels", str(proposed))

    assert run.exit_code == 1, run.output
    [missing] = [line for line in run.stdout.splitlines() if line.startswith("MISSING")]
    assert 'the "Edit" / "Bearbeiten" button not found on ' in missing
    assert 'did you mean "Editieren" (button)? add it under cortado.edit in ROBOT_LABELS_FILE' in missing
    assert json.loads(proposed.read_text(encoding="utf-8")) == {"cortado": {"edit": ["Editieren"]}}

    robot_env["ROBOT_LABELS_FILE"] = str(proposed)
    assert run_robot("check").exit_code == 0
    assert portals.cortado.state.saves == 0 and private(proposed)
