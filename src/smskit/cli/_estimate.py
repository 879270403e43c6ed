"""``smskit estimate``: price a campaign CSV with a template and a rate card."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from ..errors import InvalidPhoneNumber, RateCardError, RecipientError, TemplateError
from ..pricing.campaign import Direction, Estimate, MessageKind, RateCard, estimate
from ..pricing.templates import IssueKind, RowIssue, Template
from ..routes import Route
from ._common import UsageError, check_region, plural, printable, read_template
from ._numbers import country_resolver

__all__ = ["add_parser", "run"]

_NUMBER_COLUMNS = ("number", "phone", "phone_number", "mobile", "msisdn", "to", "recipient")
_PROGRESS_MIN_ROWS = 5000
_SHOWN_ISSUES = 10
_SHOWN_SKIPPED = 20


def add_parser(commands: Any) -> None:
    """Register the ``estimate`` subcommand on the subparsers object ``commands``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "estimate",
        help="price a campaign: recipients CSV × template × rate card",
        description="Render TEMPLATE for every recipient of CAMPAIGN.csv (a column with "
        "the number, one column per template field), count the segments and price "
        "them with the rate card. Prints the totals, the breakdown by encoding and "
        "country, the costliest rows and the rows to fix.",
    )
    parser.add_argument("campaign", metavar="CAMPAIGN.csv", help="recipients CSV, or - for stdin")
    template = parser.add_mutually_exclusive_group(required=True)
    template.add_argument(
        "--template", metavar="FILE", help="template file, or - to read it from stdin"
    )
    template.add_argument(
        "--template-text", metavar="TEXT", help="the template text itself, e.g. 'Hi {name}'"
    )
    parser.add_argument(
        "--rates", required=True, metavar="RATES.toml", help="rate card (.toml or .json)"
    )
    parser.add_argument(
        "--smart", action="store_true", help="price after smart encoding (look-alikes replaced)"
    )
    parser.add_argument(
        "--route",
        choices=[r.value for r in Route],
        default=Route.TEN_DLC.value,
        help="sending number type (default: 10dlc)",
    )
    parser.add_argument(
        "--direction",
        choices=[d.value for d in Direction],
        default=Direction.OUTBOUND.value,
        help="default: outbound",
    )
    parser.add_argument("--mms", action="store_true", help="price as MMS (per message)")
    parser.add_argument("--bundle", metavar="NAME", help="use a prepaid bundle of the card")
    parser.add_argument(
        "--number-column",
        metavar="NAME",
        help=f"column holding the number (default: first of {', '.join(_NUMBER_COLUMNS)})",
    )
    parser.add_argument(
        "--region", default="US", help="region of numbers written without +country code"
    )
    parser.add_argument(
        "--skip-landlines",
        action="store_true",
        help="leave out numbers whose line type is fixed-line (they cannot receive SMS) "
        "instead of pricing them in a separate line",
    )
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="leave out rows with a bad number or missing value (listed on stderr) "
        "instead of stopping at the first",
    )
    parser.add_argument(
        "--top", type=_row_count, default=10, metavar="N", help="costliest rows shown"
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON for scripts")
    output.add_argument("--csv", action="store_true", help="print one CSV row per message")
    parser.set_defaults(handler=run)


def _row_count(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        count = -1
    if count < 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number >= 0")
    return count


@dataclass(frozen=True, slots=True)
class _Campaign:
    label: str
    columns: tuple[str, ...]
    rows: list[dict[str, str]]
    lines: list[int]  # physical line where each row starts


def run(args: argparse.Namespace) -> int:
    """Run ``smskit estimate``; return the exit code."""
    try:
        card = RateCard.load(args.rates)
    except RateCardError as exc:
        raise UsageError(f"{args.rates}: {exc}") from None
    region = check_region(args.region)
    if args.template == "-" and args.campaign == "-":
        raise UsageError("the campaign and the template cannot both be read from stdin")
    source, template_label = read_template(args.template, args.template_text)
    try:
        template = Template(source)
    except TemplateError as exc:
        raise UsageError(f"template {printable(template_label)}: {exc}") from None
    campaign = _read_campaign(args.campaign)
    number_column = _number_column(campaign, args.number_column)
    _check_fields(template, campaign)
    show_progress = _show_progress(campaign)
    if show_progress:
        sys.stderr.write(f"\rparsing {len(campaign.rows):,} phone numbers…")
        sys.stderr.flush()
    country_of, is_landline, _ = country_resolver(
        (row.get(number_column) or "" for row in campaign.rows), region
    )
    landlines = _landline_rows(campaign, number_column, is_landline)
    landline_lines = tuple(campaign.lines[row] for row in sorted(landlines))
    if args.skip_landlines:
        campaign, landlines = _without(campaign, set(landlines)), set()
    progress = _progress_bar(len(campaign.rows)) if show_progress else None
    try:
        result = estimate(
            template,
            rates=card,
            recipients=campaign.rows,
            number_field=number_column,
            route=args.route,
            direction=args.direction,
            kind=MessageKind.MMS if args.mms else MessageKind.SMS,
            smart=args.smart,
            bundle=args.bundle,
            country_of=country_of,
            skip_invalid=args.skip_invalid,
            progress=progress,
        )
    except RecipientError as exc:
        raise UsageError(_where(campaign, exc.row, exc.column) + exc.reason) from None
    finally:
        if progress is not None:
            sys.stderr.write("\r\033[K")
    for problem in result.skipped[:_SHOWN_SKIPPED]:
        print(
            "smskit: skipped "
            + printable(_where(campaign, problem.row, problem.column) + problem.message),
            file=sys.stderr,
        )
    if len(result.skipped) > _SHOWN_SKIPPED:
        print(f"smskit: skipped {len(result.skipped) - _SHOWN_SKIPPED} more rows", file=sys.stderr)
    issues = _issues(result) if not args.mms else []
    lines = _Landlines(
        lines=landline_lines,
        skipped=args.skip_landlines,
        cost=None
        if args.skip_landlines
        else sum((i.cost for i in result.items if i.row in landlines), Decimal(0)),
    )
    if args.json:
        _print_json(campaign, template_label, card, result, issues, args.top, lines)
    elif args.csv:
        _print_csv(campaign, result, issues, landlines)
    else:
        _print_text(campaign, template_label, card, result, issues, args.top, lines)
    return 0


@dataclass(frozen=True, slots=True)
class _Landlines:
    lines: tuple[int, ...]  # physical CSV lines of the fixed-line numbers
    skipped: bool
    cost: Decimal | None  # what they were priced at (None when skipped)


def _landline_rows(
    campaign: _Campaign, number_column: str, is_landline: Callable[[str], bool]
) -> set[int]:
    """Rows whose number is valid and fixed-line; invalid ones are left to the estimate."""
    found = set()
    for index, row in enumerate(campaign.rows):
        try:
            if is_landline(row.get(number_column) or ""):
                found.add(index)
        except InvalidPhoneNumber:
            continue
    return found


def _without(campaign: _Campaign, rows: set[int]) -> _Campaign:
    kept = [i for i in range(len(campaign.rows)) if i not in rows]
    return _Campaign(
        campaign.label,
        campaign.columns,
        [campaign.rows[i] for i in kept],
        [campaign.lines[i] for i in kept],
    )


def _where(campaign: _Campaign, row: int, column: str | None) -> str:
    where = f"{campaign.label} line {campaign.lines[row]}"
    return where + (f", column {column!r}: " if column else ": ")


def _read_campaign(argument: str) -> _Campaign:
    label = "<stdin>" if argument == "-" else argument
    try:
        handle: TextIO = (
            io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")
            if argument == "-"
            else Path(argument).open(encoding="utf-8-sig", newline="")  # noqa: SIM115
        )
    except FileNotFoundError:
        raise UsageError(f"{label}: no such file") from None
    with handle:
        reader = csv.reader(handle)
        rows: list[dict[str, str]] = []
        lines: list[int] = []
        try:
            header = next(reader, None)
            if not header:
                raise UsageError(f"{label}: empty file; the first line must name the columns")
            columns = tuple(name.strip() for name in header)
            # Unnamed columns (a spreadsheet's trailing commas) cannot be used anyway.
            repeated = sorted({name for name in columns if name and columns.count(name) > 1})
            if repeated:
                raise UsageError(f"{label} line 1: column {repeated[0]!r} appears twice")
            width = len(columns)
            start = reader.line_num + 1
            for record in reader:
                if not record:  # a blank line
                    start = reader.line_num + 1
                    continue
                if len(record) > width:
                    raise UsageError(
                        f"{label} line {start}: {len(record)} fields but the header has {width}"
                    )
                rows.append(dict(zip(columns, record, strict=False)))
                lines.append(start)
                start = reader.line_num + 1
        except csv.Error as exc:
            raise UsageError(f"{label} line {reader.line_num}: {exc}") from None
        except UnicodeDecodeError:
            raise UsageError(f"{label}: not UTF-8 text; save the CSV as UTF-8") from None
    return _Campaign(label, columns, rows, lines)


def _number_column(campaign: _Campaign, asked: str | None) -> str:
    if asked is not None:
        if asked not in campaign.columns:
            raise UsageError(
                f"{campaign.label}: no column {asked!r} (columns: {', '.join(campaign.columns)})"
            )
        return asked
    lowered = {name.lower(): name for name in campaign.columns}
    for candidate in _NUMBER_COLUMNS:
        if candidate in lowered:
            return lowered[candidate]
    raise UsageError(
        f"{campaign.label}: no phone number column (looked for {', '.join(_NUMBER_COLUMNS)}; "
        f"columns: {', '.join(campaign.columns)}); name it with --number-column"
    )


def _check_fields(template: Template, campaign: _Campaign) -> None:
    for placeholder in template.placeholders:
        if placeholder.default is None and placeholder.name not in campaign.columns:
            raise UsageError(
                f"template field {placeholder.name!r} is not a column of {campaign.label} "
                f"(columns: {', '.join(campaign.columns)}); add the column or a default "
                f"with {{{placeholder.name}|...}}"
            )


def _show_progress(campaign: _Campaign) -> bool:
    return len(campaign.rows) >= _PROGRESS_MIN_ROWS and sys.stderr.isatty()


def _progress_bar(total: int) -> Callable[[int], None]:
    def show(done: int) -> None:
        filled = 30 * done // total
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (30 - filled)}] {100 * done // total:3d}% "
            f"{done:,}/{total:,} rows"
        )
        sys.stderr.flush()

    return show


