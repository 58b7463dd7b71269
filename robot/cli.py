"""`python -m robot`: renew, status, login, check, notify-test and demo; every failure ends in one line and an exit
code."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from flows.errors import FlowError
from robot.commands import COMMANDS, run_demo, tell_refused
from robot.errors import ConfigError, ExitCode, Interrupted, RobotError, first_line
from robot.help_texts import epilog
from robot.runtime.logging_setup import configure_logging
from robot.runtime.options import TRACE_MODES
from robot.runtime.preflight import check_display, check_output_file, check_state_dir
from robot.runtime.redaction import REDACTOR
from robot.runtime.settings import Settings, load_settings, notify_settings, organisation_of

# The options that name a file written at the end of a run, checked before it starts.
OUTPUT_OPTIONS = ("report", "junit", "write_labels", "prometheus")


def milliseconds(text: str) -> float:
    """A delay for --slow-mo: a negative one would reach Playwright only as a raw error at launch."""
    value = float(text)
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"{text} is not a number of milliseconds, 0 or more")
    return value


def robot_version() -> str:
    try:
        return version("vpptoken-robot")
    except PackageNotFoundError:  # run from a checkout that was never installed (setup.sh installs it)
        return "unknown (not installed: run `bash setup.sh`)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m robot", description=__doc__)
    parser.add_argument("--version", action="version", version=f"vpptoken-robot {robot_version()}")
    common = _common_options()
    commands = parser.add_subparsers(dest="command", required=True)

    def add_command(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[common], help=help_text, description=help_text,
                                   epilog=epilog(name), formatter_class=argparse.RawDescriptionHelpFormatter)

    _renew_options(add_command("renew", "renew server tokens"))
    _status_options(add_command("status", "list accounts and their Valid until"))
    add_command("login", "sign in to both portals and keep the sessions")
    check_cmd = add_command("check", "walk every step of a renewal on both portals, changing nothing")
    check_cmd.add_argument("--write-labels", metavar="FILE", help="write the labels the missing steps propose")
    add_command("notify-test", "send a test message to every ROBOT_NOTIFY URL")
    add_command("demo", "renew one location on the bundled mock portals")
    return parser


def _common_options() -> argparse.ArgumentParser:
    """The options every command takes: how loud, how the browser runs, which organisation."""
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
    common.add_argument("--env-file", type=Path, action="append", metavar="FILE",
                        help="the organisation's settings file instead of ./.env; its state directory is named "
                             "after the file unless ROBOT_STATE_DIR says otherwise. Repeat it to run the command for "
                             "each organisation in turn, each output file named after it (report-acme.json)")
    return common


def _renew_options(renew_cmd: argparse.ArgumentParser) -> None:
    which = renew_cmd.add_mutually_exclusive_group(required=True)
    which.add_argument("--location", action="append", metavar="NAME", help="a location (repeatable); exact name")
    which.add_argument("--all", action="store_true", help="every App-Store account")
    renew_cmd.add_argument("--due-within", type=int, metavar="DAYS",
                           help="only accounts whose Valid until is at most DAYS away")
    renew_cmd.add_argument("--dry-run", action="store_true",
                           help="sign in and plan, but download nothing and change nothing")
    renew_cmd.add_argument("--report", metavar="FILE", help="write a JSON report")
    renew_cmd.add_argument("--junit", metavar="FILE", help="write a JUnit XML report (one test per location)")


def _status_options(status_cmd: argparse.ArgumentParser) -> None:
    status_cmd.add_argument("--json", action="store_true", help="print JSON")
    status_cmd.add_argument("--warn-within", metavar="DAYS",
                            help="monitoring mode: WARNING (exit 1) when a token expires within DAYS days")
    status_cmd.add_argument("--critical-within", metavar="DAYS",
                            help="monitoring mode: CRITICAL (exit 2) when a token expires within DAYS days")
    status_cmd.add_argument("--prometheus", metavar="FILE",
                            help="also write the tokens' expiry and the last renewal's success as a node-exporter "
                                 "textfile")
    status_cmd.add_argument("--apple", action="store_true",
                            help="also ask Apple about each installed token: unit, expiry, MDM, revoked")


def main(argv: Sequence[str] | None = None, browser: Browser | None = None,
         environ: Mapping[str, str] | None = None) -> int:
    """Runs a command. `browser` lets tests share one browser; `environ` replaces the environment and .env."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.pause_on_failure and not args.headed:
        parser.error("--pause-on-failure needs --headed: the Playwright Inspector pauses a visible browser only")
    env_files: list[Path | None] = args.env_file or [None]
    several = len(env_files) > 1
    if several and (args.command == "demo" or vars(args).get("warn_within") or vars(args).get("critical_within")):
        parser.error("give one --env-file here: a monitoring check, like the demo, speaks for one organisation")
    configure_logging(args.verbose, args.quiet)
    codes = []
    for env_file in env_files:
        if several:
            print(f"== {_organisation(env_file)} ({env_file}) ==", file=sys.stderr)
        codes.append(_run(_for_organisation(args, env_file, several), browser, environ))
        if codes[-1] == ExitCode.INTERRUPTED:
            break
    return max(codes)  # the most urgent: 130 stopped it, 3 wants a person, 2 a fix, 1 a look


