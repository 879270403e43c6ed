"""The ``smskit check`` and ``smskit plan`` commands: the compliance engine's answer
for one message, and the dry run of a whole campaign.

Exit codes of ``check``: 0 allowed now, 1 blocked, 3 deferred (``not_before`` printed),
2 a usage or input error. ``plan`` exits 0 (the plan is the answer) or 2.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from ..errors import ConfigurationError, TemplateError
from ..findings import Finding
from ..purpose import Purpose
from ._common import (
    DEFAULT_CHAIN,
    DEFAULT_SCHEMA,
    EXIT_BLOCKED,
    EXIT_OK,
    UsageError,
    add_exempt_option,
    consent_rules,
    load_sender,
    open_ledger,
    open_postgres_history,
    open_postgres_ledger,
    plural,
    print_json,
    printable,
    read_template,
    refuse_address,
    refuse_unread_database_options,
    require_history,
)
from ._estimate import _add_aliases, _Campaign, _check_fields, _number_column, load_rates
from ._rows import open_rows

if TYPE_CHECKING:
    from ..consent.sender import SenderProfile
    from ..consent.store import ConsentStore
    from ..content import LintConfig
    from ..policy import CompliancePipeline, Decision, SendRequest
    from ..pricing import RateCard
    from ..routes import Route
    from ..timing.caps import SendHistory
    from ..timing.quiet_hours import QuietHours

__all__ = ["EXIT_DEFERRED", "add_parsers"]

#: ``smskit check``: the message may go, but not now (the time is printed).
EXIT_DEFERRED = 3
_EXIT = {"allow": EXIT_OK, "block": EXIT_BLOCKED, "defer": EXIT_DEFERRED}  # by Verdict value
_PURPOSES = [purpose.value for purpose in Purpose]
_PROGRESS_EVERY = 2000
# Where a database address was given as a file: the option that reads it.
_DATABASE_HINT = ("give a PostgreSQL ledger or send history as --database DSN (with "
                  "--schema and --chain if not the defaults)")


def add_parsers(commands: Any, aware_datetime: Callable[[str], datetime]) -> None:
    """Register ``check`` and ``plan`` on the ``smskit`` sub-command parser."""
    check = commands.add_parser(
        "check",
        help="may NUMBER be texted now: allow, defer until T, or block, with every finding",
        description="Run the compliance engine on one message (docs/engine.md). Exit 0 "
        "allowed now, 1 blocked, 3 deferred (the time it may go is printed), 2 usage error.",
    )
    check.add_argument("number", metavar="NUMBER", help="recipient, e.g. +14155550123")
    _common_options(check, aware_datetime)
    body = check.add_mutually_exclusive_group()
    body.add_argument("--body", metavar="TEXT", help="the message text")
    body.add_argument("--template", metavar="FILE", help="a template file (- for stdin)")
    body.add_argument("--template-text", metavar="TEXT", help="the template text itself")
    check.add_argument("--values", nargs="*", default=[], metavar="K=V",
                       help="the template's values")
    check.add_argument("--zone", help="recipient IANA time zone when known (overrides the guess)")
    check.add_argument("--region", help="where the recipient lives, when known: a US state or "
                       "Canadian province (US-FL, FL, Florida) or a country's code (MX)")
    check.add_argument("--prior-consent", action="store_true",
                       help="the recipient gave prior express consent (waives some quiet hours)")
    check.add_argument("--first", action="store_true", help="the first message to this person")
    check.add_argument("--json", action="store_true", help="print the decision record as JSON")
    check.set_defaults(handler=_cmd_check)

    plan = commands.add_parser(
        "plan",
        help="dry run of a campaign: how many go now, are deferred, are blocked, and the cost",
        description="Decide every row of CAMPAIGN.csv with the compliance engine "
        "(docs/engine.md). Exit 0 with the plan, 2 on a usage or input error.",
    )
    plan.add_argument("campaign", metavar="CAMPAIGN.csv", help="CSV with a number column")
    template = plan.add_mutually_exclusive_group(required=True)
    template.add_argument("--template", metavar="FILE", help="template file (- for stdin)")
    template.add_argument("--template-text", metavar="TEXT", help="the template text itself")
    _common_options(plan, aware_datetime)
    plan.add_argument("--rates", metavar="R", help="rate card (TOML or JSON) to price the plan")
    plan.add_argument("--number-column", metavar="NAME", help="the phone number column")
    plan.add_argument(
        "--state-column", metavar="NAME",
        help="the recipient's US state or Canadian province (FL, US-FL, Florida); "
        "overrides the area code's",
    )
    plan.add_argument(
        "--zone-column", metavar="NAME", help="the recipient's IANA time zone, when known"
    )
    plan.add_argument("--prior-consent", action="store_true",
                      help="every recipient gave prior express consent (waives some quiet "
                      "hours and Washington's ban on unsolicited texts)")
    output = plan.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="the plan and its rows as JSON")
    output.add_argument("--csv", action="store_true", help="one line per row as CSV")
    plan.set_defaults(handler=_cmd_plan)


def _common_options(parser: argparse.ArgumentParser,
                    aware_datetime: Callable[[str], datetime]) -> None:
    parser.add_argument("--at", required=True, type=aware_datetime, metavar="ISO8601",
                        help="send time with its UTC offset, e.g. 2026-11-23T09:30:00-05:00")
    parser.add_argument("--known-at", type=aware_datetime, metavar="ISO8601",
                        help="replay with only the ledger events recorded by then (and the "
                        "sends made by then): what the sender could know; an audit gives "
                        "the send time")
    parser.add_argument("--purpose", choices=_PURPOSES, default="marketing", help="message type")
    parser.add_argument("--sender", metavar="sender.toml",
                        help="the sender profile (examples/sender.toml); without it only the "
                        "number and quiet hours are checked")
    parser.add_argument("--ledger", metavar="ledger.db",
                        help="consent ledger (SQLite) for consent and opt-outs")
    parser.add_argument("--history", metavar="sends.db",
                        help="send history (SQLite) for frequency caps and first messages")
    parser.add_argument("--database", metavar="DSN",
                        help="read the consent ledger and the send history from PostgreSQL "
                        "(those not given as files): postgresql://USER@HOST:PORT/DB (needs "
                        "the postgres extra; never printed)")
    parser.add_argument("--schema",
                        help="with --database: PostgreSQL schema of the smskit tables "
                        "(default smskit)")
    parser.add_argument("--chain",
                        help="with --database: PostgreSQL ledger chain, e.g. a tenant "
                        "(default 'default')")
    parser.add_argument("--window", action="append", type=_window,
                        metavar="HH:MM-HH:MM[@DAYS]",
                        help="the business's own sending window in the recipient's local "
                        "time, e.g. 09:00-18:00@mon-fri (repeatable; DAYS: mon..sun, "
                        "ranges and commas); a send outside every window is deferred, "
                        "as QuietHours(sender_windows=...) in your application does")
    add_exempt_option(parser)


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Exactly HH:MM-HH:MM: time.fromisoformat also read "09-18", "0900", "T09:00" and
# "18:00.5", and "09:00-18:00-20:00" as an end with a UTC offset of -20:00 (review rev29u).
_WINDOW = re.compile(r"\s*([0-9]{2}):([0-9]{2})\s*-\s*([0-9]{2}):([0-9]{2})\s*(?:@(.*))?")
_OFFSET = re.compile(r"[0-9]{2}:[0-9]{2}(?::[0-9]{2})?\s*(?:[Zz]|\+[0-9])")


def _window(text: str) -> tuple[time, time, frozenset[int]]:
    """``09:00-18:00`` or ``09:00-18:00@mon-fri,sun``: start, end, weekdays (Monday 0)."""
    # Echoed so the slip can be found among several --window, a phone number given in
    # the wrong place masked (never in full on a terminal).
    from ._tools import _mask_numbers_in

    shown = printable(_mask_numbers_in(text))
    found = _WINDOW.fullmatch(text)
    hours = [int(found.group(i)) for i in range(1, 5)] if found else []
    if not found or hours[0] > 23 or hours[2] > 23 or hours[1] > 59 or hours[3] > 59:
        if _OFFSET.search(text.partition("@")[0]):
            raise argparse.ArgumentTypeError(
                f"{shown!r}: a window is in the recipient's local time; drop the offset"
            )
        raise argparse.ArgumentTypeError(
            f"{shown!r}: write a window as HH:MM-HH:MM (24-hour, the recipient's local "
            "time, 00:00 as the end for midnight), optionally @DAYS such as @mon-fri"
        )
    start, end = time(hours[0], hours[1]), time(hours[2], hours[3])
    if end != time(0) and end <= start:
        raise argparse.ArgumentTypeError(
            f"{shown!r}: the end must be after the start (00:00 as the end means "
            "midnight; a window does not wrap midnight: give two)"
        )
    days_text = found.group(5)
    days: set[int] = set()
    for part in days_text.lower().split(",") if days_text is not None else _DAYS:
        # "@" with nothing after it was every day: a list cut short is refused instead.
        first, dash, last = (p.strip() for p in part.partition("-"))
        if first not in _DAYS or (dash and last not in _DAYS):
            raise argparse.ArgumentTypeError(
                f"{shown!r}: days are {', '.join(_DAYS)}, as ranges (mon-fri) "
                "or a list (sat,sun)"
            )
        a, b = _DAYS.index(first), _DAYS.index(last or first)
        days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(b + 1)])
    return start, end, frozenset(days)


def _blank_only() -> LintConfig:
    """The lint config that reports a blank text (content.empty) and nothing else."""
    from ..content import CONTENT_FINDING_CODES, LintConfig

    return LintConfig(disabled=frozenset(CONTENT_FINDING_CODES) - {"content.empty"})


def _engine(args: argparse.Namespace, stack: ExitStack, *, has_body: bool,
            rates: RateCard | None = None) -> tuple[CompliancePipeline, SenderProfile]:
    from ..consent.sender import SenderProfile
    from ..policy import (
        CompliancePipeline,
        ContentPolicy,
        LengthPolicy,
        NumberPolicy,
        Policy,
        QuietHoursPolicy,
        RegistrationPolicy,
        default_policies,
    )
    from ..timing.caps import SQLiteSendHistory

    if args.sender is None:
        # Consent and caps are kept per sender: without one they would be skipped, and
        # an ALLOW beside a ledger given on purpose would read as "consent checked".
        for option, given in (("--ledger", args.ledger), ("--history", args.history),
                              ("--database", args.database),
                              ("--exempt-without-record", args.exempt_without_record or None)):
            if given is not None:
                raise UsageError(
                    f"{option} needs --sender: without a sender profile, consent and "
                    "frequency caps are not checked (see examples/sender.toml)"
                )
        sender = SenderProfile()
        policies: tuple[Policy, ...] = (NumberPolicy(), QuietHoursPolicy(_quiet_hours(args)))
        if has_body:
            # A blank text is still blocked (content.empty): it has nothing to send, and
            # estimate leaves such rows out, so plan's cost must too (fix31c). Nothing
            # else of the content is checked (no CASL check either).
            policies += (ContentPolicy(_blank_only(), casl_purposes=frozenset()),)
        return CompliancePipeline(policies, rates=rates), sender
    sender = load_sender(args.sender)
    for advice in sender.advice():  # on stderr: the decision (and --json) stays as it was
        # The file name is the user's: escaped, as the error naming it would be.
        print(printable(f"smskit: warning: {args.sender}: {advice.code}: {advice.message} "
                        f"(source: {advice.source}; {advice.status})"), file=sys.stderr)
    if args.database is not None and args.ledger and args.history:
        raise UsageError("--database reads the ledger and send history not given as files; "
                         "with both --ledger and --history it would read nothing: drop one")
    schema = args.schema or DEFAULT_SCHEMA
    store: ConsentStore | None = None
    if args.ledger:
        store = stack.enter_context(open_ledger(args.ledger, _DATABASE_HINT))
    elif args.database is not None:
        store = stack.enter_context(
            open_postgres_ledger(args.database, schema=schema, chain=args.chain or DEFAULT_CHAIN))
    # SQLiteSendHistory creates a missing file: a typo would be an empty history that
    # lets every frequency cap pass, so only an existing file is used (as for the ledger).
    history: SendHistory | None = None
    if args.history:
        refuse_address(args.history, "send history", _DATABASE_HINT)
        if Path(args.history).is_dir():
            raise UsageError(f"{args.history}: is a directory, not a send history file")
        if not Path(args.history).is_file():
            raise UsageError(f"{args.history}: no such send history file")
        require_history(args.history)
        history = stack.enter_context(SQLiteSendHistory(args.history))
    elif args.database is not None:
        history = stack.enter_context(open_postgres_history(args.database, schema=schema))
    if store is None and args.exempt_without_record:
        raise UsageError("--exempt-without-record changes how the consent ledger is read: "
                         "give it with --ledger or --database")
    policies = default_policies(store=store, history=history, quiet_hours=_quiet_hours(args),
                                consent_rules=consent_rules(args.exempt_without_record))
    if not has_body:  # nothing to lint or measure
        policies = tuple(p for p in policies if not isinstance(p, ContentPolicy | LengthPolicy))
    if not any(isinstance(p, RegistrationPolicy) for p in policies):
        policies += (RegistrationPolicy(),)
    return CompliancePipeline(policies, rates=rates, history=history), sender


def _quiet_hours(args: argparse.Namespace) -> QuietHours:
    """The shipped quiet-hours rules, with the ``--window`` sending windows if given."""
    from ..timing.quiet_hours import QuietHours
    from ..timing.quiet_rules import SendWindow

    windows = [SendWindow(start, end, days=days) for start, end, days in args.window or ()]
    return QuietHours(sender_windows=windows)


def _refuse_unread_options(args: argparse.Namespace) -> None:
    """Options nothing would read, refused before any work (a long campaign read)."""
    refuse_unread_database_options(
        args.schema, args.chain, database=args.database, ledger_file=bool(args.ledger)
    )


def _values(pairs: Sequence[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--values takes NAME=VALUE pairs, got {_safe(pair)!r}")
        values[name] = value
    return values


def _safe(text: str) -> str:
    """User text for a terminal: control and format characters shown escaped."""
    return "".join(
        c if c == "\n" or unicodedata.category(c)[0] != "C" else f"\\u{ord(c):04x}"
        for c in text
    )


def _cmd_check(args: argparse.Namespace) -> int:
    from ..policy import SendRequest
    from ..pricing import Template

    _refuse_unread_options(args)
    has_body = args.body is not None or args.template is not None or args.template_text is not None
    if args.values and args.template is None and args.template_text is None:
        raise UsageError("--values fills a template: give --template or --template-text "
                         "(a --body is sent as typed)")
    template = (
        None if args.template is None and args.template_text is None
        else Template(read_template(args.template, args.template_text)[0])
    )
    if args.zone is not None:  # named by its option, not by SendRequest's recipient_zone
        from ..timing.quiet_rules import load_recipient_zone

        load_recipient_zone(args.zone, field_name="--zone")
    request = SendRequest(
        args.number,
        body=None if template is not None else (args.body or ""),
        template=template, values=_values(args.values), purpose=Purpose(args.purpose),
        recipient_zone=args.zone,
        recipient_region=None if args.region is None else read_region(args.region, "--region"),
        prior_consent=args.prior_consent, first_message=True if args.first else None,
    )
    with ExitStack() as stack:
        engine, sender = _engine(args, stack, has_body=has_body)
        decision = engine.decide(request, sender, args.at, known_at=args.known_at)
    if args.json:
        record = decision.to_dict(mask=True)
        record["not_before_utc"] = (
            None if decision.not_before is None
            else decision.not_before.astimezone(ZoneInfo("UTC")).isoformat()
        )
        print_json(record, sort_keys=True)
    else:
        _print_decision(decision, request, has_body)
        _print_unchecked(args)
    return _EXIT[decision.verdict.value]


def _print_unchecked(args: argparse.Namespace) -> None:
    # An "allow" without a ledger says nothing of consent: say what was not looked at.
    if args.sender is None:
        print("note: no --sender: registration, consent, content and length not checked")
    elif args.ledger is None and args.database is None:
        print("note: no --ledger: consent and opt-outs not checked")


def _print_decision(decision: Decision, request: SendRequest, has_body: bool) -> None:
    from ..numbers.parse import mask_number

    # The E.164 form when it parsed: a national number masked as typed shows an area
    # code's digit where every other line shows the country code.
    shown = decision.recipient or request.number_text
    print(f"{decision.verdict.value.upper():6} {mask_number(shown)} "
          f"at {decision.at.isoformat()} for {request.purpose.value}")
    print(f"Reason {_safe(decision.reason)}")
    if decision.known_at is not None:
        print(f"Known  at {decision.known_at.isoformat()}: ledger events recorded later left out")
    if decision.not_before is not None:
        local = _recipient_time(decision)
        print(f"May go {local} (recipient), "
              f"{decision.not_before.astimezone(ZoneInfo('UTC')).isoformat()} (UTC)")
    if has_body:
        print(f"Body   {decision.encoding.value}, {plural(decision.segments, 'segment')}"
              + (f", was {decision.segments_before} before prefix/footer"
                 if decision.segments != decision.segments_before else ""))
    if decision.cost is not None:
        print(f"Cost   {decision.cost} {decision.currency or ''}".rstrip())
    _print_findings(decision.findings)


def _recipient_time(decision: Decision) -> str:
    assert decision.not_before is not None
    zones = [f.details.get("zones") for f in decision.findings]
    for found in zones:
        if isinstance(found, tuple | list) and found:
            zone = str(found[0])
            return f"{decision.not_before.astimezone(ZoneInfo(zone)).isoformat()} {zone}"
    return decision.not_before.isoformat()


def _print_findings(findings: Sequence[Finding]) -> None:
    from ..policy.model import evidence_line

    for finding in findings:
        label = "" if finding.verified else f" [{finding.status}: labelled default]"
        print(f"  {finding.severity.value:8} {finding.code}: {_safe(finding.message)}{label}")
        if finding.source:
            print(f"           source: {finding.source}")
        cited = evidence_line(finding)
        if cited:  # ints, a kind and a time: nothing of the person's to escape
            print(f"           evidence: {cited}")


# -- plan ------------------------------------------------------------------------------


def _cmd_plan(args: argparse.Namespace) -> int:
    from ..policy import SendRequest
    from ..pricing import Template
    from ..pricing.campaign import default_note

    _refuse_unread_options(args)
    if args.template == "-" and args.campaign == "-":
        raise UsageError("the campaign and the template cannot both be read from stdin")
    rates = load_rates(args.rates) if args.rates else None  # before a long read
    source = open_rows(args.campaign, _PROGRESS_EVERY)
    try:  # a mistake found before the rows are read closes the file it opened
        campaign = _Campaign(source.label, source.columns, 0, {}, source.place)
        column = _number_column(campaign, args.number_column)
        template = Template(read_template(args.template, args.template_text)[0])
        # A misspelt field is the file's, not each row's.
        aliases = _check_fields(template, campaign)
        state_column = _named_column(campaign, args.state_column)
        zone_column = _named_column(campaign, args.zone_column)
    except BaseException:
        source.close()
        raise
    purpose = Purpose(args.purpose)
    # Each block of rows is decided as it is read and only a slim line is kept per row:
    # a nightly plan of millions of contacts held every row and every Decision (about
    # 2 KB a row: 460 MB at 200,000 rows).
    progress = sys.stderr.isatty()
    lines: list[_Line] = []
    shared: dict[Any, Any] = {}  # equal codes and reasons kept once
    with ExitStack() as stack:
        stack.callback(source.close)  # a bad --sender or --ledger stops before the rows
        engine, sender = _engine(args, stack, has_body=True, rates=rates)
        for block in source.read(list(source.columns)):
            _add_aliases(block.rows, aliases)
            asked: list[tuple[int, SendRequest | None, str]] = []  # (row, request, problem)
            for offset, row in enumerate(block.rows):
                try:
                    body = template.render(row)
                    region = _row_state(row, state_column)
                    zone = _row_zone(row, zone_column)
                except (TemplateError, UsageError) as exc:
                    asked.append((offset, None, str(exc)))
                    continue
                request = SendRequest(
                    row.get(column, ""), body=body, purpose=purpose, recipient_region=region,
                    recipient_zone=zone, prior_consent=args.prior_consent,
                )
                asked.append((offset, request, ""))
            requests = [r for _, r, _ in asked if r is not None]
            answers = iter(engine.decide_many(requests, sender, args.at,
                                           known_at=args.known_at).decisions)
            for offset, wanted, problem in asked:
                decision = next(answers) if wanted is not None else None
                if decision is not None and "number.invalid" in decision.codes:
                    # The engine keeps no number in its reason; say what to fix, masked.
                    problem = _number_problem(block.rows[offset].get(column, ""), column)
                planned = _planned(decision, shared) if decision is not None else None
                lines.append((len(lines), planned, problem, block.lines[offset]))
            if progress and len(lines) >= _PROGRESS_EVERY:
                sys.stderr.write(f"\rdecided {len(lines):,} rows…")
                sys.stderr.flush()
    if progress and len(lines) >= _PROGRESS_EVERY:
        sys.stderr.write("\r\033[K")
    defaulted = _defaulted(lines, rates, sender.route) if rates is not None else ()
    if args.json:
        _plan_json(lines, args.at, args.known_at, defaulted)
    elif args.csv:
        _plan_csv(lines)
        if defaulted:  # stdout is the CSV: the note goes beside it, as estimate --csv
            print(f"smskit: default: {default_note(defaulted)}", file=sys.stderr)
    else:
        _plan_text(lines, args.at, source.label, source.place, args.known_at)
        if defaulted:
            print(f"\nDefault: {default_note(defaulted)}")
        _print_unchecked(args)
    return EXIT_OK


def _defaulted(lines: list[_Line], rates: RateCard, route: Route) -> tuple[str, ...]:
    """The countries of the rows sent now or later (those in the cost) that the card
    prices only by its "*" rate (a card that forgot Canada priced Toronto at it without
    a word), as estimate names them."""
    from ..numbers import region_of
    from ..pricing.campaign import priced_by_default

    countries = {region_of(d.recipient) for _, d, _, _ in lines
                 if d is not None and d.cost is not None and d.verdict != "block"
                 and d.recipient}
    return tuple(sorted(c for c in countries if priced_by_default(rates, c, route)))


def _number_problem(cell: str, column: str) -> str:
    """Why ``cell`` is no number to text, as ``estimate`` says it (a spreadsheet's
    ".0", an extension, too short...), the number masked by the parser's message."""
    from ..errors import InvalidPhoneNumber
    from ..numbers.parse import parse_number

    try:
        parse_number(cell)
    except InvalidPhoneNumber as exc:
        return f"column {column!r}: {exc}"
    return ""


