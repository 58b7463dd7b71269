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
from playwright.sync_api import Error as PlaywrightError

from flows.cortado import AccountRow
from flows.errors import FlowError, PageNotAsExpected
from robot.check import Walk
from robot.errors import AnotherRunActive, ConfigError, ExitCode, Interrupted, RobotError, StopsTheRun, first_line
from robot.portals.abm import AbmSession
from robot.portals.authenticator_code import authenticator_codes
from robot.portals.cortado import CortadoSession
from robot.portals.kept_pages import KeptPages
from robot.portals.verification_code import code_source
from robot.renewal.apple_check import apple_check
from robot.renewal.outcome import Outcomes
from robot.renewal.plan import to_accounts
from robot.renewal.renew import Renewal, RenewRequest
from robot.renewal.token_check import holds_a_token_or_nothing
from robot.reports.apple_status import apple_views
from robot.reports.json_report import write_report
from robot.reports.junit import write_junit
from robot.reports.last_run import load_last_run, save_last_run
from robot.reports.monitoring import Thresholds, plugin_output, unknown_output
from robot.reports.notify import notify_run, send
from robot.reports.prometheus import textfile
from robot.reports.report_file import write_atomically
from robot.reports.run_summary import RunRecord, summary_table
from robot.reports.status_table import as_json, as_table, status_rows
from robot.runtime.chromium import launched_browser
from robot.runtime.contexts import BrowserContexts
from robot.runtime.interrupts import stop_between_steps
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
def _portals(args: argparse.Namespace, settings: Settings, browser: Browser | None, *,
             interactive: bool | None = None, changes: bool = True, in_window: bool = False) -> Iterator[Portals]:
    """Lock (for a command that `changes` anything), browser, contexts and both sessions (not signed in yet);
    traces kept as asked on the way out. `in_window`: a person types the codes in the browser window."""
    options = BrowserOptions(args.headed, args.slow_mo, args.trace, args.pause_on_failure)
    launched = nullcontext(browser) if browser else launched_browser(settings.browser_path, args.headed, args.slow_mo)
    with run_lock(settings.state_dir) if changes else nullcontext(), launched as running:
        contexts = BrowserContexts(running, settings, options)
        try:
            times, places = StepTimer(), KeptPages(settings.state_dir / "places.json")
            abm = AbmSession(contexts, settings, times, places, code_source(settings.code_command, interactive),
                             person_wait_ms=settings.login_timeout_s * 1000 if in_window else None)
            cortado = CortadoSession(contexts, settings, times, places,
                                     authenticator_codes(settings, interactive, in_window))
            yield Portals(cortado, abm, contexts, times)
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
    run = RunRecord(settings.organisation, args.dry_run)
    try:
        with _told(args, settings, run), _portals(args, settings, browser) as portals, \
                stop_between_steps() as stop:
            outcomes = Outcomes(run.results, settings.state_dir / "pending", portals.contexts.capture_failure)
            renewal = Renewal(portals.cortado, portals.abm, portals.times, settings.org_name, apple_check(settings),
                              checkpoint=stop.checkpoint)
            renewal.run(request, run.started, outcomes)
    except KeyboardInterrupt:
        raise Interrupted(run.interrupted_line(args.report)) from None
    return run.exit_code


@contextmanager
def _told(args: argparse.Namespace, settings: Settings, run: RunRecord) -> Iterator[None]:
    """The run's end told however it comes, unless another run held the lock: that one did the work, writes the
    reports and tells."""
    try:
        yield
    except AnotherRunActive:
        raise
    except BaseException as error:
        run.finish(error)
        _tell(args, settings, run)
        raise
    run.finish()
    _tell(args, settings, run)


def tell_refused(args: argparse.Namespace, settings: Settings, error: RobotError) -> None:
    """A renewal refused before it began (a report it could not write): notified like any run that failed, so that
    an unattended job does not fail unheard. Nothing else is written: the places to write are what is wrong."""
    run = RunRecord(settings.organisation, args.dry_run)
    run.finish(error)
    notify_run(settings.notify_urls, settings.notify_on, run)


