"""The ``console`` examples of docs/cli.md, run as real processes: the page cannot drift.

Each ``$ smskit ...`` line of a ```console block is run through the installed entry point
(by ``bash``, so the quoting and ``$(...)`` the reader types work as shown), from the
repository root. Its stdout followed by its stderr must be the lines shown under it, where
a line holding only ``...`` stands for any number of lines. ``$ echo $?`` followed by a
number gives the exit code of the command before it; without one the command must exit 0.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "cli.md"
_FENCE = re.compile(r"^```console[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def _scripts_dir() -> str:
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        if shutil.which("smskit", path=folder):
            return folder
    raise AssertionError("the smskit entry point is not installed; pip install -e .")


SCRIPTS = _scripts_dir()
BASH = shutil.which("bash")


@dataclass(frozen=True)
class Example:
    line: int  # line of the ``$ smskit`` command in the page (1-based)
    command: str
    output: tuple[str, ...]
    exit_code: int | None  # from a following ``$ echo $?``; None when the page shows none


def _examples() -> list[Example]:
    source = PAGE.read_text(encoding="utf-8")
    examples: list[Example] = []
    for match in _FENCE.finditer(source):
        first = source.count("\n", 0, match.start(1)) + 1
        lines = match.group(1).splitlines()
        index = 0
        while index < len(lines):
            text = lines[index]
            assert text.startswith("$ "), f"cli.md line {first + index}: output without a command"
            command, start = text[2:], index
            index += 1
            output: list[str] = []
            while index < len(lines) and not lines[index].startswith("$ "):
                output.append(lines[index])
                index += 1
            exit_code = None
            if index < len(lines) and lines[index] == "$ echo $?":
                exit_code = int(lines[index + 1])
                index += 2
            assert command.startswith("smskit "), f"cli.md line {first + start}: {command}"
            examples.append(Example(first + start, command, tuple(output), exit_code))
    return examples


EXAMPLES = _examples()


def _matches(expected: tuple[str, ...], actual: list[str]) -> bool:
    """Line-by-line equality where an ``...`` line matches any run of lines (even none)."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head.strip() == "...":
        return any(_matches(rest, actual[skip:]) for skip in range(len(actual) + 1))
    return bool(actual) and actual[0] == head and _matches(rest, actual[1:])


def test_page_has_examples_of_every_command() -> None:
    # Guards the extraction: a broken fence regex would otherwise pass vacuously.
    commands = {example.command.split()[1] for example in EXAMPLES}
    assert commands == {"count", "explain", "estimate", "lint", "check", "plan"}
    assert len(EXAMPLES) >= 10
    assert sum(example.exit_code is not None for example in EXAMPLES) >= 6


def test_matcher_wildcards() -> None:
    assert _matches(("a", "...", "d"), ["a", "b", "c", "d"])
    assert _matches(("a", "...", "b"), ["a", "b"])
    assert not _matches(("a", "...", "d"), ["a", "b", "c"])
    assert not _matches(("a",), ["a", "b"])


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"cli.md:{e.line}" for e in EXAMPLES])
def test_documented_command(example: Example) -> None:
    assert BASH, "bash is needed to run the page's commands as a reader types them"
    env = {**os.environ, "PATH": SCRIPTS + os.pathsep + os.environ.get("PATH", "")}
    result = subprocess.run(
        [BASH, "-c", example.command],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    actual = (result.stdout + result.stderr).splitlines()
    assert _matches(example.output, actual), (
        f"cli.md line {example.line}: {example.command}\n"
        "--- page\n" + "\n".join(example.output) + "\n--- actual\n" + "\n".join(actual)
    )
    expected_code = 0 if example.exit_code is None else example.exit_code
    assert result.returncode == expected_code, result.stderr