@dataclass(frozen=True, slots=True)
class _Issue:
    issue: RowIssue
    row: int  # index into the campaign rows
    saving: Decimal


def _issues(result: Estimate) -> list[_Issue]:
    if result.report is None:
        return []
    cost_of = {item.row: item.cost for item in result.items}
    issues = []
    for issue in result.report.issues:
        # SMS cost is linear in segments, so the saving is exact.
        saving = Decimal(0)
        if issue.segments > issue.expected:
            saving = cost_of[issue.row] * (issue.segments - issue.expected) / issue.segments
        issues.append(_Issue(issue, issue.row, saving))
    issues.sort(key=lambda i: (-i.saving, i.row))
    return issues


_SHOWN_PLACES = Decimal("0.0001")


def _money(amount: Decimal | None, currency: str = "") -> str:
    """At least four decimal places (prices are fractions of a cent), never fewer than exact."""
    if amount is None:
        return "varies"
    padded = amount.quantize(_SHOWN_PLACES)
    if padded == amount:
        amount = padded
    return f"{format(amount, 'f')} {currency}".rstrip()


def _issue_text(issue: _Issue, campaign: _Campaign) -> str:
    return f"line {campaign.lines[issue.row]}: {printable(issue.issue.detail)}"


_SHOWN_LANDLINES = 10


