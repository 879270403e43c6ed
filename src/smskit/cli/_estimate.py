"""``smskit estimate``: price a campaign CSV with a template and a rate card."""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import (
    ConfigurationError,
    InvalidPhoneNumber,
    RateCardError,
    RecipientError,
    TemplateError,
)
from ..purpose import Purpose
from ..routes import Route
from ._as_sent import RowSender, Variant
from ._common import (
    UsageError,
    check_region,
    load_sender,
    plural,
    print_json,
    printable,
    read_template,
)
from ._rows import open_rows

if TYPE_CHECKING:
    from ..pricing.campaign import Estimate, MessageCost, MessageKind, RateCard, RowProblem
    from ..pricing.templates import RowIssue, Template
    from ..segments import Encoding

__all__ = ["add_parser", "run"]

# Headers as CRMs and spreadsheets export them ("Phone Number", "Mobile Phone"), compared
# in lower case with spaces and hyphens read as underscores.
_NUMBER_COLUMNS = (
    "number", "phone", "phone_number", "mobile", "mobile_phone", "mobile_number",
    "cell", "cell_phone", "msisdn", "to", "recipient",
)
_PROGRESS_MIN_ROWS = 5000
_TOP = 10  # costliest rows shown when --top is not given
_SHOWN_ISSUES = 10
_SHOWN_SKIPPED = 20
# Rows priced at a time: memory follows this, not the campaign's length. Large enough
# that the per-block work (parsing numbers in parallel, the template report) pays off.
_CHUNK_ROWS = 50_000
# smskit.pricing.Direction's values, written out: importing it loads the pricing
# package, which building the parser must not (a test keeps the two equal).
DIRECTIONS = ("outbound", "inbound")


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
        help="sending number type (default: the --sender profile's route, else 10dlc)",
    )
    parser.add_argument(
        "--sender",
        metavar="sender.toml",
        help="the sender profile (examples/sender.toml): price each text with the prefix "
        "and footer the engine adds to a first message of --purpose, on its route",
    )
    parser.add_argument(
        "--purpose",
        choices=[p.value for p in Purpose],
        help="with --sender: the message type that decides the prefix and footer "
        "(default: marketing)",
    )
    parser.add_argument(
        "--direction",
        choices=DIRECTIONS,
        default="outbound",
        help="default: outbound",
    )
    parser.add_argument("--mms", action="store_true", help="price as MMS (per message)")
    parser.add_argument("--bundle", metavar="NAME", help="use a prepaid bundle of the card")
    parser.add_argument(
        "--number-column",
        metavar="NAME",
        help=f"column holding the number (default: the one of {', '.join(_NUMBER_COLUMNS)})",
    )
    parser.add_argument(
        "--region", default="US", help="region of numbers written without +country code"
    )
    parser.add_argument(
        "--toll-free-country",
        metavar="CC",
        help="country of the recipients of +1 toll-free numbers (800, 833, ... are shared "
        "by the US and Canada); without it they are priced as US, an assumption the "
        "estimate states",
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
        "--top", type=_row_count, metavar="N",
        help=f"costliest rows shown (default {_TOP}; not with --csv, which lists every row)",
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
    recipients: int
    lines: Mapping[int, int]  # where each reported row is in the file, by row index
    place: str  # what lines count: "line" (CSV) or "row" (Parquet)


def _toll_free_country(code: str) -> str:
    """``--toll-free-country`` checked as the library checks it: a region code, and one
    of the +1 countries (only they hold +1 toll-free numbers)."""
    from ..pricing.campaign import toll_free_country_option

    checked = check_region(code, option="--toll-free-country")
    try:
        stated = toll_free_country_option(checked)
    except ConfigurationError:
        raise UsageError(
            f"--toll-free-country {checked!r} is not a +1 country: +1 toll-free numbers "
            "are held in the US, Canada and the other +1 countries; give CA or US"
        ) from None
    assert stated is not None
    return stated


def run(args: argparse.Namespace) -> int:
    """Run ``smskit estimate``; return the exit code."""
    from decimal import localcontext

    from ..pricing.campaign import _MONEY

    # The blocks' totals are summed here, in estimate()'s money context: in the
    # default one (28 digits) a bundle's 1/3 a segment printed a total that was not
    # the library's.
    with localcontext(_MONEY):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from ..pricing.campaign import MessageKind, estimate, toll_free_reading
    from ..pricing.templates import Template
    from ._numbers import country_resolver

    if args.top is not None and args.csv:
        raise UsageError("--top chooses the costliest rows the text and JSON output show; "
                         "--csv prints every row: drop one")
    args.top = _TOP if args.top is None else args.top
    card = load_rates(args.rates)
    region = check_region(args.region)
    toll_free_country = (
        None if args.toll_free_country is None
        else _toll_free_country(args.toll_free_country)
    )
    if args.template == "-" and args.campaign == "-":
        raise UsageError("the campaign and the template cannot both be read from stdin")
    source, template_label = read_template(args.template, args.template_text)
    written = source
    try:
        source, row_sender = _as_sent(source, args)
        template = Template(source)
        as_written = Template(written) if source != written else template
        own = as_written.literal_text
    except TemplateError as exc:
        raise UsageError(f"template {printable(template_label)}: {exc}") from None
    _note_literal_placeholders(own)
    rows = open_rows(args.campaign, _CHUNK_ROWS)
    try:  # a mistake found before the rows are read (a missing column, an
        # unknown --bundle) closes the file it opened
        header = _Campaign(rows.label, rows.columns, 0, {}, rows.place)
        number_column = _number_column(header, args.number_column)
        aliases = _check_fields(template, header)
        kind = MessageKind.MMS if args.mms else MessageKind.SMS
        totals = _Totals(card, args, kind, keep_all=args.json)
        forces = _template_forces(template.literal_text, smart=args.smart)
        # Named where the user finds them: the template, or the prefix and footer of
        # --sender (review rev27u: a footer's 'í' was called the template's).
        totals.template_forces = tuple(c for c in forces if c in own)
        totals.sender_forces = tuple(c for c in forces if c not in own)
        writer = _csv_writer() if args.csv else None
        progress = sys.stderr.isatty()
        # A row whose text is blank has nothing to send: `plan` blocks it (content.empty),
        # so it is counted and left out here, not priced as a segment (fix29k). Only a
        # template with no text of its own can give one; an MMS may carry media alone.
        blank_check = kind is MessageKind.SMS and not as_written.literal_text.strip()
    except BaseException:
        rows.close()
        raise
    try:
        for chunk in rows.read([number_column, *template.fields, *aliases.values()]):
            _add_aliases(chunk.rows, aliases)
            for row in chunk.rows:  # a short line lacks the cell, not the file the column
                row.setdefault(number_column, "")
            # Parsing the numbers is most of the work; do it in parallel per block.
            parsed_country, is_landline, _ = country_resolver(
                (row.get(number_column) or "" for row in chunk.rows), region
            )
            assumed: set[str] = set()

            def country_of(
                number: str,
                parsed: Callable[[str], str] = parsed_country,
                assumed: set[str] = assumed,
            ) -> str:
                country, guessed = toll_free_reading(
                    number, parsed(number), region=region, toll_free_country=toll_free_country
                )
                if guessed:
                    assumed.add(number)
                return country

            block, lines = chunk.rows, chunk.lines
            blank = _blank_rows(as_written, block) if blank_check else []
            if blank:
                totals.note_blank([lines[i] for i in blank])
                kept = sorted(set(range(len(block))) - set(blank))
                block, lines = [block[i] for i in kept], [lines[i] for i in kept]
            fixed = _landline_rows(block, number_column, is_landline)
            totals.note_landlines([lines[i] for i in sorted(fixed)])
            if args.skip_landlines and fixed:
                kept = [i for i in range(len(block)) if i not in fixed]
                block, lines, fixed = [block[i] for i in kept], [lines[i] for i in kept], set()
            def price(
                message: Template, recipients: list[dict[str, str]],
                country_of: Callable[[str], str] = country_of,
            ) -> Estimate:
                return estimate(
                    message,
                    rates=card,
                    recipients=recipients,
                    number_field=number_column,
                    route=args.route,
                    direction=args.direction,
                    kind=kind,
                    smart=args.smart,
                    bundle=args.bundle,
                    country_of=country_of,
                    skip_invalid=args.skip_invalid,
                )

            # With --sender, the rows whose own text names the brand or the opt-out
            # where the template does not (or the other way round) get what the
            # engine gives them; None: every row gets the template's (the fast path).
            variants = row_sender.variants(block) if row_sender is not None else None
            try:
                if variants is None:
                    result = price(template, block)
                else:
                    assert row_sender is not None
                    result = _price_by_variant(price, block, variants, row_sender)
                    totals.judged_by_row += sum(v != row_sender.usual for v in variants)
            except RecipientError as exc:
                where = f"{rows.label} {rows.place} {lines[exc.row]}"
                raise UsageError(
                    printable(where + _column_part(exc.column) + exc.reason)
                ) from None
            if fixed:
                totals.landline_cost += sum(
                    (item.cost for item in result.items if item.row in fixed), Decimal(0)
                )
            if assumed:
                totals.note_toll_free([
                    lines[item.row] for item in result.items
                    if (block[item.row].get(number_column) or "") in assumed
                ])
            issues = _issues(result, totals.recipients) if not args.mms else []
            if writer is not None:
                _print_csv(writer, lines, result, issues, totals.recipients, fixed)
            totals.add(result, issues, lines)
            if progress and totals.recipients >= _PROGRESS_MIN_ROWS:
                sys.stderr.write(f"\rpriced {totals.recipients:,} rows…")
                sys.stderr.flush()
    finally:
        rows.close()  # already closed when every row was read; not when one stopped it
        if progress and totals.recipients >= _PROGRESS_MIN_ROWS:
            sys.stderr.write("\r\033[K")
    campaign = _Campaign(rows.label, rows.columns, totals.recipients, totals.lines, rows.place)
    result = totals.estimate()
    for problem in result.skipped[:_SHOWN_SKIPPED]:
        print(
            "smskit: skipped "
            + printable(_where(campaign, problem.row, problem.column) + problem.message),
            file=sys.stderr,
        )
    if totals.skipped > _SHOWN_SKIPPED:
        print(f"smskit: skipped {totals.skipped - _SHOWN_SKIPPED} more rows", file=sys.stderr)
    landlines = _Landlines(
        lines=tuple(totals.landline_lines),
        count=totals.landlines,
        skipped=args.skip_landlines,
        cost=None if args.skip_landlines else totals.landline_cost,
    )
    if args.json:
        _print_json(
            campaign, template_label, card, result, totals.issues, args.top, landlines,
            (totals.toll_free, totals.toll_free_lines), (totals.blank, totals.blank_lines),
        )
    elif not args.csv:
        _print_text(campaign, template_label, card, result, totals, args.top, landlines)
    elif totals.toll_free:  # the rows stay exact; the assumption goes beside them
        print(f"smskit: assumed: {_toll_free_note(totals, campaign.place)}", file=sys.stderr)
    if args.csv and result.priced_by_default:
        print(f"smskit: default: {_default_note(result)}", file=sys.stderr)
    if args.csv and totals.blank:
        print(f"smskit: not priced: {_blank_note(totals, campaign.place)}", file=sys.stderr)
    return 0


def _note_literal_placeholders(own: str) -> None:
    """Say on stderr when the template's own text holds what reads as a placeholder: a
    CRM's {{contact.first_name}} is escaped braces here, sent as written to everyone,
    and the engine blocks it (content.placeholder); the estimate prices it all the same."""
    from ..content.checks import _placeholders

    found = _placeholders(own)
    if found:
        shown = ", ".join(printable(repr(text)) for text in found[:5])
        # The braces explain only a field written in them ({{x}} read as "{x}"), not
        # another CRM's %first_name% or *|FNAME|*.
        braces = (
            "{{ and }} are literal braces in smskit templates; "
            if any("{" in text for text in found) else ""
        )
        print(
            f"smskit: note: every message carries {shown} as written ({braces}a field is "
            "{name}, e.g. {first_name}); the engine blocks such a message "
            "(content.placeholder)",
            file=sys.stderr,
        )


def _blank_rows(template: Template, rows: Sequence[Mapping[str, str]]) -> list[int]:
    """The rows whose text, as written (before any prefix or footer), is blank."""
    found = []
    for index, row in enumerate(rows):
        try:
            text = template.render(row)
        except TemplateError:
            continue  # the estimate names the row and what is missing
        if not text.strip():  # as content.empty judges it
            found.append(index)
    return found


def _blank_note(totals: _Totals, place: str) -> str:
    shown = ", ".join(map(str, totals.blank_lines[:_SHOWN_LANDLINES]))
    ellipsis = " …" if totals.blank > _SHOWN_LANDLINES else ""
    return (
        f"{plural(totals.blank, 'row')} with a blank text ({place}"
        f"{'s' if totals.blank > 1 else ''} {shown}{ellipsis}): nothing to send, and "
        f"smskit plan blocks {'them' if totals.blank > 1 else 'it'} (content.empty); "
        "fill the field or drop the rows"
    )


def _price_by_variant(
    price: Callable[[Template, list[dict[str, str]]], Estimate],
    block: list[dict[str, str]],
    variants: list[Variant],
    row_sender: RowSender,
) -> Estimate:
    """One block priced as the engine sends each row: the rows of each prefix-and-footer
    variant with that variant's template, put back together in the block's order (rows
    numbered as in ``block``, as one :func:`estimate` of the block numbers them)."""
    groups: dict[Variant, list[int]] = {}
    for index, variant in enumerate(variants):
        groups.setdefault(variant, []).append(index)
    parts: list[tuple[list[int], Estimate]] = []
    errors: list[RecipientError] = []
    for variant, indices in groups.items():
        try:
            parts.append((indices, price(row_sender.template(variant),
                                         [block[i] for i in indices])))
        except RecipientError as exc:  # the first bad row of the block is the one named
            errors.append(RecipientError(exc.reason, row=indices[exc.row], column=exc.column))
    if errors:
        raise min(errors, key=lambda error: error.row)
    items = sorted((replace(item, row=indices[item.row])
                    for indices, part in parts for item in part.items), key=lambda i: i.row)
    skipped = sorted((replace(problem, row=indices[problem.row])
                      for indices, part in parts for problem in part.skipped),
                     key=lambda p: p.row)
    issues = tuple(replace(issue, row=indices[issue.row])
                   for indices, part in parts if part.report is not None
                   for issue in part.report.issues)
    first = parts[0][1]
    # Only what the CLI reads of a block's estimate is put together (items, skipped
    # rows, issues, message count); its totals are summed from the items later.
    return replace(
        first, items=tuple(items), skipped=tuple(skipped),
        messages=sum(part.messages for _, part in parts),
        report=None if first.report is None else replace(first.report, issues=issues),
    )


def _template_forces(literal: str, *, smart: bool) -> tuple[str, ...]:
    """The characters of the template's own text that force UCS-2 in every row, in
    order of appearance; with ``smart``, only those smart encoding cannot replace. The
    rows to fix name values, so a template at fault was named nowhere."""
    from ..segments import segment
    from ..segments.encoding import Encoding, non_gsm_characters

    chars = [c.char for c in non_gsm_characters(literal)]  # any length: no segmenting
    if smart:
        chars = [c for c in chars if segment(c, smart=True).encoding is Encoding.UCS2]
    return tuple(chars)


def _as_sent(source: str, args: argparse.Namespace) -> tuple[str, RowSender | None]:
    """The template as the engine sends it from ``--sender``, and ``args.route`` settled.

    The engine adds the profile's prefix and footer to a first message of the purpose
    where they are required and missing (``prepare_body``); priced as written, a text
    that fit one segment went out in two. Every row is priced as a first message: a
    later one gets the same or less (``Requirement.applies``). The check for a prefix or
    footer already there reads the template, not each rendered row.
    """
    from dataclasses import replace as replaced

    from ..policy.pipeline import add_sender_text
    from ..pricing.templates import Template, escape_template

    if args.sender is None:
        if args.purpose is not None:
            raise UsageError(
                "--purpose needs --sender: without a sender profile no prefix or footer "
                "is added, whatever the purpose"
            )
        args.route = args.route or Route.TEN_DLC.value
        return source, None
    sender = load_sender(args.sender)
    if args.route is not None and args.route != sender.route.value:
        raise UsageError(
            f"--route {args.route} but {args.sender} sends on {sender.route.value}: "
            "leave --route out to price on the profile's route"
        )
    args.route = sender.route.value
    args.purpose = args.purpose or Purpose.MARKETING.value
    # The prefix and footer become template text: their braces are literal.
    escaped = replaced(
        sender,
        prefix=escape_template(sender.prefix) if sender.prefix else sender.prefix,
        footer=escape_template(sender.footer) if sender.footer else sender.footer,
    )
    # The template's text decides for every row unless a row's own text, as sent,
    # names the brand or the opt-out otherwise (RowSender finds those rows).
    row_sender = RowSender(Template(source), sender, Purpose(args.purpose), escaped)
    prefix, footer = row_sender.usual
    return add_sender_text(source, escaped, prefix=prefix, footer=footer), row_sender


def load_rates(path: str) -> RateCard:
    """The rate card at ``path``; a missing file or a mistake in it is a usage error."""
    from ..pricing.campaign import RateCard

    # Named once, not as the OSError's text after the path.
    if not Path(path).exists():
        raise UsageError(f"{path}: no such rate card file")
    if Path(path).is_dir():
        raise UsageError(f"{path}: is a directory, not a rate card")
    try:
        return RateCard.load(path)
    except RateCardError as exc:
        raise UsageError(f"{path}: {exc}") from None


def _column_part(column: str | None) -> str:
    return f", column {column!r}: " if column else ": "


@dataclass(frozen=True, slots=True)
class _Landlines:
    lines: tuple[int, ...]  # file lines of the fixed-line numbers (the first few, or all for JSON)
    count: int
    skipped: bool
    cost: Decimal | None  # what they were priced at (None when skipped)


def _landline_rows(
    rows: Sequence[Mapping[str, str]], number_column: str, is_landline: Callable[[str], bool]
) -> set[int]:
    """Rows whose number is valid and fixed-line; invalid ones are left to the estimate."""
    found = set()
    for index, row in enumerate(rows):
        try:
            if is_landline(row.get(number_column) or ""):
                found.add(index)
        except InvalidPhoneNumber:
            continue
    return found


def _where(campaign: _Campaign, row: int, column: str | None) -> str:
    return f"{campaign.label} {campaign.place} {campaign.lines[row]}" + _column_part(column)


class _Totals:
    """An estimate added up block by block, keeping only what is reported.

    Memory stays bounded by the report, not the campaign: the costliest ``--top`` rows,
    the ``_SHOWN_ISSUES`` rows to fix with the largest savings (all of them for JSON,
    which lists them) and the first ``_SHOWN_SKIPPED`` skipped rows (likewise).
    """

    def __init__(
        self, card: RateCard, args: argparse.Namespace, kind: MessageKind, *, keep_all: bool
    ) -> None:
        from ..pricing.campaign import Direction, _Pricer

        self.card, self.kind, self.keep_all, self.top = card, kind, keep_all, args.top
        self.sender: str | None = args.sender  # the profile whose prefix and footer count
        self.template_forces: tuple[str, ...] = ()  # the template's own non-GSM characters
        self.sender_forces: tuple[str, ...] = ()  # those the sender's prefix or footer adds
        self.purpose: str | None = args.purpose
        self.judged_by_row = 0  # rows whose own text decided their prefix and footer
        self.route, self.direction = Route(args.route), Direction(args.direction)
        self.pricer = _Pricer(card, self.route, self.direction, kind, args.bundle)
        self.recipients = self.skipped = 0
        # Messages by (country, encoding, parts): bounded by the card, not the campaign,
        # and priced once at the end exactly as one pass prices them.
        self.groups: Counter[tuple[str, Encoding, int]] = Counter()
        self.currencies: set[str] = set()
        self.items: list[MessageCost] = []
        self.skipped_rows: list[RowProblem] = []
        self.issues: list[_Issue] = []
        self.ucs2 = self.longer = 0
        self.saving = Decimal(0)
        self.lines: dict[int, int] = {}
        self.why: dict[int, str] = {}  # the issue of each costliest row that has one
        self.landlines = 0
        self.landline_lines: list[int] = []  # the first few (all of them for JSON)
        self.landline_cost = Decimal(0)
        self.toll_free = 0  # +1 toll-free numbers priced as US by assumption
        self.toll_free_lines: list[int] = []  # the first few (all of them for JSON)
        self.blank = 0  # rows whose text is blank: left out, never priced
        self.blank_lines: list[int] = []  # the first few (all of them for JSON)

    def note_blank(self, lines: list[int]) -> None:
        self.blank += len(lines)
        room = len(lines) if self.keep_all else _SHOWN_LANDLINES - len(self.blank_lines)
        self.blank_lines += lines[: max(room, 0)]

    def note_toll_free(self, lines: list[int]) -> None:
        self.toll_free += len(lines)
        room = len(lines) if self.keep_all else _SHOWN_LANDLINES - len(self.toll_free_lines)
        self.toll_free_lines += lines[: max(room, 0)]

    def note_landlines(self, lines: list[int]) -> None:
        self.landlines += len(lines)
        room = len(lines) if self.keep_all else _SHOWN_LANDLINES - len(self.landline_lines)
        self.landline_lines += lines[: max(room, 0)]

    def add(self, result: Estimate, issues: list[_Issue], lines: list[int]) -> None:
        from ..pricing.campaign import MessageKind
        from ..pricing.templates import IssueKind

        offset = self.recipients
        self.recipients += len(lines)
        if result.messages:
            self.currencies.add(result.currency)
            if len(self.currencies) > 1:
                raise UsageError(
                    "mixed currencies in one estimate: "
                    f"{', '.join(sorted(self.currencies))}; estimate them separately"
                )
        sms = self.kind is MessageKind.SMS
        self.groups.update(
            (item.country, item.encoding, item.segments if sms else 1) for item in result.items
        )
        shifted = [replace(item, row=item.row + offset) for item in result.costliest(self.top)]
        self.items = sorted([*self.items, *shifted], key=lambda i: (-i.cost, i.row))[: self.top]
        self.skipped += len(result.skipped)
        keep = len(result.skipped) if self.keep_all else _SHOWN_SKIPPED - len(self.skipped_rows)
        self.skipped_rows += [
            replace(p, row=p.row + offset) for p in result.skipped[: max(keep, 0)]
        ]
        for found in issues:  # their rows are already global (see _issues)
            if found.issue.kind is IssueKind.UCS2:
                self.ucs2 += 1
            else:
                self.longer += 1
            self.saving += found.saving
        self.issues = sorted([*self.issues, *issues], key=lambda i: (-i.saving, i.row))
        if not self.keep_all:
            self.issues = self.issues[:_SHOWN_ISSUES]
        detail = {found.row: found.issue.detail for found in issues}
        for item in shifted:
            if item.row in detail:
                self.why[item.row] = detail[item.row]
        kept = {
            *(i.row for i in self.items),
            *(p.row for p in self.skipped_rows),
            *(i.row for i in self.issues),
        }
        for row in kept - self.lines.keys():
            self.lines[row] = lines[row - offset]
        # Forget rows no longer reported: memory follows the report, not the campaign.
        self.lines = {row: line for row, line in self.lines.items() if row in kept}
        self.why = {row: why for row, why in self.why.items() if row in kept}

    def estimate(self) -> Estimate:
        """The totals as one :class:`Estimate` (``items``: the costliest rows only)."""
        return self.pricer.summarize(
            self.groups, tuple(self.items), tuple(self.skipped_rows), None
        )


def _header_key(name: str) -> str:
    """A column or field name as compared: CRMs export "First Name", "Mobile-Phone"."""
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def _by_key(columns: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in columns:  # the first of two that read the same is taken
        found.setdefault(_header_key(name), name)
    return found


def _number_column(campaign: _Campaign, asked: str | None) -> str:
    normalised = _by_key(campaign.columns)
    if asked is not None:
        if asked in campaign.columns:
            return asked
        if _header_key(asked) in normalised:
            return normalised[_header_key(asked)]
        raise UsageError(
            f"{campaign.label}: no column {asked!r} (columns: {', '.join(campaign.columns)})"
        )
    found = [normalised[c] for c in _NUMBER_COLUMNS if c in normalised]
    if len(found) > 1:
        # A CRM exports "Phone" (often the home or office line) beside "Mobile Phone":
        # taking the first by name planned and priced texts to the line that cannot
        # take them. Which one holds the number to text is the user's to say.
        raise UsageError(
            f"{campaign.label}: columns {', '.join(map(repr, found))} could each hold the "
            "number to text; name the one to use with --number-column (a home or office "
            "phone cannot receive texts)"
        )
    if found:
        return found[0]
    raise UsageError(
        f"{campaign.label}: no phone number column (looked for {', '.join(_NUMBER_COLUMNS)}; "
        f"columns: {', '.join(campaign.columns)}); name it with --number-column"
    )


def _check_fields(template: Template, campaign: _Campaign) -> dict[str, str]:
    """The columns the template's fields name only by :func:`_header_key`, by field.

    A field cannot hold a space, so ``{first_name}`` reads the column "First Name".
    """
    normalised = _by_key(campaign.columns)
    aliases: dict[str, str] = {}
    for placeholder in template.placeholders:
        name = placeholder.name
        if name in campaign.columns:
            continue
        if _header_key(name) in normalised:
            aliases[name] = normalised[_header_key(name)]
        elif placeholder.default is None:
            raise UsageError(
                f"template field {name!r} is not a column of {campaign.label} "
                f"(columns: {', '.join(campaign.columns)}); add the column or a default "
                f"with {{{name}|...}}"
            )
    return aliases


def _add_aliases(rows: Sequence[dict[str, str]], aliases: Mapping[str, str]) -> None:
    """Give each row the values of its aliased columns under the fields' names."""
    for row in rows:
        for field, column in aliases.items():
            if column in row:
                row[field] = row[column]


@dataclass(frozen=True, slots=True)
class _Issue:
    issue: RowIssue
    row: int  # index of the row in the campaign
    saving: Decimal


def _issues(result: Estimate, offset: int) -> list[_Issue]:
    """The rows to fix of one block, with the savings; rows numbered from ``offset``."""
    if result.report is None:
        return []
    cost_of = {item.row: item.cost for item in result.items}
    issues = []
    for issue in result.report.issues:
        # SMS cost is linear in segments, so the saving is exact.
        saving = Decimal(0)
        if issue.segments > issue.expected:
            saving = cost_of[issue.row] * (issue.segments - issue.expected) / issue.segments
        issues.append(_Issue(issue, issue.row + offset, saving))
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
    return f"{campaign.place} {campaign.lines[issue.row]}: {printable(issue.issue.detail)}"


_SHOWN_LANDLINES = 10


def _print_landlines(landlines: _Landlines, currency: str, out: TextIO) -> None:
    shown = ", ".join(map(str, landlines.lines[:_SHOWN_LANDLINES]))
    if landlines.count > _SHOWN_LANDLINES:
        shown += f" and {landlines.count - _SHOWN_LANDLINES:,} more"
    count = plural(landlines.count, "fixed-line number")
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
    totals: _Totals,
    top: int,
    landlines: _Landlines,
) -> None:
    from ..pricing.campaign import MessageKind

    out = sys.stdout
    cur = result.currency
    kind = "MMS" if result.kind is MessageKind.MMS else "SMS"
    outs = [f"{landlines.count:,} left out"] if landlines.skipped else []
    if totals.blank:  # one bracket with --skip-landlines too (review rev29k)
        outs.append(f"{totals.blank:,} with a blank text left out")
    left_out = f" ({'; '.join(outs)})" if outs else ""
    print(
        f"Campaign   {printable(campaign.label)}: "
        f"{plural(campaign.recipients, 'recipient')}{left_out}",
        file=out,
    )
    print(f"Template   {printable(template_label)}", file=out)
    if totals.template_forces:
        shown = ", ".join(repr(c) for c in totals.template_forces)
        print(f"           the template's own text forces UCS-2 in every row: "
              f"{printable(shown)} (70 characters a segment)", file=out)
    if totals.sender is not None:
        print(
            f"Sender     {printable(totals.sender)}: priced with the prefix and footer of a "
            f"first {totals.purpose} message, where a row's text lacks them",
            file=out,
        )
        if totals.judged_by_row:
            print(f"           {plural(totals.judged_by_row, 'row')} priced with the prefix "
                  "and footer their own text calls for, not the template's (a field names "
                  "the brand or the opt-out)", file=out)
        if totals.sender_forces:
            shown = ", ".join(repr(c) for c in totals.sender_forces)
            print(f"           the sender's prefix or footer forces UCS-2 in every row: "
                  f"{printable(shown)} (70 characters a segment)", file=out)
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
    if totals.skipped:  # every row left out: result.skipped keeps only those listed
        rows.append(("Skipped rows", f"{totals.skipped:,} (listed on stderr)"))
    for name, value in rows:
        print(f"  {name:<20}{value}", file=out)
    if landlines.lines:
        _print_landlines(landlines, cur, out)
    if totals.toll_free:
        print(f"\nAssumed: {_toll_free_note(totals, campaign.place)}", file=out)
    if result.priced_by_default:
        print(f"\nDefault: {_default_note(result)}", file=out)
    if totals.blank:
        print(f"\nNot priced: {_blank_note(totals, campaign.place)}", file=out)
    _print_breakdown("By encoding", {str(k): v for k, v in result.by_encoding.items()}, out)
    _print_breakdown("By country", dict(result.by_country), out)
    costliest = result.costliest(top)
    if costliest:
        print(f"\nCostliest rows ({cur})", file=out)
        print(f"  {campaign.place:>7}  country  encoding  segments  {'cost':>10}  why", file=out)
        for item in costliest:
            why = printable(totals.why.get(item.row, ""))
            print(
                f"  {campaign.lines[item.row]:>7}  {item.country:<7}  {item.encoding!s:<8}  "
                f"{item.segments:>8}  {_money(item.cost):>10}  {why}".rstrip(),
                file=out,
            )
    if totals.issues:
        ucs2, longer, saving = totals.ucs2, totals.longer, totals.saving
        print(
            f"\nRows to fix: {ucs2:,} forced into UCS-2, {longer:,} with extra segments; "
            f"fixing them saves {_money(saving, cur)}",
            file=out,
        )
        for found in totals.issues[:_SHOWN_ISSUES]:
            print(f"  {_issue_text(found, campaign)}", file=out)
        if ucs2 + longer > _SHOWN_ISSUES:
            more = ucs2 + longer - _SHOWN_ISSUES
            print(f"  … {more:,} more (--json or --csv lists all)", file=out)


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
    toll_free: tuple[int, list[int]],
    blank: tuple[int, list[int]],
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
        "recipients": campaign.recipients,
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
        # +1 toll-free numbers priced as US by assumption (--toll-free-country states it).
        "toll_free_as_us": {"count": toll_free[0], "lines": toll_free[1]},
        # Countries priced at the card's "*" rate, having no price of their own.
        "priced_by_default": list(result.priced_by_default),
        # Rows whose text is blank: left out, as plan blocks them (content.empty).
        "blank_text": {"count": blank[0], "lines": blank[1]},
    }
    print_json(data)


