"""Helpers shared by the ``smskit`` subcommands."""

from __future__ import annotations

import io
import sys
from pathlib import Path

__all__ = [
    "EXIT_BLOCKED",
    "EXIT_OK",
    "EXIT_USAGE",
    "UsageError",
    "read_template",
    "read_text",
]

EXIT_OK = 0
EXIT_BLOCKED = 1  # a check found a blocking problem
EXIT_USAGE = 2  # a mistake on the command line or in an input file


class UsageError(Exception):
    """A mistake on the command line or in an input file: one line on stderr, exit 2."""


def read_text(argument: str) -> str:
    """The message given on the command line, or stdin for ``-`` (one final newline dropped)."""
    if argument != "-":
        return argument
    # Strict UTF-8 (the platform default may let bad bytes through as surrogates);
    # universal newlines as before, so a CRLF file counts like an LF one.
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="strict")
    try:
        text = stdin.read()
    except UnicodeDecodeError:
        raise UsageError("stdin is not UTF-8 text; save or convert it as UTF-8") from None
    finally:
        stdin.detach()
    return text[:-1] if text.endswith("\n") else text


def read_template(argument: str) -> tuple[str, str]:
    """``(source, label)``: the file's text when ``argument`` names a file, else ``argument``.

    A file's one final newline is dropped (editors add it; a message seldom wants it).
    """
    path = Path(argument)
    if "\n" not in argument and len(argument) < 4096 and path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"template file {argument!r} is not UTF-8 text") from None
        return (text[:-1] if text.endswith("\n") else text), argument
    return argument, "(inline template)"
