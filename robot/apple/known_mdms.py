"""The MDM each unit was claimed by when Apple last confirmed one of its tokens, kept in the state directory.

Without ROBOT_EXPECTED_MDM this is what "another MDM took the unit" is judged against: the first confirmed run
remembers the unit's MDM, later runs refuse a token whose unit now names another.
"""

from __future__ import annotations

import json
from pathlib import Path

from robot.apple.api import MdmInfo
from robot.runtime.private_files import write_private

FILE_NAME = "apple-mdms.json"


class KnownMdms:
    """`{uId: {"id": ..., "name": ...}}` in `state_dir/apple-mdms.json` (0600)."""

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / FILE_NAME

    def get(self, uid: str) -> MdmInfo | None:
        known = self._read().get(uid)
        return MdmInfo(str(known.get("id", "")), str(known.get("name", ""))) if isinstance(known, dict) else None

    def remember(self, uid: str, mdm: MdmInfo) -> None:
        known = self._read()
        known[uid] = {"id": mdm.id, "name": mdm.name}
        write_private(self.path, json.dumps(known, indent=2, ensure_ascii=False).encode())

    def _read(self) -> dict[str, object]:
        """What was remembered; a missing or damaged file remembers nothing (the next confirmation rewrites it)."""
        try:
            known = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return known if isinstance(known, dict) else {}
