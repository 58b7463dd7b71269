"""Labels: whole-name matching, documented variants, and the admin's override file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.abm_labels import ABM_LABELS
from flows.cortado import CortadoFlow
from flows.cortado_labels import CORTADO_LABELS
from flows.labels import LabelFileError, read_overrides


def test_labels_match_whole_names_ignoring_case() -> None:
    sign_in = ABM_LABELS.exact("sign_in")
    assert sign_in.match("Sign in") and sign_in.match(" SIGN IN ")
    assert not sign_in.match("Sign in with your Managed Apple Account")


@pytest.mark.parametrize("shown", ["Payments and Billing", "Payments & Billing", "Payments and Invoices"])
def test_every_documented_payments_label_is_accepted(shown: str) -> None:
    assert ABM_LABELS.exact("payments").match(shown)


def test_override_file_adds_labels_and_keeps_the_documented_ones(tmp_path: Path) -> None:
    path = tmp_path / "labels.json"
    path.write_text(json.dumps({"cortado": {"edit": ["Ändern"]}}), encoding="utf-8")
    labels = CORTADO_LABELS.with_overrides(read_overrides(path, "cortado"))
    assert labels.exact("edit").match("Ändern") and labels.exact("edit").match("Edit")
    assert ABM_LABELS.with_overrides(read_overrides(path, "abm")) == ABM_LABELS


def test_unknown_label_key_is_refused_with_the_known_keys(tmp_path: Path) -> None:
    path = tmp_path / "labels.json"
    path.write_text(json.dumps({"cortado": {"edti": ["Ändern"]}}), encoding="utf-8")
    with pytest.raises(LabelFileError, match=r"edti.*known: .*edit"):
        CORTADO_LABELS.with_overrides(read_overrides(path, "cortado"))


def test_broken_label_file_gets_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "labels.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(LabelFileError, match="not valid JSON"):
        read_overrides(path, "abm")


def test_no_override_can_make_the_robot_answer_yes() -> None:
    dangerous = CORTADO_LABELS.with_overrides({"no": ["Ja"]})
    with pytest.raises(ValueError, match="must not match"):
        CortadoFlow(page=None, labels=dangerous)  # type: ignore[arg-type]


def test_a_labels_file_that_would_answer_yes_stops_the_run_before_any_change(
        portals, run_robot, robot_env, tmp_path: Path) -> None:
    path = tmp_path / "labels.json"
    path.write_text(json.dumps({"cortado": {"no": ["Yes"]}}), encoding="utf-8")
    robot_env["ROBOT_LABELS_FILE"] = str(path)

    run = run_robot("renew", "--location", "CMS Documentation")

    assert run.exit_code == 2, run.output
    assert [line for line in run.stderr.splitlines() if line.startswith("error:")] == [
        "error: the Cortado label for No must not match Yes, Ja, OK (ROBOT_LABELS_FILE)"]
    assert (portals.cortado.state.sign_ins, portals.abm.state.downloads, portals.cortado.state.answers) == (0, 0, [])
