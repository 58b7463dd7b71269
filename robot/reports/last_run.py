"""The last renewal's end, kept in the state directory, so that `status --prometheus` can say whether it went well."""

from __future__ import annotations

import json
from pathlib import Path

from robot.reports.run_summary import RunRecord
from robot.runtime.private_files import write_private

LAST_RUN_FILE = "last-renewal.json"


def save_last_run(state_dir: Path, run: RunRecord) -> None:
    """A dry run renews nothing, so the last real renewal's record stays."""
    if not run.dry_run:
        write_private(state_dir / LAST_RUN_FILE, json.dumps(run.fields(), indent=2).encode())


def load_last_run(state_dir: Path) -> dict[str, object] | None:
    """The last renewal's fields (`finished`, `exit_code`, ...), or None when there was none or it is unreadable."""
    try:
        record = json.loads((state_dir / LAST_RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None
