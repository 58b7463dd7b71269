"""`check`: every step a renewal needs, walked on the admin's own portals without changing anything.

Both portals are signed into; Cortado's accounts are read and one account's edit form is opened and cancelled;
ABM's token list is opened and its entries counted. Nothing is downloaded or saved. Each step prints what it
matched (role and text), or what is missing with what the page shows instead, so that a portal that differs
from the documented one is fixed with a labels file in minutes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from flows.errors import FlowError, PageNotAsExpected
from flows.locate import watching
from robot.errors import ExitCode, LocationFailed, first_line
from robot.runtime.private_files import write_private

Proposals = dict[str, dict[str, list[str]]]


class Walk:
    """The steps walked so far, what each matched, and the labels the misses propose."""

    def __init__(self, say: Callable[[str], None] = print) -> None:
        self.say = say
        self.missing = 0
        self.proposals: Proposals = {}

    def step(self, name: str, action: Callable[[], object]) -> bool:
        """Run one step, print what it matched or what is missing; False when it could not be done."""
        with watching() as seen:
            try:
                action()
            except (FlowError, LocationFailed) as error:
                self.missing += 1
                self.say(f"MISSING {name}: {first_line(error)}")
                self._propose(error)
                return False
        found = "; ".join(f'{match.wanted} = {match.role} "{match.text}"' for match in seen)
        self.say(f"ok      {name}" + (f": {found}" if found else ""))
        return True

    def _propose(self, error: FlowError) -> None:
        if isinstance(error, PageNotAsExpected) and error.proposal and error.proposal[2]:
            portal, key, texts = error.proposal
            self.proposals.setdefault(portal, {}).setdefault(key, []).extend(texts)

    def write_labels(self, path: Path) -> None:
        """The labels the misses propose, as a labels file (ROBOT_LABELS_FILE) the admin reviews."""
        write_private(path, (json.dumps(self.proposals, indent=2, ensure_ascii=False) + "\n").encode())
        self.say(f"proposed labels written to {path}: review them, then set ROBOT_LABELS_FILE={path}")

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.FAILED if self.missing else ExitCode.OK
