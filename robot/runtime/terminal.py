"""Asking the person at the terminal; Ctrl-D or Ctrl-C at the prompt cancels the command, in one line."""

from __future__ import annotations

import sys

from robot.errors import Cancelled


def ask(prompt: str) -> str:
    """The person's answer, trimmed."""
    try:
        return input(prompt).strip()
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)  # the cursor still stands after the prompt
        raise Cancelled("cancelled") from None
