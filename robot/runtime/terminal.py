"""Asking the person at the terminal; Ctrl-D or Ctrl-C at the prompt cancels the command, in one line."""

from __future__ import annotations

import sys

from robot.errors import Cancelled

PERSON_TRIES = 3  # codes a person may type before the sign-in is given up


def ask(prompt: str) -> str:
    """The person's answer, trimmed."""
    try:
        return input(prompt).strip()
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)  # the cursor still stands after the prompt
        raise Cancelled("cancelled") from None


def another_try(attempt: int) -> bool:
    """Whether the person at the terminal gets the `attempt`-th try at a code (0 first); from the second on, the
    portal refused the last one, which is said."""
    if attempt >= PERSON_TRIES:
        return False
    if attempt:
        print("the code was refused; try again", file=sys.stderr)
    return True
