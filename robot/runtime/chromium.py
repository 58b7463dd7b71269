"""Which Chromium to launch and how: Playwright's own where installed, else Debian's.

A headless run takes Chromium's headless shell where there is one, as Playwright does with its own builds: it
has no window system to drive and costs far less CPU per page than a full Chromium without a window.

`python -m robot.runtime.chromium` prints the one that will be used (setup.sh asks it whether to install one).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from robot.errors import BrowserMissing, ExitCode, first_line

SYSTEM_CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
HEADLESS_SHELL = "chromium-headless-shell"
SET_UP = "run `bash setup.sh` (it installs one), or set ROBOT_BROWSER_PATH to a Chromium executable"


def find_executable(playwright: Playwright, forced: str | None = None, headed: bool = False) -> str | None:
    """The executable to pass to launch(), or None for Playwright's own build."""
    if forced:
        if not Path(forced).is_file():
            raise BrowserMissing(f"ROBOT_BROWSER_PATH={forced} is not a file: {SET_UP}")
        return forced
    if Path(playwright.chromium.executable_path).is_file():
        return None
    for name in SYSTEM_CHROMIUM if headed else (HEADLESS_SHELL, *SYSTEM_CHROMIUM):
        found = shutil.which(name)
        if found:
            return found
    raise BrowserMissing(f"no Chromium found: {SET_UP}")


def launch_options(playwright: Playwright, forced: str | None = None, headed: bool = False) -> dict[str, object]:
    """Options for chromium.launch(); as root Chromium refuses to start without --no-sandbox."""
    options: dict[str, object] = {}
    executable = find_executable(playwright, forced, headed)
    if executable:
        options["executable_path"] = executable
    # A full Chromium runs headless with its address bar's pop-ups built as web pages: a renderer busy for
    # nothing, which on a small machine takes as much CPU as the portals' own pages.
    args = ["--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    options["args"] = args
    return options


@contextmanager
def launched_browser(browser_path: str | None, headed: bool, slow_mo: float) -> Iterator[Browser]:
    """One Chromium for the run; one that does not start is a setting to fix, not a failed run."""
    with sync_playwright() as playwright:
        options = launch_options(playwright, browser_path, headed)
        try:
            # Ctrl-C is the robot's to handle: the browser stays open until the run has recorded where it stopped
            browser = playwright.chromium.launch(headless=not headed, slow_mo=slow_mo, handle_sigint=False,
                                                 **options)  # type: ignore[arg-type]
        except PlaywrightError as error:
            executable = options.get("executable_path") or playwright.chromium.executable_path
            raise BrowserMissing(f"Chromium {executable} does not start ({first_line(error)}): {SET_UP}") from None
        try:
            yield browser
        finally:
            browser.close()


def main() -> int:
    """Print the browser that will be used; a configuration error when there is none."""
    with sync_playwright() as playwright:
        try:
            options = launch_options(playwright, os.environ.get("ROBOT_BROWSER_PATH"))
        except BrowserMissing as error:
            print(error, file=sys.stderr)
            return ExitCode.CONFIG
        print(options.get("executable_path") or playwright.chromium.executable_path)
    return ExitCode.OK


if __name__ == "__main__":
    sys.exit(main())
