"""Files only their owner can read (sessions, kept tokens, screenshots and traces hold secrets), safely named."""

from __future__ import annotations

import os
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


def safe_file_name(name: str) -> str:
    """`name` as a file name on any system: letters, digits, "-" and "_" kept, anything else "_"."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
