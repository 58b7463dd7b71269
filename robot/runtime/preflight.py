"""Checks made before anything signs in: the folders and files the robot will write, the display a visible
browser needs, and the labels file's portals. Each failure is a ConfigError naming the setting to fix."""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from pathlib import Path

from robot.errors import ConfigError
from robot.runtime.private_files import tighten

log = logging.getLogger("robot")

# The portals a labels file may hold labels for (robot/portals/abm.py and cortado.py, `key`).
LABEL_PORTALS = ("abm", "cortado")


def check_state_dir(state_dir: Path) -> None:
    """The state directory, made (0700) if need be; the run lock is the first thing written into it."""
    problem = _folder_problem(state_dir, mode=0o700)
    if problem:
        raise ConfigError(f"ROBOT_STATE_DIR={state_dir} cannot be used: {problem}; "
                          "set it to a folder the robot can create and write")
    for path, mode in tighten(state_dir):
        log.warning("%s was mode %03o, open to other users: made 600 (it may hold a session or a token)", path, mode)


def check_output_file(option: str, path: Path) -> None:
    """A report file written at the end of the run: found wrong now, before the run changes anything."""
    problem = (f"{path} is a folder" if path.is_dir()
               else f"{path} is not writable" if path.exists() and not os.access(path, os.W_OK)
               else _folder_problem(path.parent, mode=0o777))
    if problem:
        raise ConfigError(f"{option} {path} cannot be written: {problem}; name a file in a folder you can write")


def check_display(headed: bool) -> None:
    """On Linux a visible browser needs an X or Wayland display; without one Chromium dies right after launch."""
    if headed and sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise ConfigError("no display: run under xvfb-run, or drop --headed")


def check_labels_file(path: Path) -> None:
    """Only the portals' sections: flows/labels.py reads each portal's own, and would not see a misspelt one."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # flows/labels.py says what is wrong with the file when the portal sessions start
    unknown = sorted(set(document) - set(LABEL_PORTALS)) if isinstance(document, dict) else []
    if unknown:
        raise ConfigError(f"unknown portal {', '.join(repr(k) for k in unknown)} in the labels file {path} "
                          f"(ROBOT_LABELS_FILE); known: {', '.join(repr(k) for k in LABEL_PORTALS)}")


def _folder_problem(folder: Path, mode: int) -> str | None:
    """Why the robot cannot write files in `folder` (made with `mode` if missing), or None when it can."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=mode)
        with tempfile.TemporaryFile(dir=folder):
            return None
    except OSError as error:
        blocking = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), None)
        return f"{blocking} is a file, not a folder" if blocking else f"{error.strerror} ({folder})"
