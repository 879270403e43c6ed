"""Every option the ``smskit`` parser accepts is named in docs/cli.md (the page a user reads
for the command line; ``--help`` alone is not documentation)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from smskit.cli import _app

PAGE = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def _options(parser: argparse.ArgumentParser, path: str) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found |= _options(sub, f"{path} {name}")
        for option in action.option_strings:
            if option.startswith("--") and option != "--help":
                found.add((path, option))
    return found


def undocumented(page: str) -> list[str]:
    named = set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", page))
    return sorted(f"{path} {option}" for path, option in _options(_app._parser(), "smskit")
                  if option not in named)


def test_every_option_is_named_on_the_page() -> None:
    assert undocumented(PAGE.read_text(encoding="utf-8")) == []