def _named_column(campaign: _Campaign, asked: str | None) -> str | None:
    return None if asked is None else _number_column(campaign, asked)


def _shown_cell(cell: str) -> str:
    """A state or zone cell quoted for an invalid row's reason: its first 40
    characters, control and format characters escaped once (by repr), and every
    digit but the last two hidden, since a shifted row or a state column named as
    the number column holds a recipient's number."""
    head = cell[:40]
    hidden = set([i for i, c in enumerate(head) if c.isdigit()][:-2])
    return repr("".join("*" if i in hidden else c for i, c in enumerate(head)))


def _row_state(row: dict[str, str], column: str | None) -> str | None:
    """The row's state column read by :func:`read_region` ("FL", "fl", "Florida" and
    "US-FL" are "US-FL"), None where the cell is empty (the area code decides)."""
    cell = row.get(column, "").strip() if column is not None else ""
    if not cell:
        return None
    return read_region(cell, f"column {column!r} holds", state_column=True)


def read_region(text: str, where: str, *, state_column: bool = False) -> str:
    """Where the recipient lives, as ``check --region`` and ``plan --state-column`` both
    read it: a US state, territory or Canadian province as people write it ("FL",
    "Florida", "Puerto Rico", "Fla.", "US-FL", "Québec"), or a country's ISO 3166-1 code
    ("MX"); the code the engine takes as ``recipient_region``, or a :class:`UsageError`
    worded the same for both. ``where`` names the option or the cell.

    A two-letter code that is both a country's and a state's ("CA", "GA", "NL") is the
    state in a state column (what the column holds), and stays the bare code for
    ``--region``, which the engine reads both ways on a +1 number (Georgia and Gabon:
    both must allow)."""
    from ..errors import JurisdictionError
    from ..numbers._nanp import pointed_form, state_code
    from ..timing.quiet_hours import validate_region

    cell = text.strip()
    if not cell:
        raise UsageError(f"{where} is empty: give a US state or Canadian province (FL, "
                         "Florida, US-FL) or a country's ISO 3166-1 code (MX), or leave it out")
    state = state_code(cell)
    try:
        code: str | None = validate_region(cell)
    except JurisdictionError:
        code = None
    if state is not None and (code is None or state_column):
        return state
    if code is not None:
        return code
    shown = _shown_cell(cell)
    pointed = pointed_form(cell)
    if pointed is not None:
        meant = state_code(pointed)
        raise UsageError(
            f"{where} {shown}: read as a state or province only with its point, "
            f"{pointed!r} ({meant}), since without it it is also a word, a name or a place; "
            f"write {pointed!r} or {str(meant)[3:]}"
        )
    country, dash, _ = cell.upper().partition("-")
    hint = {"UK": "; did you mean 'GB'?", "EL": "; did you mean 'GR'?"}.get(cell.upper(), "")
    if dash and country not in ("US", "CA"):
        try:
            validate_region(country)
            hint = f"; states are known for the US and Canada only: give the country, {country!r}"
        except JurisdictionError:
            pass
    raise UsageError(
        f"{where} {shown}: not a US state or Canadian province, nor a country's ISO 3166-1 "
        "code (write FL, ON, Florida, US-FL, a traditional abbreviation with its point "
        f"such as Fla. or Man., or a country such as MX){hint}"
    )


