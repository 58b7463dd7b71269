"""Files only their owner can read (sessions, kept tokens, screenshots and traces hold secrets), safely named."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def write_private(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)  # an existing file keeps its old mode through O_CREAT
    return path


def make_private(path: Path) -> Path:
    """For files a library wrote (screenshots, traces)."""
    os.chmod(path, 0o600)
    return path


def tighten(folder: Path) -> list[tuple[Path, int]]:
    """Every file under `folder` that others could read, made 0600 (a copy, a restore from backup or a umask
    may have opened them); each one tightened with the mode it had."""
    opened: list[tuple[Path, int]] = []
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        if stat.S_ISREG(mode) and mode & 0o077:
            os.chmod(path, 0o600)
            opened.append((path, stat.S_IMODE(mode)))
    return opened


def safe_file_name(name: str) -> str:
    """`name` as a file name on any system: letters, digits, "-" and "_" kept, anything else "_"."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
