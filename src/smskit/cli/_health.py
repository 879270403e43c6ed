"""``smskit health``: delivery health per sender from a message history (a SQLite file
or PostgreSQL)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._common import (
    DEFAULT_SCHEMA,
    EXIT_BLOCKED,
    EXIT_OK,
    UsageError,
    open_postgres_message_history,
    plural,
    printable,
    refuse_address,
    refuse_unread_database_options,
    require_history,
)

if TYPE_CHECKING:
    from ..messenger import HealthThresholds, SenderHealth, SQLiteMessageHistory
    from ..messenger.postgres_history import PostgresMessageHistory

__all__ = ["add_parser"]

_MAX_HOURS = 366 * 24  # a rolling window longer than a year is a typo


def add_parser(
    commands: Any,
    aware_datetime: Callable[[str], datetime],
) -> None:
    """Register ``smskit health``."""
    health = commands.add_parser(
        "health",
        help="delivery health per sender (opt-out and error rates)",
        description="Rolling opt-out rate (unique opted-out / unique recipients) and error "
        "rates by category per sender, from a message history written by the Messenger. "
        "Thresholds are heuristics no carrier publishes (marked unverified). Exit 1 when a "
        "sender is over a halt threshold.",
    )
    health.add_argument("--history", help="SQLite message history file")
    health.add_argument("--database", metavar="DSN",
                        help="PostgreSQL message history (PostgresMessageHistory) instead of "
                        "--history")
    health.add_argument("--schema", help=f"its schema (default {DEFAULT_SCHEMA})")
    health.add_argument("--sender", action="append", help="only this sender (repeatable)")
    health.add_argument("--at", type=aware_datetime, help="end of the window (default: now)")
    health.add_argument("--hours", type=int, default=24, help="window length (default 24)")
    health.add_argument("--json", action="store_true", help="print JSON for scripts")
    health.set_defaults(handler=_cmd_health)


def _cmd_health(args: argparse.Namespace) -> int:
    from ..errors import ConfigurationError
    from ..messenger import HealthThresholds, sender_health
    from ..messenger.health import sending_id
    from ..numbers.parse import mask_sender

    if (args.history is None) == (args.database is None):
        raise UsageError(
            "give the message history as --history FILE (SQLite) or as --database DSN "
            "(PostgreSQL), " + ("not both" if args.history is not None else "one of them")
        )
    refuse_unread_database_options(args.schema, None, database=args.database,
                                   ledger_file=False)
    if args.history is not None:
        _check_file(args.history)
    if not 1 <= args.hours <= _MAX_HOURS:
        raise UsageError(f"--hours must be 1 to {_MAX_HOURS} (a year)")
    at: datetime = args.at or datetime.now(UTC)
    limits = HealthThresholds(window=timedelta(hours=args.hours))
    with closing(_open(args)) as history:
        seen = sorted({m.sender for m in history.messages(since=at - limits.window, until=at)})
        try:  # "+1 (800) 555-0100" as E.164; "8005550100" matches nothing: say so
            asked = [sending_id(s) for s in args.sender or []]
        except ConfigurationError as exc:
            held = ", ".join(printable(mask_sender(s)) for s in seen) or "none"
            raise UsageError(f"--sender: {exc}; the history holds: {held}") from None
        senders = asked or seen
        reports = [sender_health(history, s, at, limits) for s in senders]
    _note_unknown(asked, seen)
    if args.json:
        print(json.dumps([_as_json(r, limits) for r in reports], indent=2, sort_keys=True))
    else:
        _print(reports, args.hours, limits)
        _note_alike(senders)
    return EXIT_BLOCKED if any(r.halted for r in reports) else EXIT_OK


def _check_file(name: str) -> None:
    refuse_address(name, "message history", "give the file the Messenger's "
                   "SQLiteMessageHistory records to, or a PostgreSQL history as --database DSN")
    path = Path(name)
    if not path.is_file():
        raise UsageError(f"no history file at {str(path)!r}")
    # Health reads messages and receipts, which only the Messenger records: a file of
    # sends alone (SQLiteSendHistory) would get empty tables added and report nothing.
    require_history(name, "smskit_messages", "the Messenger or SQLiteMessageHistory")


def _open(args: argparse.Namespace) -> SQLiteMessageHistory | PostgresMessageHistory:
    from ..messenger import SQLiteMessageHistory

    if args.database is not None:
        return open_postgres_message_history(args.database,
                                             schema=args.schema or DEFAULT_SCHEMA)
    return SQLiteMessageHistory(Path(args.history))


def _note_unknown(asked: list[str], seen: list[str]) -> None:
    # Senders are matched as recorded: "8005550100" for "+18005550100" would report
    # "ok" with zeros, as if the number were healthy.
    from ..numbers.parse import mask_sender

    held = ", ".join(printable(mask_sender(s)) for s in seen) or "none"
    for sender in asked:
        if sender not in seen:
            print(f"note: no messages from {printable(mask_sender(sender))} in the window; "
                  f"senders are matched as recorded (E.164, +1...); it holds: {held}",
                  file=sys.stderr)


def _note_alike(senders: list[str]) -> None:
    # Numbers are shown masked, so two of a business's numbers that end alike print
    # the same label, and a HALT could not be told apart from an "ok" (user34).
    from collections import Counter

    from ..numbers.parse import mask_sender

    shown = Counter(mask_sender(s) for s in set(senders))  # --sender X twice is one number
    for label, count in sorted(shown.items()):
        if count > 1:
            print(f"note: {count} sending numbers are shown alike as {printable(label)} "
                  "(numbers are masked); report one with --sender NUMBER, or read the "
                  "sender field of --json", file=sys.stderr)


def _as_json(report: SenderHealth, limits: HealthThresholds) -> dict[str, object]:
    return {
        "judged": report.recipients >= limits.min_recipients,
        "sender": report.sender,
        "since": report.since.isoformat(),
        "until": report.until.isoformat(),
        "recipients": report.recipients,
        "opted_out": report.opted_out,
        "opt_out_rate": str(report.opt_out_rate),
        "sent": report.sent,
        "failures": dict(report.failures),
        "error_rate": str(report.error_rate),
        "halted": report.halted,
        "findings": [
            {
                "code": f.code,
                "severity": f.severity.value,
                "message": f.message,
                "source": f.source,
                "status": f.status,
            }
            for f in report.findings
        ],
    }


def _print(reports: list[SenderHealth], hours: int, limits: HealthThresholds) -> None:
    from ..numbers.parse import mask_sender

    if not reports:
        print(f"no messages in the last {hours} hours")
    for report in reports:
        state = "HALT" if report.halted else "ok"
        if not report.halted and report.recipients < limits.min_recipients:
            # No rate is judged below the minimum: "ok" beside 100% opted out misleads.
            state = (f"not judged: {plural(report.recipients, 'recipient')}, rates are "
                     f"judged from {limits.min_recipients}")
        print(f"{printable(mask_sender(report.sender))}: {state} (last {hours} h)")
        print(
            f"  recipients {report.recipients}, opted out {report.opted_out} "
            f"({report.opt_out_rate:.1%})"
        )
        failures = ", ".join(f"{k} {v}" for k, v in report.failures.items()) or "none"
        print(f"  sent {report.sent}, failures {failures} ({report.error_rate:.1%})")
        for finding in report.findings:
            label = "" if finding.verified else f" [{finding.status} heuristic]"
            # The message names the sender, which came from the history (escaped).
            print(f"  - {finding.severity.value} {finding.code}: "
                  f"{printable(finding.message)}{label}")
            print(f"    source: {finding.source}")