def _row_zone(row: dict[str, str], column: str | None) -> str | None:
    from ..timing.quiet_rules import load_recipient_zone, load_zone

    cell = row.get(column, "").strip() if column is not None else ""
    if not cell:
        return None
    try:
        load_zone(cell, field_name=str(column))
    except ConfigurationError:
        raise UsageError(
            f"column {column!r} holds {_shown_cell(cell)}: not an IANA time zone "
            "(write America/New_York)"
        ) from None
    try:  # "EST": a zone, but a fixed offset that is an hour off all summer
        load_recipient_zone(cell, field_name=f"column {column!r}")
    except ConfigurationError as exc:
        raise UsageError(str(exc)) from None
    return cell


@dataclass(frozen=True, slots=True)
class _Planned:
    """What a plan reports of one row's Decision (the Decision itself is not kept)."""

    verdict: str  # a Verdict's value
    not_before: datetime | None
    blocking: tuple[str, ...]  # the codes of the findings that block, sorted
    codes: tuple[str, ...]  # every finding's code, sorted, once each
    reason: str
    segments: int
    cost: Decimal | None
    currency: str | None
    recipient: str | None  # E.164 (masked when printed)


def _planned(decision: Decision, shared: dict[Any, Any]) -> _Planned:
    """The row's slim record; equal code tuples and reasons are one object in ``shared``."""
    blocking = tuple(sorted({f.code for f in decision.findings if f.severity.value == "block"}))
    codes = tuple(sorted({f.code for f in decision.findings}))
    return _Planned(
        decision.verdict.value, decision.not_before, shared.setdefault(blocking, blocking),
        shared.setdefault(codes, codes), shared.setdefault(decision.reason, decision.reason),
        decision.segments, decision.cost, decision.currency, decision.recipient,
    )


