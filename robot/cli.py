"""`python -m robot`: renew, status, login and demo; every failure ends in one line and an exit code."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from flows.errors import FlowError
from robot.commands import COMMANDS, run_demo
from robot.errors import ExitCode, RobotError, first_line
from robot.runtime.logging_setup import configure_logging
from robot.runtime.options import TRACE_MODES
from robot.runtime.preflight import check_display, check_output_file, check_state_dir
from robot.runtime.redaction import REDACTOR
from robot.runtime.settings import Settings, load_settings

# The options that name a file written at the end of a run (`renew` only), checked before it starts.
OUTPUT_OPTIONS = ("report", "junit", "write_labels")


def milliseconds(text: str) -> float:
    """A delay for --slow-mo: a negative one would reach Playwright only as a raw error at launch."""
    value = float(text)
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"{text} is not a number of milliseconds, 0 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m robot", description=__doc__)
    common = argparse.ArgumentParser(add_help=False)
    loudness = common.add_mutually_exclusive_group()
    loudness.add_argument("--verbose", action="store_true", help="log every step at DEBUG level")
    loudness.add_argument("--quiet", action="store_true", help="log only warnings and errors")
    common.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    common.add_argument("--headed", action="store_true", help="show the browser")
    common.add_argument("--slow-mo", type=milliseconds, default=0, metavar="MS", help="slow every browser action")
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
    check_cmd = commands.add_parser("check", parents=[common],
                                    help="walk every step of a renewal on both portals, changing nothing")
    check_cmd.add_argument("--write-labels", metavar="FILE", help="write the labels the missing steps propose")
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
        check_display(args.headed)
        if args.command == "demo":
            return run_demo(args, browser)
        settings = load_settings(environ, use_dotenv=environ is None)
        REDACTOR.add(*settings.secrets())
        _check_places(args, settings)
        return COMMANDS[args.command](args, settings, browser)
    except RobotError as error:
        return _say_error(str(error), error.exit_code)
    except (FlowError, PlaywrightError) as error:
        return _say_error(first_line(error), ExitCode.FAILED)
    except KeyboardInterrupt:
        return _say_error("interrupted", ExitCode.INTERRUPTED)
    except Exception as error:
        if args.debug:
            raise
        return _say_error(f"unexpected {type(error).__name__}: {error} (run again with --debug for details)",
                          ExitCode.FAILED)


def _check_places(args: argparse.Namespace, settings: Settings) -> None:
    """Everywhere the run will write, found usable before anything signs in or changes."""
    check_state_dir(settings.state_dir)
    for option in OUTPUT_OPTIONS:
        path = vars(args).get(option)
        if path:
            check_output_file(f"--{option.replace('_', '-')}", Path(path))


def _say_error(message: str, code: ExitCode) -> ExitCode:
    """The admin's one line on stderr, secrets masked; returns the exit code to end with."""
    print(f"error: {REDACTOR.mask(message)}", file=sys.stderr)
    return code
