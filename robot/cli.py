"""`python -m robot`: renew, status, login and demo; every failure ends in one line and an exit code."""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from datetime import datetime
from pathlib import Path

from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from flows.errors import FlowError
from robot.errors import EXIT_FAILED, EXIT_OK, ConfigError, RobotError, StopsTheRun
from robot.portals.retry import first_line
from robot.portals.sessions import Portals
from robot.portals.verification_code import code_source
from robot.renewal.plan import to_accounts
from robot.renewal.renew import RenewRequest, renew
from robot.reports.junit import write_junit
from robot.reports.results import FAILED, Result, write_report
from robot.reports.status_table import as_json, as_table, status_rows
from robot.runtime.contexts import TRACE_MODES, Browsing, BrowsingOptions, launched_browser
from robot.runtime.logging_setup import configure_logging
from robot.runtime.redaction import REDACTOR
from robot.runtime.run_lock import run_lock
from robot.runtime.settings import Settings, load_settings
from robot.runtime.step_timer import StepTimes

log = logging.getLogger("robot")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m robot", description=__doc__)
    common = argparse.ArgumentParser(add_help=False)
    loudness = common.add_mutually_exclusive_group()
    loudness.add_argument("--verbose", action="store_true", help="log every step at DEBUG level")
    loudness.add_argument("--quiet", action="store_true", help="log only warnings and errors")
    common.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    common.add_argument("--headed", action="store_true", help="show the browser")
    common.add_argument("--slow-mo", type=float, default=0, metavar="MS", help="slow every browser action")
    common.add_argument("--trace", choices=TRACE_MODES, default="retain-on-failure",
                        help="keep a Playwright trace in ROBOT_ARTIFACTS_DIR (default: only after a failure)")
    common.add_argument("--pause-on-failure", action="store_true",
                        help="with --headed: stop at the failing step in the Playwright Inspector")
    commands = parser.add_subparsers(dest="command", required=True)

    renew_cmd = commands.add_parser("renew", parents=[common], help="renew server tokens")
    which = renew_cmd.add_mutually_exclusive_group(required=True)
    which.add_argument("--location", action="append", metavar="NAME", help="a location (repeatable); exact name")
    which.add_argument("--all", action="store_true", help="every App-Store account")
    renew_cmd.add_argument("--due-within", type=int, metavar="DAYS",
                           help="only accounts whose Valid until is at most DAYS away")
    renew_cmd.add_argument("--dry-run", action="store_true",
                           help="sign in and plan, but download nothing and change nothing")
    renew_cmd.add_argument("--report", metavar="FILE", help="write a JSON report")
    renew_cmd.add_argument("--junit", metavar="FILE", help="write a JUnit XML report (one test per location)")

    status_cmd = commands.add_parser("status", parents=[common], help="list accounts and their Valid until")
    status_cmd.add_argument("--json", action="store_true", help="print JSON")

    commands.add_parser("login", parents=[common], help="sign in to both portals and keep the sessions")
    commands.add_parser("demo", parents=[common], help="renew one location on the bundled mock portals")
    return parser


def main(argv: Sequence[str] | None = None, browser: Browser | None = None,
         environ: Mapping[str, str] | None = None) -> int:
    """Runs a command. `browser` lets tests share one browser; `environ` replaces the environment and .env."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.pause_on_failure and not args.headed:
        parser.error("--pause-on-failure needs --headed: the Playwright Inspector pauses a visible browser only")
    configure_logging(args.verbose, args.quiet)
    try:
        if args.command == "demo":
            return run_demo(args, browser)
        settings = load_settings(environ, use_dotenv=environ is None)
        REDACTOR.add(*settings.secrets())
        return COMMANDS[args.command](args, settings, browser)
    except RobotError as error:
        _say_error(str(error))
        return error.exit_code
    except (FlowError, PlaywrightError) as error:
        _say_error(first_line(error))
        return EXIT_FAILED
    except KeyboardInterrupt:
        _say_error("interrupted")
        return EXIT_FAILED
    except Exception as error:
        if args.debug:
            raise
        _say_error(f"unexpected {type(error).__name__}: {error} (run again with --debug for details)")
        return EXIT_FAILED


def _say_error(message: str) -> None:
    print(f"error: {REDACTOR.mask(message)}", file=sys.stderr)


@contextmanager
def _portals(args: argparse.Namespace, settings: Settings, browser: Browser | None,
             interactive: bool | None = None) -> Iterator[Portals]:
    """Lock, browser, contexts and lazily signed-in portals; traces kept as asked on the way out."""
    options = BrowsingOptions(args.headed, args.slow_mo, args.trace, args.pause_on_failure)
    with run_lock(settings.state_dir), (nullcontext(browser) if browser else launched_browser(settings, options)) as b:
        browsing = Browsing(b, settings, options)
        try:
            yield Portals(browsing, settings, code_source(settings.code_command, interactive), StepTimes())
        except (ConfigError, StopsTheRun):
            raise  # the admin's input, a person's turn or a portal out of reach: a trace (with the password typed)
            #        helps no one
        except BaseException:
            browsing.failed = True
            raise
        finally:
            for trace in browsing.close():
                print(f"trace kept (it may contain secrets): {trace}", file=sys.stderr)
                print(f"  view it with: python -m playwright show-trace {trace}", file=sys.stderr)


def run_renew(args: argparse.Namespace, settings: Settings, browser: Browser | None) -> int:
    if args.due_within is not None and args.due_within < 0:
        raise ConfigError("--due-within takes a number of days, 0 or more: e.g. --due-within 30")
    request = RenewRequest(tuple(args.location or ()), args.all, args.due_within, args.dry_run)
    results: list[Result] = []
    try:
        with _portals(args, settings, browser) as portals:
            renew(portals, request, datetime.now().astimezone(), results)
    finally:
        _write_reports(args, results)
        for result in results:
            print(REDACTOR.mask(result.summary()))
    return EXIT_FAILED if any(r.status == FAILED for r in results) else EXIT_OK


def _write_reports(args: argparse.Namespace, results: list[Result]) -> None:
    if args.report:
        write_report(Path(args.report), results)
    if args.junit:
        write_junit(Path(args.junit), results)


def run_status(args: argparse.Namespace, settings: Settings, browser: Browser | None) -> int:
    with _portals(args, settings, browser) as portals:
        accounts = to_accounts(portals.read_accounts())
    rows = status_rows(accounts, datetime.now().astimezone().date())
    print(as_json(rows) if args.json else as_table(rows))
    return EXIT_OK


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
    if code == 0 and not (work / "artifacts").exists():
        shutil.rmtree(work)
    else:
        print(f"demo files (sessions, screenshots, traces) kept in {work}")
    return code


def run_login(args: argparse.Namespace, settings: Settings, browser: Browser | None) -> int:
    with _portals(args, settings, browser, interactive=True) as portals:
        sessions = portals.sign_in_everywhere()
    for path in sessions:
        print(f"session kept in {path} (mode 0600; treat it like a password)")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings, Browser | None], int]] = {
    "renew": run_renew,
    "status": run_status,
    "login": run_login,
}