#: (row index, the row's decision or None when invalid, why it is invalid, file line)
_Line = tuple[int, _Planned | None, str, int]


def _verdict(line: _Line) -> str:
    return "invalid" if line[1] is None else line[1].verdict


def _plan_text(lines: list[_Line], at: datetime, label: str, place: str,
               known_at: datetime | None = None) -> None:
    counts = Counter(_verdict(line) for line in lines)
    print(f"Plan for {printable(label)} at {at.isoformat()}: {plural(len(lines), 'row')}")
    if known_at is not None:
        print(f"  known at   {known_at.isoformat()}: ledger events recorded later left out")
    print(f"  send now   {counts['allow']:,}")
    deferred = [d.not_before for _, d, _, _ in lines if d is not None and d.not_before]
    if deferred:
        print(f"  deferred   {counts['defer']:,} (until {min(deferred).isoformat()} at the "
              f"earliest, {max(deferred).isoformat()} at the latest)")
        by_time = Counter(t.isoformat() for t in deferred)
        times = sorted(by_time.items())
        for when, count in times[:10]:
            print(f"             {count:,} until {when}")
        if len(times) > 10:  # say what is left out, so the counts add up
            rest = sum(count for _, count in times[10:])
            print(f"             and {plural(len(times) - 10, 'more time', 'more times')} "
                  f"({plural(rest, 'row')})")
    else:
        print(f"  deferred   {counts['defer']:,}")
    print(f"  blocked    {counts['block']:,}")
    reasons = Counter(
        code for _, d, _, _ in lines if d is not None and d.verdict == "block"
        for code in d.blocking
    )
    for code, count in reasons.most_common():
        print(f"             {count:,} {code}")
    if counts["invalid"]:
        print(f"  invalid    {counts['invalid']:,} (the template cannot be filled, or a state or "
              "zone cell is unreadable; see --csv)")
    costs = [(d.verdict, d.cost, d.currency or "") for _, d, _, _ in lines
             if d is not None and d.cost is not None]
    if costs:
        # One sum per currency: a card may price a country in its own (CA in CAD), and
        # adding CAD to USD made a wrong total.
        sums = {currency: Decimal(0) for _, _, currency in costs}
        for verdict, cost, currency in costs:
            if verdict != "block":
                sums[currency] += cost
        sent = [(total, currency) for currency, total in sums.items()
                if total or currency == costs[0][2]]
        shown = " + ".join(f"{total} {currency}".rstrip() for total, currency in sent)
        print(f"  cost       {shown} for the rows sent now or later")
    unpriced = sum(1 for _, d, _, _ in lines
                   if d is not None and d.verdict != "block" and "cost.unpriced" in d.codes)
    if unpriced:  # silently left out, the cost read as the campaign's
        print(f"  unpriced   {plural(unpriced, 'row')} sent now or later with no price in the "
              "rate card (cost.unpriced), not in the cost")
    repeated = _repeated(lines)
    if repeated:
        shown = ", ".join(str(n) for n in repeated[:10])
        more = f" and {len(repeated) - 10:,} more" if len(repeated) > 10 else ""
        print(f"  repeated   {plural(len(repeated), 'row sends', 'rows send')} to a number an "
              f"earlier row sends to ({place if len(repeated) == 1 else place + 's'} "
              f"{shown}{more})")


