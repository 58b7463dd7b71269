"""Where ABM's six-digit verification code comes from: a command, the person at the terminal, or nowhere."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable

from robot.errors import ConfigError
from robot.runtime.terminal import another_try, ask

SIX_DIGITS = re.compile(r"^\d{6}$")


def code_source(command: str | None, interactive: bool | None = None) -> Callable[[int], str | None]:
    """The code for the n-th try (0 first); None from the source means no one can give a code (more): the run must
    stop and ask for `robot login`. A command is asked once: it would print the same code again."""
    if command:
        return lambda attempt: _from_command(command) if attempt == 0 else None
    if interactive if interactive is not None else sys.stdin.isatty():
        return _from_terminal
    return lambda attempt: None


def _from_terminal(attempt: int) -> str | None:
    if not another_try(attempt):
        return None
    for _ in range(3):
        code = ask("Apple Business Manager verification code (6 digits): ")
        if SIX_DIGITS.match(code):
            return code
        print("That is not six digits.", file=sys.stderr)
    return None


def _from_command(command: str) -> str:
    try:
        done = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=120, check=False)
    except subprocess.TimeoutExpired:
        raise ConfigError(f"ABM_CODE_COMMAND did not print a code within 120 s: {command}") from None
    code = done.stdout.strip()
    if done.returncode != 0:
        raise ConfigError(f"ABM_CODE_COMMAND exited with {done.returncode}: it must print the six-digit code and "
                          "exit 0")
    if not SIX_DIGITS.match(code):
        shown = repr(code) if len(code) <= 12 and code.isdigit() else f"{len(code)} characters"  # never a secret
        raise ConfigError(f"ABM_CODE_COMMAND printed {shown}, not six digits")
    return code