def _print_landlines(landlines: _Landlines, currency: str, out: TextIO) -> None:
    shown = ", ".join(map(str, landlines.lines[:_SHOWN_LANDLINES]))
    if len(landlines.lines) > _SHOWN_LANDLINES:
        shown += f" and {len(landlines.lines) - _SHOWN_LANDLINES:,} more"
    count = plural(len(landlines.lines), "fixed-line number")
    print("\nLandlines (a fixed line cannot receive SMS)", file=out)
    if landlines.skipped:
        print(f"  {count} left out: lines {shown}", file=out)
        return
    print(
        f"  {count}, {_money(landlines.cost, currency)} of the total: lines {shown}", file=out
    )
    print("  --skip-landlines leaves them out", file=out)


def _print_text(
    campaign: _Campaign,
    template_label: str,
    card: RateCard,
    result: Estimate,
    issues: list[_Issue],
    top: int,
    landlines: _Landlines,
) -> None:
    out = sys.stdout
    cur = result.currency
    kind = "MMS" if result.kind is MessageKind.MMS else "SMS"
    left_out = f" ({len(landlines.lines):,} left out)" if landlines.skipped else ""
    print(
        f"Campaign   {printable(campaign.label)}: "
        f"{plural(len(campaign.rows), 'recipient')}{left_out}",
        file=out,
    )
    print(f"Template   {printable(template_label)}", file=out)
    print(
        f"Rate card  {printable(card.name or 'rates')} ({cur}), {result.route} {result.direction} "
        f"{kind}" + (f", bundle {result.bundle!r}" if result.bundle else ""),
        file=out,
    )
    print(file=out)
    encodings = ", ".join(f"{line.messages:,} {enc}" for enc, line in result.by_encoding.items())
    if result.encoding is not None:
        encodings = str(result.encoding)
    elif len(result.by_encoding) > 1:
        encodings = f"mixed: {encodings}"
    else:
        encodings = "none (no message priced)"
    part_price = "n/a"
    if result.cost_per_part is not None:
        part_price = _money(result.cost_per_part, cur)
    elif result.messages:
        part_price = "varies by country"
    rows = [
        ("Messages", f"{result.messages:,}"),
        ("Segments", f"{result.segments:,}" if result.kind is MessageKind.SMS else "n/a (MMS)"),
        ("Encoding", encodings),
        (f"Price per {'segment' if kind == 'SMS' else 'message'}", part_price),
        ("Provider price", _money(result.base, cur)),
        ("Carrier fees", _money(result.carrier_fees, cur)),
        ("Total", f"{_money(result.total, cur)}  (≈ {result.rounded_total} {cur})"),
    ]
    if result.bundle:
        rows.append(("Bundles used", f"{result.bundles_needed} × {result.bundle!r}"))
    if result.skipped:
        rows.append(("Skipped rows", f"{len(result.skipped):,} (listed on stderr)"))
    for name, value in rows:
        print(f"  {name:<20}{value}", file=out)
    if landlines.lines:
        _print_landlines(landlines, cur, out)
    _print_breakdown("By encoding", {str(k): v for k, v in result.by_encoding.items()}, out)
    _print_breakdown("By country", dict(result.by_country), out)
    by_row = {i.row: i for i in issues}
    costliest = result.costliest(top)
    if costliest:
        print(f"\nCostliest rows ({cur})", file=out)
        print(f"  {'line':>7}  country  encoding  segments  {'cost':>10}  why", file=out)
        for item in costliest:
            found = by_row.get(item.row)
            why = printable(found.issue.detail) if found else ""
            print(
                f"  {campaign.lines[item.row]:>7}  {item.country:<7}  {item.encoding!s:<8}  "
                f"{item.segments:>8}  {_money(item.cost):>10}  {why}".rstrip(),
                file=out,
            )
    if issues:
        ucs2 = sum(1 for i in issues if i.issue.kind is IssueKind.UCS2)
        longer = len(issues) - ucs2
        saving = sum((i.saving for i in issues), Decimal(0))
        print(
            f"\nRows to fix: {ucs2:,} forced into UCS-2, {longer:,} with extra segments; "
            f"fixing them saves {_money(saving, cur)}",
            file=out,
        )
        for found in issues[:_SHOWN_ISSUES]:
            print(f"  {_issue_text(found, campaign)}", file=out)
        if len(issues) > _SHOWN_ISSUES:
            print(f"  … {len(issues) - _SHOWN_ISSUES:,} more (--json or --csv lists all)", file=out)