def _tell(args: argparse.Namespace, settings: Settings, run: RunRecord) -> None:
    """A line per location, the summary table, the reports, the record for `status --prometheus`, and the
    notification."""
    for result in run.results:
        print(REDACTOR.mask(result.summary()))
    print(f"\n{summary_table(run)}", file=sys.stderr)
    if args.report:
        write_report(Path(args.report), run)
    if args.junit:
        write_junit(Path(args.junit), run)
    save_last_run(settings.state_dir, run)
    notify_run(settings.notify_urls, settings.notify_on, run)


def run_status(args: argparse.Namespace, settings: Settings, browser: Browser | None) -> int:
    thresholds = Thresholds.from_options(args.warn_within, args.critical_within)
    if thresholds.asked:
        return _status_check(args, settings, browser, thresholds)
    rows = _status_rows(args, settings, browser)
    print(as_json(rows) if args.json else as_table(rows))
    return ExitCode.OK


def _status_rows(args: argparse.Namespace, settings: Settings, browser: Browser | None) -> list[dict[str, object]]:
    """Cortado's accounts, soonest first; written to the --prometheus file too when one is asked for."""
    with _portals(args, settings, browser, changes=False) as portals:  # beside a renewal: it only reads
        portals.cortado.sign_in()
        accounts = to_accounts(portals.cortado.read_accounts())
        apple = apple_views(accounts, portals.cortado, apple_check(settings)) if args.apple else None
    rows = status_rows(accounts, datetime.now().astimezone().date(), apple)
    if args.prometheus:
        write_atomically(Path(args.prometheus),
                         textfile(rows, settings.organisation, load_last_run(settings.state_dir)))
    return rows


def _status_check(args: argparse.Namespace, settings: Settings, browser: Browser | None,
                  thresholds: Thresholds) -> int:
    """A monitoring check's line and exit code; UNKNOWN (3) when Cortado could not be read, as plugins say it."""
    try:
        state, line = plugin_output(_status_rows(args, settings, browser), thresholds)
    except (RobotError, FlowError, PlaywrightError) as error:
        state, line = unknown_output(first_line(error))
    print(REDACTOR.mask(line))
    return state


def run_notify_test(args: argparse.Namespace, settings: Settings, browser: Browser | None) -> int:
    """A test message to every ROBOT_NOTIFY URL; exit 1 with the reason when it could not be sent."""
    if not settings.notify_urls:
        raise ConfigError("ROBOT_NOTIFY is not set: give it one or more Apprise URLs, "
                          "e.g. ROBOT_NOTIFY=mailtos://user:password@example.com")
    title = f"vpptoken robot, {settings.organisation}: test message"
    body = (f"Organisation: {settings.organisation}\nThis is a test of ROBOT_NOTIFY (`python -m robot notify-test`). "
            f"Renewals notify on: {settings.notify_on}.")
    problem = send(settings.notify_urls, title, body, trouble=False)
    if problem:
        raise RobotError(f"test message not sent: {problem}")
    print(f"test message sent to {len(settings.notify_urls)} notification URL(s)")
    return ExitCode.OK


def run_login(args: argparse.Namespace, settings: Settings, browser: Browser | None) -> int:
    """Both portals signed in (or their kept sessions found good), both sessions kept anew."""
    with _portals(args, settings, browser, in_window=args.headed) as portals:
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
                          lambda: holds_a_token_or_nothing(cortado.installed_token(location)))
        if walk.step("ABM: sign-in", portals.abm.sign_in):
            abm = portals.abm.open()
            if (walk.step("ABM: the token list", abm.open_token_list)
                    and walk.step("ABM: one entry for each location",
                                  lambda: _listed_once(abm.entries_named([a.location for a in accounts])))
                    and accounts):
                location = accounts[0].location
                walk.step(f'ABM: the Download of "{location}" (not clicked)', lambda: abm.find_download(location))
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
    "notify-test": run_notify_test,
}
