"""The ``smskit check`` and ``smskit plan`` commands: the compliance engine's answer
for one message, and the dry run of a whole campaign.

Exit codes of ``check``: 0 allowed now, 1 blocked, 3 deferred (``not_before`` printed),
2 a usage or input error. ``plan`` exits 0 (the plan is the answer) or 2.
"""

from __future__ import annotations

import argparse
import csv
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from ..errors import ConfigurationError, TemplateError
from ..findings import Finding
from ..purpose import Purpose
from ._common import (
    EXIT_BLOCKED,
    EXIT_OK,
    UsageError,
    open_ledger,
    open_postgres_history,
    open_postgres_ledger,
    plural,
    print_json,
    printable,
    read_template,
    refuse_address,
    require_history,
)
from ._estimate import _add_aliases, _Campaign, _check_fields, _number_column, load_rates
from ._rows import open_rows

if TYPE_CHECKING:
    from ..consent.sender import SenderProfile
    from ..consent.store import ConsentStore
    from ..policy import CompliancePipeline, Decision, SendRequest
    from ..pricing import RateCard
    from ..timing.caps import SendHistory

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
    check.add_argument("--region", help="recipient ISO 3166-2 code when known, e.g. US-FL")
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
    parser.add_argument("--schema", default="smskit",
                        help="PostgreSQL schema of the smskit tables (default smskit)")
    parser.add_argument("--chain", default="default",
                        help="PostgreSQL ledger chain, e.g. a tenant (default 'default')")


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
                              ("--database", args.database)):
            if given is not None:
                raise UsageError(
                    f"{option} needs --sender: without a sender profile, consent and "
                    "frequency caps are not checked (see examples/sender.toml)"
                )
        sender = SenderProfile()
        policies: tuple[Policy, ...] = (NumberPolicy(), QuietHoursPolicy())
        return CompliancePipeline(policies, rates=rates), sender
    path = Path(args.sender)
    if not path.exists():
        raise UsageError(f"{args.sender}: no such file")
    try:
        sender = SenderProfile.from_toml(path)  # not UTF-8, not TOML: a ConfigurationError
    except ConfigurationError as exc:  # say which of the files given holds the mistake
        raise UsageError(f"{args.sender}: {exc}") from None
    if args.database is not None and args.ledger and args.history:
        raise UsageError("--database reads the ledger and send history not given as files; "
                         "with both --ledger and --history it would read nothing: drop one")
    store: ConsentStore | None = None
    if args.ledger:
        store = stack.enter_context(open_ledger(args.ledger, _DATABASE_HINT))
    elif args.database is not None:
        store = stack.enter_context(
            open_postgres_ledger(args.database, schema=args.schema, chain=args.chain))
    # SQLiteSendHistory creates a missing file: a typo would be an empty history that
    # lets every frequency cap pass, so only an existing file is used (as for the ledger).
    history: SendHistory | None = None
    if args.history:
        refuse_address(args.history, "send history", _DATABASE_HINT)
        if not Path(args.history).is_file():
            raise UsageError(f"{args.history}: no such send history file")
        require_history(args.history)
        history = stack.enter_context(SQLiteSendHistory(args.history))
    elif args.database is not None:
        history = stack.enter_context(open_postgres_history(args.database, schema=args.schema))
    policies = default_policies(store=store, history=history)
    if not has_body:  # nothing to lint or measure
        policies = tuple(p for p in policies if not isinstance(p, ContentPolicy | LengthPolicy))
    if not any(isinstance(p, RegistrationPolicy) for p in policies):
        policies += (RegistrationPolicy(),)
    return CompliancePipeline(policies, rates=rates, history=history), sender


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
        recipient_zone=args.zone, recipient_region=args.region,
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

    if args.template == "-" and args.campaign == "-":
        raise UsageError("the campaign and the template cannot both be read from stdin")
    rates = load_rates(args.rates) if args.rates else None  # before a long read
    source = open_rows(args.campaign, _PROGRESS_EVERY)
    campaign = _Campaign(source.label, source.columns, 0, {}, source.place)
    column = _number_column(campaign, args.number_column)
    template = Template(read_template(args.template, args.template_text)[0])
    # A misspelt field is the file's, not each row's.
    aliases = _check_fields(template, campaign)
    campaign_rows: list[dict[str, str]] = []
    campaign_lines: list[int] = []
    for block in source.read(list(source.columns)):
        _add_aliases(block.rows, aliases)
        campaign_rows += block.rows
        campaign_lines += block.lines
    state_column = _named_column(campaign, args.state_column)
    zone_column = _named_column(campaign, args.zone_column)
    purpose = Purpose(args.purpose)
    rows: list[tuple[int, SendRequest | None, str]] = []  # (row, request, why it is invalid)
    for index, row in enumerate(campaign_rows):
        try:
            body = template.render(row)
            region = _row_state(row, state_column)
            zone = _row_zone(row, zone_column)
        except (TemplateError, UsageError) as exc:
            rows.append((index, None, str(exc)))
            continue
        request = SendRequest(
            row.get(column, ""), body=body, purpose=purpose,
            recipient_region=region, recipient_zone=zone, prior_consent=args.prior_consent,
        )
        rows.append((index, request, ""))
    requests = [r for _, r, _ in rows if r is not None]
    show = len(requests) >= _PROGRESS_EVERY and sys.stderr.isatty()
    progress = _progress_bar(len(requests)) if show else None
    with ExitStack() as stack:
        engine, sender = _engine(args, stack, has_body=True, rates=rates)
        decisions: list[Decision] = []
        for start in range(0, len(requests), _PROGRESS_EVERY):
            chunk = requests[start:start + _PROGRESS_EVERY]
            decisions.extend(engine.decide_many(chunk, sender, args.at,
                                                known_at=args.known_at).decisions)
            if progress is not None:
                progress(len(decisions))
    if progress is not None:
        sys.stderr.write("\n")
    answers = iter(decisions)
    lines: list[_Line] = []
    for index, asked, problem in rows:
        decision = next(answers) if asked is not None else None
        if decision is not None and "number.invalid" in decision.codes:
            # The engine keeps no number in its reason; say what to fix, masked.
            problem = _number_problem(campaign_rows[index].get(column, ""), column)
        lines.append((index, decision, problem, campaign_lines[index]))
    if args.json:
        _plan_json(lines, args.at, args.known_at)
    elif args.csv:
        _plan_csv(lines)
    else:
        _plan_text(lines, args.at, source.label, source.place, args.known_at)
        _print_unchecked(args)
    return EXIT_OK


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
    """The row's state column as ISO 3166-2 ("FL", "fl", "Florida" and "US-FL" are
    "US-FL"), None where the cell is empty (the area code decides)."""
    from ..numbers._nanp import pointed_form, state_code

    cell = row.get(column, "").strip() if column is not None else ""
    if not cell:
        return None
    code = state_code(cell)
    if code is None:
        pointed = pointed_form(cell)
        if pointed is not None:
            meant = state_code(pointed)
            raise UsageError(
                f"column {column!r} holds {_shown_cell(cell)}: read as a state or province "
                f"only with its point, {pointed!r} ({meant}), since without it it is also a "
                f"word, a name or a place; write {pointed!r} or {str(meant)[3:]}"
            )
        raise UsageError(
            f"column {column!r} holds {_shown_cell(cell)}: not a US state or Canadian "
            "province (write FL, ON, Florida, US-FL or a traditional abbreviation with "
            "its point, such as Fla. or Man.)"
        )
    return code


