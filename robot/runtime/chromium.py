"""Which Chromium to launch and how: Playwright's own where installed, else Debian's."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from playwright.sync_api import Playwright, sync_playwright

SYSTEM_CHROMIUM = ("chromium", "chromium-browser", "google-chrome")


class BrowserNotFound(RuntimeError):
    pass


def find_executable(playwright: Playwright, forced: str | None = None) -> str | None:
    """The executable to pass to launch(), or None for Playwright's own build."""
    if forced:
        if not Path(forced).is_file():
            raise BrowserNotFound(f"ROBOT_BROWSER_PATH={forced} is not a file; point it at a Chromium binary")
        return forced
    if Path(playwright.chromium.executable_path).is_file():
        return None
    for name in SYSTEM_CHROMIUM:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserNotFound(
        "no Chromium found: run `python -m playwright install chromium` or `apt-get install -y chromium`,"
        " or set ROBOT_BROWSER_PATH"
    )


def launch_options(playwright: Playwright, forced: str | None = None) -> dict[str, object]:
    """Options for chromium.launch(); as root Chromium refuses to start without --no-sandbox."""
    options: dict[str, object] = {}
    executable = find_executable(playwright, forced)
    if executable:
        options["executable_path"] = executable
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        options["args"] = ["--no-sandbox"]
    return options


def main() -> int:
    """`python -m robot.browser`: print the browser that will be used; exit 1 if none (for setup.sh)."""
    with sync_playwright() as playwright:
        try:
            options = launch_options(playwright, os.environ.get("ROBOT_BROWSER_PATH"))
        except BrowserNotFound as error:
            print(error, file=sys.stderr)
            return 1
        print(options.get("executable_path") or playwright.chromium.executable_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
