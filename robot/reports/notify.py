"""Notifications through Apprise (ROBOT_NOTIFY): what a renewal run tells the team, and when.

A notification that cannot be sent is a warning: the run's exit code says how the renewal went, not how the
message did.
"""

from __future__ import annotations

import logging

from robot.errors import ExitCode
from robot.renewal.results import RENEWED
from robot.reports.run_summary import RunRecord
from robot.runtime.redaction import REDACTOR

log = logging.getLogger("robot")

HEADLINES = {
    ExitCode.FAILED: "renewal failed",
    ExitCode.CONFIG: "settings wrong, nothing renewed",
    ExitCode.PERSON_NEEDED: "a person must sign in",
    ExitCode.INTERRUPTED: "run interrupted",
}
WHAT_TO_DO = {
    ExitCode.FAILED: "The failed locations stay due, so the next run tries them again; each reason says whether "
                     "Cortado still holds the old token.",
    ExitCode.CONFIG: "Fix the setting or password the reason names; a retry unchanged cannot help.",
    ExitCode.PERSON_NEEDED: "A portal wants a verification code: someone must run `python -m robot login` at a "
                            "terminal with this job's state directory, then run the job again.",
    ExitCode.INTERRUPTED: "Run it again; the report says how far each location got.",
}


def wanted(run: RunRecord, notify_on: str) -> bool:
    """`failure`: only a run that did not end well; `always`: also every run that renewed something."""
    renewed = any(result.status == RENEWED for result in run.results)
    return run.exit_code != ExitCode.OK or (notify_on == "always" and renewed)


def run_message(run: RunRecord) -> tuple[str, str]:
    """The title and body: the organisation, each location's outcome with its new Valid until, the reason that
    stopped the run and what to do."""
    headline = (f"{run.totals[RENEWED]} token(s) renewed" if run.exit_code == ExitCode.OK
                else HEADLINES.get(run.exit_code, f"exit code {run.exit_code}"))
    dry = " (dry run)" if run.dry_run else ""
    lines = [f"Organisation: {run.organisation}",
             f"Started {run.started:%Y-%m-%d %H:%M %Z}, took {run.duration_s:.0f} s, exit code {run.exit_code}{dry}"]
    if run.results:
        lines += ["", *(result.summary() for result in run.results)]
    if run.reason:
        lines += ["", f"Reason: {run.reason}"]
    advice = WHAT_TO_DO.get(run.exit_code)
    if advice:
        lines += ["", f"What to do: {advice}"]
    return f"vpptoken robot, {run.organisation}: {headline}", REDACTOR.mask("\n".join(lines))


def send(urls: tuple[str, ...], title: str, body: str, trouble: bool) -> str | None:
    """Sends to every URL; None when each took it, else why not in one line (secrets masked)."""
    import apprise  # loaded only by a run that sends (see robot/runtime/notify_urls.py)

    notifier = apprise.Apprise()
    notifier.add(list(urls))
    kind = apprise.NotifyType.FAILURE if trouble else apprise.NotifyType.SUCCESS
    # Apprise logs why a send failed; caught here so that it is said once, masked, in the robot's own words.
    with apprise.LogCapture(level=logging.WARNING) as said:
        sent = notifier.notify(title=REDACTOR.mask(title), body=REDACTOR.mask(body), notify_type=kind)
    if sent:
        return None
    why = [line.split(" - ", 2)[-1] for line in said.getvalue().splitlines() if line.strip()]
    return REDACTOR.mask(why[-1] if why else "Apprise gave no reason")


def notify_run(urls: tuple[str, ...], notify_on: str, run: RunRecord) -> None:
    """Tells ROBOT_NOTIFY about the run when ROBOT_NOTIFY_ON wants it; a message that does not go is a warning."""
    if not urls or not wanted(run, notify_on):
        return
    title, body = run_message(run)
    try:
        problem = send(urls, title, body, trouble=run.exit_code != ExitCode.OK)
    except Exception as error:  # a fault in a notification service's plugin must not end the run differently
        problem = REDACTOR.mask(f"{type(error).__name__}: {error}")
    if problem:
        log.warning("notification not sent (the run's exit code stays %d): %s", run.exit_code, problem)
