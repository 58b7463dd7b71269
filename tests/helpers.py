"""Small checks shared by the test files."""

from __future__ import annotations

import stat
from pathlib import Path


def private(path: Path) -> bool:
    """Readable and writable by its owner only, as every file that may hold a secret must be."""
    return stat.S_IMODE(path.stat().st_mode) == 0o600
