"""The ``smskit lint`` command (``check`` and ``plan`` are in :mod:`._engine`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..content.checks import lint
from ..findings import Finding, Severity
from ..purpose import Purpose
from ._common import EXIT_BLOCKED, EXIT_OK, read_text

_PURPOSES = [purpose.value for purpose in Purpose]


def add_parsers(commands: Any, text_argument: Any, aware_datetime: Any) -> None:
    """Register ``lint`` on the ``smskit`` sub-command parser (``aware_datetime``: unused,
    kept for the call in ``_app``)."""
    lint_parser = commands.add_parser(
        "lint",
        help="content rules: opt-out language, sender id, shorteners, restricted words, cost",
        description="Lint TEXT against the content rules (docs/content.md). Exit 1 when a "
        "finding blocks the send.",
    )
    text_argument(lint_parser)
    lint_parser.add_argument("--purpose", choices=_PURPOSES, default="marketing")
    lint_parser.add_argument(
        "--first", action="store_true", help="the first message of the conversation"
    )
    lint_parser.add_argument(
        "--brand", action="append", help="sender name the text must contain (repeatable)"
    )
    lint_parser.add_argument(
        "--segments-limit", type=int, metavar="N", help="most segments allowed"
    )
    lint_parser.add_argument("--media", action="store_true", help="the message carries media")
    lint_parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    lint_parser.set_defaults(handler=_cmd_lint)


def _json_value(value: object) -> object:
    """Details as JSON keeps them: numbers and booleans as such, times in ISO 8601."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_value(item) for item in value]
    return str(value)


def _finding_json(finding: Finding) -> dict[str, object]:
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
        "source": finding.source,
        "details": {key: _json_value(value) for key, value in finding.details.items()},
    }


def _print_findings(findings: Sequence[Finding]) -> None:
    for finding in findings:
        print(f"  {finding.severity.value:8} {finding.code}: {finding.message}")
        if finding.source:
            print(f"           source: {finding.source}")


def _blocking(findings: Sequence[Finding]) -> bool:
    return any(f.severity is Severity.BLOCK for f in findings)


def _cmd_lint(args: argparse.Namespace) -> int:
    import json

    text = read_text(args.text)
    findings = lint(
        text,
        purpose=args.purpose,
        first_message=args.first,
        brand=args.brand,
        segments_limit=args.segments_limit,
        has_media=args.media,
    )
    blocked = _blocking(findings)
    if args.json:
        json.dump(
            {"blocked": blocked, "findings": [_finding_json(f) for f in findings]},
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
    elif findings:
        print(f"{len(findings)} finding(s){': BLOCKED' if blocked else ''}")
        _print_findings(findings)
    else:
        print("no findings")
    return EXIT_BLOCKED if blocked else EXIT_OK