def _print_breakdown(title: str, table: Mapping[str, Any], out: TextIO) -> None:
    print(f"\n{title:<16}{'messages':>10}{'segments':>10}{'cost':>14}", file=out)
    for key, line in table.items():
        print(
            f"  {key:<14}{line.messages:>10,}{line.segments:>10,}{_money(line.cost):>14}", file=out
        )


def _print_json(
    campaign: _Campaign,
    template_label: str,
    card: RateCard,
    result: Estimate,
    issues: list[_Issue],
    top: int,
    landlines: _Landlines,
) -> None:
    def line(entry: Any) -> dict[str, object]:
        return {"messages": entry.messages, "segments": entry.segments, "cost": str(entry.cost)}

    data = {
        "campaign": campaign.label,
        "template": template_label,
        "rate_card": card.name,
        "currency": result.currency,
        "route": result.route.value,
        "direction": result.direction.value,
        "kind": result.kind.value,
        "bundle": result.bundle,
        "bundles_needed": result.bundles_needed,
        "recipients": len(campaign.rows),
        "messages": result.messages,
        "segments": result.segments,
        "encoding": result.encoding.value if result.encoding else None,
        "cost_per_part": None if result.cost_per_part is None else str(result.cost_per_part),
        "base": str(result.base),
        "carrier_fees": str(result.carrier_fees),
        "total": str(result.total),
        "rounded_total": str(result.rounded_total),
        "by_encoding": {k.value: line(v) for k, v in result.by_encoding.items()},
        "by_country": {k: line(v) for k, v in result.by_country.items()},
        "costliest": [
            {
                "line": campaign.lines[item.row],
                "country": item.country,
                "encoding": item.encoding.value,
                "segments": item.segments,
                "cost": str(item.cost),
            }
            for item in result.costliest(top)
        ],
        "issues": [
            {
                "line": campaign.lines[i.row],
                "kind": i.issue.kind.value,
                "segments": i.issue.segments,
                "expected": i.issue.expected,
                "fields": list(i.issue.fields),
                "characters": list(i.issue.characters),
                "saving": str(i.saving),
            }
            for i in issues
        ],
        "skipped": [
            {"line": campaign.lines[p.row], "column": p.column, "message": p.message}
            for p in result.skipped
        ],
        "landlines": {
            "lines": list(landlines.lines),
            "skipped": landlines.skipped,
            "cost": None if landlines.cost is None else str(landlines.cost),
        },
    }
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _print_csv(
    campaign: _Campaign, result: Estimate, issues: list[_Issue], landlines: set[int]
) -> None:
    by_row = {i.row: i for i in issues}
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(
        ["line", "country", "encoding", "segments", "cost", "currency", "issue", "landline"]
    )
    for item in result.items:
        found = by_row.get(item.row)
        writer.writerow(
            [
                campaign.lines[item.row],
                item.country,
                item.encoding.value,
                item.segments,
                str(item.cost),
                result.currency,
                found.issue.detail if found else "",
                "yes" if item.row in landlines else "",
            ]
        )
