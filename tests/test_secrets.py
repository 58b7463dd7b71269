"""No secret leaves the robot: the masking filter, and a scan of every output of a full run."""

from __future__ import annotations

import base64
import html
import json
import logging
from pathlib import Path
from urllib.parse import quote

import pytest
from helpers import private

from fixtures.demo_data import ABM_PASSWORD, CORTADO_PASSWORD, VERIFICATION_CODE
from fixtures.portals import MockPortals
from robot.renewal.renew import SAVE_ATTEMPTS
from robot.runtime.redaction import MASK, REDACTOR, RedactingFilter, Redactor


def logged(secret: str, message: str, *args: object, exc: BaseException | None = None) -> str:
    """What a handler with the robot's filter writes for one record, once `secret` is known."""
    REDACTOR.add(secret)
    record = logging.LogRecord("robot", logging.ERROR, __file__, 1, message, args,
                               (type(exc), exc, exc.__traceback__) if exc else None)
    assert RedactingFilter().filter(record)
    return logging.Formatter("%(message)s").format(record)


def test_mask_replaces_every_occurrence_and_the_longest_secret_first() -> None:
    redactor = Redactor()
    redactor.add("hunter22", "hunter22-and-more", None, "")
    assert redactor.mask("a hunter22-and-more b hunter22 c") == f"a {MASK} b {MASK} c"


def test_short_strings_are_not_secrets() -> None:
    redactor = Redactor()
    redactor.add("abc", "ok")
    assert redactor.mask("abc is ok") == "abc is ok"


@pytest.mark.parametrize("ascii_only", [True, False])
def test_a_secret_is_masked_inside_json_urls_and_html(ascii_only: bool) -> None:
    secret = 'pa"ss wörd\\&<x>'
    redactor = Redactor()
    redactor.add(secret)
    text = " ".join([json.dumps({"error": secret}, ensure_ascii=ascii_only), "https://x.test/?p=" + quote(secret),
                     html.escape(secret)])
    assert redactor.mask(text).count(MASK) == 3, redactor.mask(text)


def test_the_filter_masks_arguments_and_exception_text() -> None:
    secret = "filter-secret-0451"
    try:
        raise ValueError(f"bad value {secret}")
    except ValueError as error:
        text = logged(secret, "saving %s failed", secret, exc=error)
    assert secret not in text
    assert text.count(MASK) == 2
    assert "Traceback" in text  # the traceback itself stays, only the secret goes


def test_the_filter_masks_the_stack_too() -> None:
    REDACTOR.add("stack-secret-9931")
    record = logging.LogRecord("robot", logging.INFO, __file__, 1, "x", None, None, sinfo="at stack-secret-9931")
    RedactingFilter().filter(record)
    assert record.stack_info == f"at {MASK}"



def secrets_of(portals: MockPortals, old_tokens: list[str]) -> dict[str, str]:
    """Every secret a run handles, named so that a failure says which one leaked."""
    found = {"ABM password": ABM_PASSWORD, "Cortado password": CORTADO_PASSWORD}
    issued = [t for tokens in portals.abm.state.issued.values() for t in tokens]
    for kind, tokens in (("old token", old_tokens), ("new token", issued)):
        for number, text in enumerate(tokens):
            found[f"{kind} {number}"] = text
            found[f"{kind} {number} (inner)"] = json.loads(base64.b64decode(text))["token"]
    for number, value in enumerate([*portals.abm.state.sessions, *portals.abm.state.trusted,
                                    *portals.cortado.state.sessions]):
        found[f"cookie {number}"] = value
    return found


def test_a_full_run_leaks_no_secret(portals: MockPortals, run_robot, robot_env, tmp_path: Path) -> None:
    """One renewed and one failed location (a screenshot, a kept file), two-factor on, every output switched on."""
    cortado = portals.cortado.state
    portals.abm.state.two_factor = True  # a trust cookie too
    robot_env["ABM_CODE_COMMAND"] = f"echo {VERIFICATION_CODE}"
    failing, renewed = "Support München", "Sales Hamburg"
    old_tokens = {a.location: a.token for a in cortado.accounts}
    cortado.fail_saves = SAVE_ATTEMPTS  # the first location fails every save, the second gets through
    report, junit = tmp_path / "out" / "report.json", tmp_path / "out" / "junit.xml"

    run = run_robot("renew", "--location", failing, "--location", renewed, "--report", str(report),
                    "--junit", str(junit), "--verbose", "--trace", "on")

    assert run.exit_code == 1, run.output
    assert cortado.answers == [(renewed, "no")]
    assert cortado.account(failing).token == old_tokens[failing]
    secrets = secrets_of(portals, list(old_tokens.values()))
    assert len(portals.abm.state.issued) == 2 and portals.abm.state.sessions and cortado.sessions
    assert portals.abm.state.trusted, "the scan covers the trust cookie"
    state_files = [p for p in Path(robot_env["ROBOT_STATE_DIR"]).rglob("*") if p.is_file()]
    assert {p.name for p in state_files} >= {"abm-session.json", "cortado-session.json", "robot.lock"}
    assert all(private(p) for p in state_files), "sessions and the kept token are readable by their owner only"
    artifacts = Path(robot_env["ROBOT_ARTIFACTS_DIR"])
    kept_private = [*artifacts.glob("*.zip"), *artifacts.glob("*.png")]
    assert {p.suffix for p in kept_private} == {".zip", ".png"}, "the trace and the failure's screenshot are kept"
    assert all(private(p) for p in kept_private)
    outputs = {"stdout": run.stdout, "stderr (the log)": run.stderr,
               **{str(p): p.read_text(errors="replace") for p in (report, junit)},
               **{str(p): p.read_bytes().decode(errors="replace")
                  for p in artifacts.rglob("*") if p.is_file() and p not in kept_private}}
    leaks = [f"{name} in {where}" for where, text in outputs.items() for name, value in secrets.items()
             if value in text]
    assert not leaks
    assert "DEBUG" in run.stderr and "kept in" in report.read_text(), "the scan covered the verbose log and errors"
