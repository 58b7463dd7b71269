"""Screenshots and traces, named by time, portal and subject, in ROBOT_ARTIFACTS_DIR, readable by their owner only."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from robot.runtime.private_files import make_private, safe_file_name, write_private
from robot.runtime.redaction import REDACTOR

log = logging.getLogger("robot")


class Artifacts:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, name: str, suffix: str) -> Path:
        """A new file's path; the folder is made private, as screenshots and traces may show secrets."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self.folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{safe_file_name(name)}.{suffix}"

    def screenshot(self, page: Page, name: str) -> Path | None:
        """The whole page as it is now, and beside it what a person (and the robot) can read on it; None when
        the page cannot be captured (it is closed or crashed)."""
        path = self.path(name, "png")
        try:
            page.screenshot(path=str(path), full_page=True)
        except PlaywrightError as error:
            log.warning("no screenshot for %s: %s", name, error.message)
            return None
        write_private(path.with_suffix(".aria.yaml"), REDACTOR.mask(accessibility_snapshot(page)).encode())
        return make_private(path)


def accessibility_snapshot(page: Page) -> str:
    """Each frame's accessibility tree (roles, names, texts) as YAML, the frames one after the other."""
    parts = []
    for frame in page.frames:
        try:
            parts.append(f"# frame {frame.name or frame.url.split('?', 1)[0]}\n{frame.locator('body').aria_snapshot()}")
        except PlaywrightError as error:
            parts.append(f"# frame {frame.url.split('?', 1)[0]}: not readable ({error.message.splitlines()[0]})")
    return "\n".join(parts) + "\n"