def _row_zone(row: dict[str, str], column: str | None) -> str | None:
    from ..errors import ConfigurationError
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


if TYPE_CHECKING:  # Decision is imported only when a plan is made
    _Line = tuple[int, Decision | None, str, int]


def _progress_bar(total: int) -> Callable[[int], None]:
    def show(done: int) -> None:
        filled = 30 * done // total
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (30 - filled)}] {100 * done // total:3d}% "
            f"{done:,}/{total:,} rows"
        )
        sys.stderr.flush()

    return show


def _verdict(line: _Line) -> str:
    return "invalid" if line[1] is None else line[1].verdict.value


def _plan_text(lines: list[_Line], at: datetime, label: str, place: str,
               known_at: datetime | None = None) -> None:
    from ..policy import Verdict

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
        code for _, d, _, _ in lines if d is not None and d.verdict is Verdict.BLOCK
        for code in {f.code for f in d.findings if f.severity.value == "block"}
    )
    for code, count in reasons.most_common():
        print(f"             {count:,} {code}")
    if counts["invalid"]:
        print(f"  invalid    {counts['invalid']:,} (the template cannot be filled, or a state or "
              "zone cell is unreadable; see --csv)")
    costs = [(d.verdict, d.cost, d.currency) for _, d, _, _ in lines
             if d is not None and d.cost is not None]
    if costs:
        currency = costs[0][2] or ""
        sent = sum((c for v, c, _ in costs if v is not Verdict.BLOCK), Decimal(0))
        print(f"  cost       {sent} {currency} for the rows sent now or later".rstrip())
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
    from ..policy import Verdict

    seen: set[str] = set()
    repeated = []
    for _, decision, _, source_line in lines:
        if decision is None or decision.verdict is Verdict.BLOCK or not decision.recipient:
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
        "codes": sorted({f.code for f in decision.findings}) if decision else [],
        "reason": (f"{decision.reason}; {problem}" if problem else decision.reason)
        if decision else problem,
        "segments": decision.segments if decision else None,
        "cost": str(decision.cost) if decision and decision.cost is not None else None,
    }


def _plan_json(lines: list[_Line], at: datetime, known_at: datetime | None = None) -> None:
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
    })


def _plan_csv(lines: list[_Line]) -> None:
    fields = ["row", "line", "verdict", "recipient", "not_before", "codes", "reason",
              "segments", "cost"]
    writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for line in lines:
        row = _plan_row(line)
        row["codes"] = " ".join(row["codes"])  # type: ignore[arg-type]
        row["reason"] = _safe(str(row["reason"]))
        writer.writerow(row)