def _organisation(env_file: Path | None) -> str:
    return (organisation_of(env_file) or env_file.name) if env_file else "default"


def _for_organisation(args: argparse.Namespace, env_file: Path | None, several: bool) -> argparse.Namespace:
    """The command line for one organisation: its settings file, and with several, each output file named after it,
    so that no organisation's report is written over another's."""
    own: dict[str, object] = {"env_file": env_file}
    for option in OUTPUT_OPTIONS if several else ():
        if vars(args).get(option):
            path = Path(vars(args)[option])
            own[option] = str(path.with_name(f"{path.stem}-{_organisation(env_file)}{path.suffix}"))
    return argparse.Namespace(**{**vars(args), **own})


def _run(args: argparse.Namespace, browser: Browser | None, environ: Mapping[str, str] | None) -> int:
    """The command for one organisation (or the one .env); every failure one line and an exit code."""
    try:
        check_display(args.headed)
        if args.command == "demo":
            return run_demo(args, browser)
        settings = _load_settings(args, environ)
        REDACTOR.add(*settings.secrets())
        _check_places(args, settings)
        return COMMANDS[args.command](args, settings, browser)
    except Interrupted as stop:  # not an error: the admin's own Ctrl-C, and what the run had done by then
        print(REDACTOR.mask(str(stop)), file=sys.stderr)
        return stop.exit_code
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


def _load_settings(args: argparse.Namespace, environ: Mapping[str, str] | None) -> Settings:
    """The settings; a renewal refused for one of them is told through as much of ROBOT_NOTIFY as can be read, so
    that an unattended job whose settings someone broke does not fail unheard."""
    try:
        return load_settings(environ, use_dotenv=environ is None, env_file=args.env_file)
    except ConfigError as refused:
        if args.command == "renew":
            try:
                notifying = notify_settings(environ, use_dotenv=environ is None, env_file=args.env_file)
            except ConfigError:
                raise refused from None  # where to send is itself wrong: the one line says which
            REDACTOR.add(*notifying.secrets())
            tell_refused(args, notifying, refused)
        raise


def _check_places(args: argparse.Namespace, settings: Settings) -> None:
    """Everywhere the run will write, found usable before anything signs in or changes; a renewal refused here is
    told as one that failed later would be."""
    try:
        check_state_dir(settings.state_dir)
        for option in OUTPUT_OPTIONS:
            path = vars(args).get(option)
            if path:
                check_output_file(f"--{option.replace('_', '-')}", Path(path))
    except RobotError as refused:
        if args.command == "renew":
            tell_refused(args, settings, refused)
        raise


def _say_error(message: str, code: ExitCode) -> ExitCode:
    """The admin's one line on stderr, secrets masked; returns the exit code to end with."""
    print(f"error: {REDACTOR.mask(message)}", file=sys.stderr)
    return code