def _csv_writer() -> Any:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(
        ["line", "country", "encoding", "segments", "cost", "currency", "issue", "landline"]
    )
    return writer


def _toll_free_note(totals: _Totals, place: str) -> str:
    """What the estimate assumed of the +1 toll-free numbers it priced as US."""
    shown = ", ".join(map(str, totals.toll_free_lines[:_SHOWN_LANDLINES]))
    ellipsis = " …" if totals.toll_free > _SHOWN_LANDLINES else ""
    return (
        f"{plural(totals.toll_free, 'toll-free +1 number')} priced as US "
        f"({place}{'s' if totals.toll_free > 1 else ''} {shown}{ellipsis}). "
        "Toll-free codes (800, 833, 844, 855, 866, 877, 888) are shared by the US "
        "and Canada, so the number does not say where the recipient is; "
        "--toll-free-country CA prices them as Canada."
    )


def _default_note(result: Estimate) -> str:
    """The countries the card prices only by its "*" rate: a forgotten country."""
    from ..pricing.campaign import default_note

    return default_note(result.priced_by_default)


def _print_csv(
    writer: Any,
    lines: list[int],
    result: Estimate,
    issues: list[_Issue],
    offset: int,
    landlines: set[int],
) -> None:
    """One block's rows, as soon as it is priced (``offset``: its first row's index)."""
    by_row = {i.row - offset: i for i in issues}
    for item in result.items:
        found = by_row.get(item.row)
        writer.writerow(
            [
                lines[item.row],
                item.country,
                item.encoding.value,
                item.segments,
                str(item.cost),
                result.currency,
                found.issue.detail if found else "",
                "yes" if item.row in landlines else "",
            ]
        )
