"""What `--help` of each command shows below its options: a few examples and the exit codes (README, "Exit codes")."""

from __future__ import annotations

import textwrap

RUN = "python -m robot"

CONFIG = ("the command or a setting is wrong, a portal refused the password, or no Chromium starts: fix what the "
          "one error line names")
INTERRUPTED = "interrupted (Ctrl-C, or the job was cancelled): run it again"
PERSON_NEEDED = "a person is needed: ABM wants a verification code; run `python -m robot login` at a terminal"

EXAMPLES = {
    "renew": [
        ('--location "CMS Documentation"', "renew one location (repeat --location for more)"),
        ("--all --due-within 30 --report reports/renewal.json --junit reports/junit.xml",
         "the nightly job: every location expiring within 30 days, with reports"),
        ("--all --due-within 30 --dry-run --env-file acme.env", "plan only, for the organisation in acme.env"),
    ],
    "status": [
        ("", "every account and its days left, soonest first (--json for scripts)"),
        ("--warn-within 30 --critical-within 7", "a Nagios/Icinga/Checkmk check: one line, exit 0/1/2 (3: unknown)"),
        ("--prometheus /var/lib/node_exporter/textfile/vpptoken.prom", "also write node-exporter's textfile"),
    ],
    "login": [
        ("", "sign in to both portals at a terminal, typing ABM's code, and keep the sessions"),
        ("--env-file acme.env", "the same for the organisation in acme.env (its own state directory)"),
    ],
    "check": [
        ("", "walk every step of a renewal on both portals, changing nothing"),
        ("--write-labels labels.json", "also write the labels that missing steps propose"),
    ],
    "notify-test": [
        ("", "send a test message to every ROBOT_NOTIFY URL"),
        ("--env-file acme.env", "the same with the settings in acme.env"),
    ],
    "demo": [
        ("", "renew one location on the bundled mock portals"),
        ("--headed --slow-mo 500", "watch it, slowed down"),
    ],
}

EXIT_MEANINGS = {
    "renew": ("every chosen location was renewed and verified, or is not due yet",
              "a location failed (its reason is in the summary and the reports), a portal or the browser failed"),
    "status": ("the accounts were listed; monitoring mode: OK, no token expires within --warn-within days",
               "Cortado could not be read; monitoring mode: WARNING, a token expires within --warn-within days"),
    "login": ("both sessions are kept", "a portal or the browser failed"),
    "check": ("every step was found", "a step is missing: the output says what the page shows instead"),
    "notify-test": ("the test message was sent", "it was not: the line says why"),
    "demo": ("the demo location was renewed", "it was not: its files are kept for a look"),
}


def epilog(command: str) -> str:
    """The examples and exit codes shown after the options of `command`."""
    examples = "\n".join(f"  {RUN} {command} {argv}".rstrip() + f"\n      {what}" for argv, what in EXAMPLES[command])
    ok, failed = EXIT_MEANINGS[command]
    config, person = CONFIG, PERSON_NEEDED if command in ("renew", "login", "check") else "not used"
    if command == "status":
        config += "; monitoring mode: CRITICAL, a token expires within --critical-within days"
        person = "monitoring mode: UNKNOWN, Cortado could not be read (the line says why)"
    codes = {0: ok, 1: failed, 2: config, 3: person, 130: INTERRUPTED}
    meanings = "\n".join(textwrap.fill(f"  {code:<4} {meaning}", width=100, subsequent_indent=" " * 7,
                                       break_on_hyphens=False)
                         for code, meaning in codes.items())
    return f"examples:\n{examples}\n\nexit codes:\n{meanings}"
