"""The README is the user's entry point: its first lines and every command must be there."""

from __future__ import annotations

import re
from pathlib import Path

from archive.cli import cli

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_exactly_the_two_commands() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block and README.index("```sh") < 200
    commands = [line for line in first_block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    assert "unionnews demo" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    test_command = re.search(r"```sh\n.*\n(.*)\n```", README).group(1).split("&&")[-1].strip()
    assert test_command in ci


def test_every_command_is_documented() -> None:
    missing = [name for name in cli.commands if f"unionnews {name}" not in README]
    assert not missing, f"commands missing from README.md: {missing}"
