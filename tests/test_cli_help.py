"""`--version`, and each command's `--help` with its examples and exit codes (issue 19). No browser needed."""

from __future__ import annotations

import re
import shlex
from importlib.metadata import version
from pathlib import Path

import pytest

from robot.cli import build_parser, main

COMMANDS = ("renew", "status", "login", "check", "notify-test", "demo")


def test_version_names_the_installed_release(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"vpptoken-robot {version('vpptoken-robot')}"


@pytest.mark.parametrize("command", COMMANDS)
def test_each_commands_help_shows_examples_it_accepts_and_the_exit_codes(
        command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    shown = capsys.readouterr().out
    assert done.value.code == 0
    examples = shown.split("examples:\n", 1)[1].split("\n\n", 1)[0]
    commands = [line.strip() for line in examples.splitlines() if line.startswith("  python -m robot ")]
    assert 2 <= len(commands) <= 3, examples
    for example in commands:  # each example is a command line the parser takes as it stands
        assert build_parser().parse_args(shlex.split(example)[3:]).command == command
    codes = re.findall(r"^  (\d+) +\S", shown.split("exit codes:\n", 1)[1], re.MULTILINE)
    assert codes == ["0", "1", "2", "3", "130"]


def test_every_robot_command_in_the_readme_is_one_the_parser_takes() -> None:
    """The README's command lines, as written (up to a comment, a quote around the whole, or a redirection)."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    blocks = "\n".join(re.findall(r"```(?:sh|cron|ini)\n(.*?)```", readme, re.DOTALL))
    lines = re.findall(r"-m robot ([^#'>;\n]*)", blocks)
    assert len(lines) >= 20, lines
    for line in lines:
        argv = [part.replace("$org", "acme") for part in shlex.split(line)]
        if argv == ["--version"]:
            continue
        assert build_parser().parse_args(argv).command, line
