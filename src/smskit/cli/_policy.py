"""The ``smskit lint`` and ``smskit check`` commands: may this message go, and when."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..content.checks import lint
from ..findings import Finding, Severity
from ..numbers.parse import mask_number, parse_number
from ..purpose import Purpose
from ..timing.quiet_hours import QuietHours
from ._common import EXIT_BLOCKED, EXIT_OK, read_text

_PURPOSES = [purpose.value for purpose in Purpose]


def add_parsers(commands: Any, text_argument: Any, aware_datetime: Any) -> None:
    """Register ``lint`` and ``check`` on the ``smskit`` sub-command parser."""
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

    check = commands.add_parser(
        "check",
        help="may NUMBER be texted at a time: quiet hours by recipient location and purpose",
        description="Check whether NUMBER may be texted at --at for --purpose under the "
        "shipped quiet-hours rules (docs/quiet-hours.md). Exit 1 when not allowed; the "
        "earliest allowed time is printed.",
    )
    check.add_argument("number", metavar="NUMBER", help="recipient, e.g. +14155550123")
    check.add_argument(
        "--at",
        required=True,
        type=aware_datetime,
        metavar="ISO8601",
        help="send time with its UTC offset, e.g. 2026-11-23T09:30:00-05:00",
    )
    check.add_argument("--purpose", choices=_PURPOSES, default="marketing", help="message type")
    check.add_argument("--zone", help="recipient IANA time zone when known (overrides the guess)")
    check.add_argument("--region", help="recipient ISO 3166-2 code when known, e.g. US-FL")
    check.add_argument(
        "--prior-consent", action="store_true", help="the recipient gave prior express consent"
    )
    check.add_argument("--json", action="store_true", help="print JSON for scripts")
    check.set_defaults(handler=_cmd_check)


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


def _cmd_check(args: argparse.Namespace) -> int:
    import json

    number = parse_number(args.number)
    at: datetime = args.at
    decision = QuietHours().check(
        number,
        at,
        purpose=args.purpose,
        recipient_zone=args.zone,
        recipient_region=args.region,
        prior_consent=args.prior_consent,
    )
    later = decision.next_allowed.isoformat() if decision.next_allowed else None
    if args.json:
        json.dump(
            {
                "allowed": decision.allowed,
                "at": at.isoformat(),
                "next_allowed": later,
                "zones": list(decision.zones),
                "jurisdictions": list(decision.jurisdictions),
                "findings": [_finding_json(f) for f in decision.findings],
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        where = ", ".join(decision.jurisdictions) or "unknown"
        zones = ", ".join(decision.zones) or "unknown"
        print(f"Recipient  {mask_number(number.e164)}: {where}; zones {zones}")
        if decision.allowed:
            print(f"Allowed    at {at.isoformat()} for {args.purpose}")
        else:
            print(f"NOT allowed at {at.isoformat()} for {args.purpose}")
            print(f"Next allowed {later or 'never (see findings)'}")
            _print_findings(decision.findings)
    return EXIT_OK if decision.allowed else EXIT_BLOCKED
