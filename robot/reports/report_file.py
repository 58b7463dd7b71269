"""Writing a report file where the admin asked for it, its folder made if need be."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from robot.runtime.private_files import write_private


def write_text(path: Path, text: str) -> None:
    """Only its owner may read it, like every file the robot writes: it names locations and kept token files."""
    write_private(path, (text + "\n").encode())


def write_atomically(path: Path, text: str, mode: int = 0o644) -> None:
    """Written beside `path` and renamed over it, so that a reader (node-exporter's textfile collector) sees the
    old file or the new one, never half of one. Readable by others: it holds no secret, and the collector runs as
    another user."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