def _repeated(lines: list[_Line]) -> list[int]:
    """File lines of the rows sent (now or later) to a number an earlier such row has:
    a CRM export lists a household's shared number once per lead."""
    seen: set[str] = set()
    repeated = []
    for _, decision, _, source_line in lines:
        if decision is None or decision.verdict == "block" or not decision.recipient:
            continue
        if decision.recipient in seen:
            repeated.append(source_line)
        seen.add(decision.recipient)
    return repeated


def _plan_row(line: _Line) -> dict[str, object]:
    from ..numbers.parse import mask_number

    index, decision, problem, source_line = line
    return {
        "row": index + 1,
        "line": source_line,
        "verdict": _verdict(line),
        "recipient": mask_number(decision.recipient) if decision and decision.recipient else "",
        "not_before": decision.not_before.isoformat() if decision and decision.not_before
        else None,
        "codes": list(decision.codes) if decision else [],
        "reason": (f"{decision.reason}; {problem}" if problem else decision.reason)
        if decision else problem,
        "segments": decision.segments if decision else None,
        "cost": str(decision.cost) if decision and decision.cost is not None else None,
        # A card may price a country in its own currency: an amount names its own.
        "currency": decision.currency if decision and decision.cost is not None else None,
    }


def _plan_json(lines: list[_Line], at: datetime, known_at: datetime | None = None,
               defaulted: tuple[str, ...] = ()) -> None:
    groups: dict[str, list[dict[str, object]]] = {}
    for line in lines:
        groups.setdefault(_verdict(line), []).append(_plan_row(line))
    print_json({
        "at": at.isoformat(),
        "known_at": None if known_at is None else known_at.isoformat(),
        "rows": len(lines),
        "by_verdict": {k: len(v) for k, v in sorted(groups.items())},
        "by_code": dict(sorted(Counter(
            c for line in lines for c in _plan_row(line)["codes"]  # type: ignore[attr-defined]
        ).items())),
        "groups": groups,
        # Countries priced at the card's "*" rate, having no price of their own.
        "priced_by_default": list(defaulted),
    })


def _plan_csv(lines: list[_Line]) -> None:
    fields = ["row", "line", "verdict", "recipient", "not_before", "codes", "reason",
              "segments", "cost", "currency"]
    writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for line in lines:
        row = _plan_row(line)
        row["codes"] = " ".join(row["codes"])  # type: ignore[arg-type]
        row["reason"] = _safe(str(row["reason"]))
        writer.writerow(row)
