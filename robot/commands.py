"""What each command does, between the parsed command line (robot/cli.py) and the exit code.

Every command but `demo` runs inside `_portals()`: the run lock, one browser, a context and a session per
portal, and on the way out the traces kept as asked.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from playwright.sync_api import Browser

from flows.cortado import AccountRow
from flows.errors import PageNotAsExpected
from robot.check import Walk
from robot.errors import ConfigError, ExitCode, StopsTheRun
from robot.portals.abm import AbmSession
from robot.portals.cortado import CortadoSession
from robot.portals.kept_pages import KeptPages
from robot.portals.verification_code import code_source
from robot.renewal.apple_check import apple_check
from robot.renewal.outcome import Outcomes
from robot.renewal.plan import to_accounts
from robot.renewal.renew import Renewal, RenewRequest
from robot.renewal.results import FAILED, Result
from robot.reports.apple_status import apple_views
from robot.reports.json_report import write_report
from robot.reports.junit import write_junit
from robot.reports.status_table import as_json, as_table, status_rows
from robot.runtime.chromium import launched_browser
from robot.runtime.contexts import BrowserContexts
from robot.runtime.options import BrowserOptions
from robot.runtime.redaction import REDACTOR
from robot.runtime.run_lock import run_lock
from robot.runtime.settings import Settings, load_settings
from robot.runtime.step_timer import StepTimer


@dataclass(frozen=True)
class Portals:
    """Both portal sessions of a run, on one browser's contexts, with the run's step timer."""

    cortado: CortadoSession
    abm: AbmSession
    contexts: BrowserContexts
    times: StepTimer


@contextmanager
def _portals(args: argparse.Namespace, settings: Settings, browser: Browser | None,
             interactive: bool | None = None, changes: bool = True) -> Iterator[Portals]:
    """Lock (for a command that `changes` anything), browser, contexts and both sessions (not signed in yet);
    traces kept as asked on the way out."""
    options = BrowserOptions(args.headed, args.slow_mo, args.trace, args.pause_on_failure)
    launched = nullcontext(browser) if browser else launched_browser(settings.browser_path, args.headed, args.slow_mo)
    with run_lock(settings.state_dir) if changes else nullcontext(), launched as running:
        contexts = BrowserContexts(running, settings, options)
        try:
            times, places = StepTimer(), KeptPages(settings.state_dir / "places.json")
            abm = AbmSession(contexts, settings, times, places, code_source(settings.code_command, interactive))
            yield Portals(CortadoSession(contexts, settings, times, places), abm, contexts, times)
        except (ConfigError, StopsTheRun):
            raise  # the admin's input, a person's turn or a portal out of reach: a trace (with the password typed)
            #        helps no one
        except BaseException:
            contexts.failed = True
            raise
        finally:
            for trace in contexts.close():
                print(f"trace kept (it may contain secrets): {trace}", file=sys.stderr)
                print(f"  view it with: python -m playwright show-trace {trace}", file=sys.stderr)


def run_renew(args: argparse.Namespace, settings: Settings, browser: Browser | None) -> int:
    if args.due_within is not None and args.due_within < 0:
        raise ConfigError("--due-within takes a number of days, 0 or more: e.g. --due-within 30")
    request = RenewRequest(tuple(args.location or ()), args.all, args.due_within, args.dry_run)
    results: list[Result] = []
    started = False  # a run refused before it began writes no report over the one of the run that holds the lock
    try:
        with _portals(args, settings, browser) as portals:
            started = True
            outcomes = Outcomes(results, settings.state_dir / "pending", portals.contexts.capture_failure)
            renewal = Renewal(portals.cortado, portals.abm, portals.times, settings.org_name, apple_check(settings))
            renewal.run(request, datetime.now().astimezone(), outcomes)
    finally:
        if started:
            _write_reports(args, results)
        for result in results:
            print(REDACTOR.mask(result.summary()))
    return ExitCode.FAILED if any(r.status == FAILED for r in results) else ExitCode.OK


def _write_reports(args: argparse.Namespace, results: list[Result]) -> None:
    if args.report:
        write_report(Path(args.report), results)
    if args.junit:
        write_junit(Path(args.junit), results)


def run_status(args: argparse.Namespace, settings: Settings, browser: Browser | None) -> int:
    with _portals(args, settings, browser, changes=False) as portals:  # beside a renewal: it only reads
        portals.cortado.sign_in()
        accounts = to_accounts(portals.cortado.read_accounts())
        apple = apple_views(accounts, portals.cortado, apple_check(settings)) if args.apple else None
    rows = status_rows(accounts, datetime.now().astimezone().date(), apple)
    print(as_json(rows) if args.json else as_table(rows))
    return ExitCode.OK


def run_login(args: argparse.Namespace, settings: Settings, browser: Browser | None) -> int:
    """Both portals signed in (or their kept sessions found good), both sessions kept anew."""
    with _portals(args, settings, browser, interactive=True) as portals:
        portals.abm.sign_in()
        portals.cortado.sign_in()
        kept = [portals.abm.keep(every_origin=True), portals.cortado.keep(every_origin=True)]
    for path in kept:
        print(f"session kept in {path} (mode 0600; treat it like a password)")
    return ExitCode.OK


def run_check(args: argparse.Namespace, settings: Settings, browser: Browser | None) -> int:
    """Walk every step a renewal needs on both portals, changing nothing; exit 0 when each was found."""
    walk = Walk()
    accounts: list[AccountRow] = []
    with _portals(args, settings, browser) as portals:
        if walk.step("Cortado: sign-in", portals.cortado.sign_in):
            cortado = portals.cortado.open()
            if (walk.step("Cortado: Administration > Apps > App-Store accounts", cortado.open_accounts)
                    and walk.step("Cortado: the accounts and their Valid until",
                                  lambda: accounts.extend(cortado.read_accounts()))):
                location = accounts[0].location
                walk.step(f'Cortado: the edit form of "{location}" (cancelled)',
                          lambda: cortado.installed_token(location))
        if walk.step("ABM: sign-in", portals.abm.sign_in):
            abm = portals.abm.open()
            if walk.step("ABM: the token list", abm.open_token_list):
                walk.step("ABM: one entry for each location",
                          lambda: _listed_once(abm.entries_named([a.location for a in accounts])))
    if args.write_labels:
        walk.write_labels(Path(args.write_labels))
    return walk.exit_code


def _listed_once(counts: dict[str, int]) -> None:
    """ABM must list each of Cortado's locations exactly once."""
    wrong = {location: count for location, count in counts.items() if count != 1}
    if wrong:
        listed = ", ".join(f'"{location}" {count} times' for location, count in wrong.items())
        raise PageNotAsExpected("ABM token list", f"not listed exactly once: {listed}")


def run_demo(args: argparse.Namespace, browser: Browser | None) -> int:
    """`renew` of one location on the bundled mock portals; its sessions and artifacts live in a scratch folder,
    kept only when there is something to look at."""
    from fixtures.demo import DEMO_LOCATION, demo_portals  # only the demo needs the mocks (and their servers)

    work = Path(tempfile.mkdtemp(prefix="robot-demo-"))
    renew_args = argparse.Namespace(**vars(args), location=[DEMO_LOCATION], all=False, due_within=None,
                                    dry_run=False, report=None, junit=None)
    with demo_portals() as environment:
        settings = load_settings({**environment, "ROBOT_STATE_DIR": str(work / "state"),
                                  "ROBOT_ARTIFACTS_DIR": str(work / "artifacts")}, use_dotenv=False)
        REDACTOR.add(*settings.secrets())
        code = run_renew(renew_args, settings, browser)
    if code == ExitCode.OK and not (work / "artifacts").exists():
        shutil.rmtree(work)
    else:
        print(f"demo files (sessions, screenshots, traces) kept in {work}")
    return code


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings, Browser | None], int]] = {
    "renew": run_renew,
    "status": run_status,
    "login": run_login,
    "check": run_check,
}
