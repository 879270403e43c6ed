"""What a message or a campaign costs, from a :class:`RateCard`.

:func:`estimate` prices one message (``to=``) or a campaign (``recipients=``: many
recipients and a :class:`~smskit.pricing.templates.Template`) and returns an :class:`Estimate`:
segments, encoding, cost per part, total, and the breakdown by encoding, by country and
per message. The destination country comes from the recipient's number
(:func:`smskit.numbers.region_of`). Rate cards: :mod:`smskit.pricing._ratecard`, re-exported
here; format and worked examples: ``docs/pricing.md``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from math import ceil
from types import MappingProxyType
from typing import TypeVar

import phonenumbers

from ..errors import (
    ConfigurationError,
    EncodingError,
    InvalidPhoneNumber,
    MessageTooLongError,
    RateCardError,
    RecipientError,
    TemplateError,
)
from ..findings import _shown, reduce_frozen
from ..numbers import _fast
from ..numbers.parse import PhoneNumber, _plain_spaces, region_of
from ..segments.encoding import Encoding
from ..segments.segmentation import count_segments
from ._ratecard import (
    ANY_COUNTRY,
    Bundle,
    Direction,
    MessageKind,
    Rate,
    RateCard,
    Route,
    RouteRates,
    minor_units,
)
from .templates import CampaignReport, Template, campaign_report, measure

__all__ = [
    "ANY_COUNTRY",
    "Bundle",
    "CostLine",
    "Direction",
    "Estimate",
    "MessageCost",
    "MessageKind",
    "Rate",
    "RateCard",
    "RouteRates",
    "RowProblem",
    "estimate",
    "minor_units",
]

_ZERO = Decimal(0)
_PROGRESS_EVERY = 2000
# Sums of prices (< 10**12, at most 12 places, see _ratecard) over millions of
# segments fit in 40 digits; 60 leaves room, and the caller's context (perhaps a
# 2-digit one) never rounds a total silently.
_MONEY = Context(prec=60)


@dataclass(frozen=True, slots=True)
class CostLine:
    """Messages, segments and cost of one slice of an estimate (a country, an encoding)."""

    messages: int
    segments: int
    cost: Decimal


@dataclass(frozen=True, slots=True)
class MessageCost:
    """The cost of one message of an estimate.

    Attributes:
        row: 0-based index of the recipient in the list given (0 for one message).
        country: ISO 3166-1 alpha-2 destination country.
        encoding: encoding of the rendered text.
        segments: SMS segments (0 for MMS, which is billed per message).
        cost: provider price plus carrier fees.
    """

    row: int
    country: str
    encoding: Encoding
    segments: int
    cost: Decimal


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A recipient left out of an estimate made with ``skip_invalid=True``.

    Attributes:
        row: 0-based index of the recipient.
        column: the field at fault (``"number"``, a template field), or ``None``.
        message: what is wrong; never holds the full phone number.
    """

    row: int
    column: str | None
    message: str


@dataclass(frozen=True, slots=True)
class Estimate:
    """What a message or a campaign costs, and where the money goes.

    Attributes:
        currency: ISO 4217 code of every amount.
        route, direction, kind: what was priced.
        messages: messages priced.
        segments: SMS segments in total (0 for MMS).
        encoding: the encoding of every message, or ``None`` when they differ.
        cost_per_part: price of one segment (one message for MMS) including carrier
            fees, or ``None`` when it differs between destinations.
        base: provider price in total (bundle price for segments it covers).
        carrier_fees: carrier pass-through fees in total.
        total: ``base + carrier_fees``, exact (see :attr:`rounded_total`).
        by_encoding: slices by encoding.
        by_country: slices by destination country.
        items: one entry per message priced, in input order.
        skipped: recipients left out (only with ``skip_invalid=True``).
        bundle: name of the bundle applied, if any.
        bundles_needed: how many of that bundle the covered segments use up.
        report: for a template and recipients, the segments per priced row and the
            rows to fix (:meth:`smskit.pricing.templates.Template.analyze`); else ``None``.
        toll_free_as_us: rows (0-based) whose number is a +1 toll-free number priced
            as US by assumption: toll-free codes (800, 833, 844, 855, 866, 877, 888)
            are shared by the US and Canada, so the number does not say where its holder
            is. ``toll_free_country=`` or ``country_of=`` states it instead.
        priced_by_default: countries priced by the card's ``"*"`` rate, having no
            price of their own on the route or internationally (a card that forgot
            Canada prices Toronto at its "*" international rate).
        blank_texts: rows (0-based) left out because their SMS text is blank (empty
            or whitespace only): nothing to send, and the engine blocks such a message
            (``content.empty``), so it costs nothing. ``smskit estimate`` and the
            data-frame adapters leave them out too; an MMS may carry media alone and
            is priced.
    """

    currency: str
    route: Route
    direction: Direction
    kind: MessageKind
    messages: int
    segments: int
    encoding: Encoding | None
    cost_per_part: Decimal | None
    base: Decimal
    carrier_fees: Decimal
    total: Decimal
    by_encoding: Mapping[Encoding, CostLine]
    by_country: Mapping[str, CostLine]
    items: tuple[MessageCost, ...]
    skipped: tuple[RowProblem, ...] = ()
    bundle: str | None = None
    bundles_needed: int = 0
    report: CampaignReport | None = None
    toll_free_as_us: tuple[int, ...] = ()
    priced_by_default: tuple[str, ...] = ()
    blank_texts: tuple[int, ...] = ()
    # Pickles with reduce_frozen: a read-only mapping does not pickle by itself.
    __reduce__ = reduce_frozen

    def __repr__(self) -> str:
        # The per-message items of a 20,000-row campaign would flood a notebook or a
        # log line: the repr gives the totals and how many items there are, and what
        # was priced (an inbound MMS and an outbound one differ only by these).
        return (
            f"Estimate(currency={self.currency!r}, route={str(self.route)!r}, "
            f"direction={str(self.direction)!r}, kind={str(self.kind)!r}, "
            f"messages={self.messages}, segments={self.segments}, "
            f"encoding={None if self.encoding is None else str(self.encoding)!r}, "
            f"total={self.total!r}, items=<{len(self.items)}>, "
            f"skipped=<{len(self.skipped)}>, bundle={self.bundle!r}, "
            f"bundles_needed={self.bundles_needed}, "
            f"report={None if self.report is None else '<CampaignReport>'}"
            # Shown when there is an assumption to see: toll-free rows priced as US.
            + (f", toll_free_as_us=<{len(self.toll_free_as_us)}>" if self.toll_free_as_us
               else "")
            + (f", priced_by_default={self.priced_by_default!r}" if self.priced_by_default
               else "")
            + (f", blank_texts=<{len(self.blank_texts)}>" if self.blank_texts else "")
            + ")"
        )

    @property
    def rounded_total(self) -> Decimal:
        """:attr:`total` rounded half-up to the currency's minor unit, for display."""
        with localcontext(_MONEY):
            exponent = Decimal(1).scaleb(-minor_units(self.currency))
            return self.total.quantize(exponent, rounding=ROUND_HALF_UP)

    def costliest(self, n: int = 10) -> tuple[MessageCost, ...]:
        """The ``n`` most expensive messages, dearest first (ties: input order).

        Raises:
            ValueError: ``n`` is negative.
        """
        if isinstance(n, bool) or n < 0:
            raise ValueError(f"costliest(n): n must be >= 0, got {n!r}")
        return tuple(sorted(self.items, key=lambda item: (-item.cost, item.row))[:n])



_E = TypeVar("_E", Route, Direction, MessageKind)


# The countries of +1 numbers, and the line type phonenumbers gives a toll-free one.
_NANP_REGIONS = frozenset(phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1])
_TOLL_FREE = phonenumbers.PhoneNumberType.TOLL_FREE


def _option(name: str, value: _E | str, enum: type[_E]) -> _E:
    """``value`` as a member of ``enum``; an unknown one is a ConfigurationError naming
    the choices (the enum's own ValueError says neither what is accepted nor is a
    SmskitError)."""
    try:
        return enum(value)
    except ValueError:
        raise ConfigurationError(
            f"{name} must be one of {[m.value for m in enum]}, not {_shown(value):.40}", field=name
        ) from None


def estimate(
    message: str | Template,
    *,
    rates: RateCard,
    to: str | None = None,
    recipients: Iterable[Mapping[str, object]] | None = None,
    number_field: str = "number",
    route: Route | str = Route.TEN_DLC,
    direction: Direction | str = Direction.OUTBOUND,
    kind: MessageKind | str = MessageKind.SMS,
    smart: bool = False,
    bundle: str | None = None,
    region: str = "US",
    country_of: Callable[[str], str] | None = None,
    skip_invalid: bool = False,
    progress: Callable[[int], None] | None = None,
    toll_free_country: str | None = None,
) -> Estimate:
    """Price one message (``to=``) or a campaign (``recipients=``).

    Args:
        message: the text, or a template rendered once per recipient (a template
            given with ``to=`` is rendered with no values).
        rates: the rate card.
        to: the one recipient's number.
        recipients: mappings holding ``number_field`` and the template's fields
            (CSV rows from :class:`csv.DictReader` fit).
        route, direction, kind: what to price; inbound is free where the card
            prices no inbound traffic.
        smart: price the text after smart encoding (look-alike characters replaced).
        bundle: name of a card bundle whose per-segment price replaces the SMS
            price of the outbound segments it covers.
        region: region assumed for numbers written without a country code.
        country_of: the destination country (ISO 3166-1 alpha-2) of a number as
            written; it raises :class:`~smskit.errors.InvalidPhoneNumber` for a bad
            one. Default: ``region_of(number, region=region)``. Give your
            own when the countries are already known (a CRM column, a lookup done
            beforehand).
        skip_invalid: leave out recipients with a bad number or missing field and
            list them in :attr:`Estimate.skipped`, instead of raising.
        progress: called with the number of recipients done, now and then.
        toll_free_country: the country (ISO 3166-1 alpha-2) of the recipients of +1
            toll-free numbers, which the number cannot tell (the US and Canada share
            the codes). Without it, such a number written without a country code is
            priced by ``region`` when that is a +1 country, and otherwise as US, its
            rows listed in :attr:`Estimate.toll_free_as_us` (an assumption, said so).
            Not read with ``country_of=``, which states every country itself.

    Raises:
        ConfigurationError: neither or both of ``to`` and ``recipients``; a
            recipient that is not a mapping, or a data frame given whole; an
            unknown ``route``, ``direction`` or ``kind`` (``.field`` names it).
        RecipientError: a recipient's number or fields are unusable (``.row`` and
            ``.column`` say where), unless ``skip_invalid``.
        RateCardError: no price for a destination, no MMS price, mixed currencies.
    """
    if (to is None) == (recipients is None):
        raise ConfigurationError(
            "estimate() takes exactly one of to= (one message) or recipients=", field="to"
        )
    pricer = _Pricer(
        rates,
        _option("route", route, Route),
        _option("direction", direction, Direction),
        _option("kind", kind, MessageKind),
        bundle,
    )
    rows: Sequence[Mapping[str, object]] = (
        list(recipients) if recipients is not None else [{number_field: to}]
    )
    if rows and not hasattr(rows[0], "get") and hasattr(recipients, "columns"):
        # Iterated, a pandas frame gives its column names and a polars or Arrow one its
        # columns: the per-row error would say "recipient 0 is a str". Judged by what
        # it gave, not by "columns" alone: SQLAlchemy's mappings() has a columns()
        # method and gives rows.
        raise ConfigurationError(
            f"recipients is a data frame ({type(recipients).__name__}), not rows: pass "
            "df.to_dict('records') (pandas), df.iter_rows(named=True) (polars) or "
            "table.to_pylist() (Arrow), or price it in the frame with smskit.frames",
            field="recipients",
        )
    assumed: set[str] = set()
    if country_of is None:
        stated = toll_free_country_option(toll_free_country)

        def country_of(number: str) -> str:
            country = region_of(number, region=region)
            if country != "US":  # the common case first: most rows end here or below
                return country
            country, guessed = toll_free_reading(
                number, country, region=region, toll_free_country=stated
            )
            if guessed:
                assumed.add(number)
            return country

    texts, countries, skipped = _render(
        message, rows, number_field, country_of, skip_invalid, progress
    )
    blank = _left_out_blank(texts, countries) if pricer.kind is MessageKind.SMS else ()
    toll_free_as_us = tuple(
        index for index, _ in texts if _number_text(rows[index], number_field) in assumed
    ) if assumed else ()
    measured = _measure(texts, countries, smart, skip_invalid, skipped)
    report = None
    if isinstance(message, Template) and recipients is not None:
        kept = [index for index, _ in texts]
        rows_kept = rows if len(kept) == len(rows) else [rows[i] for i in kept]
        report = campaign_report(
            message, rows_kept, [t for _, t in texts], measured, smart=smart, row_ids=kept
        )
    with localcontext(_MONEY):
        priced = pricer.price(texts, countries, measured, tuple(skipped), report)
    if blank:
        priced = replace(priced, blank_texts=blank)
    return replace(priced, toll_free_as_us=toll_free_as_us) if toll_free_as_us else priced


def _left_out_blank(texts: list[tuple[int, str]], countries: list[str]) -> tuple[int, ...]:
    """The rows whose text is blank, taken out of ``texts`` and ``countries``: an SMS
    with nothing to send is blocked (content.empty, which reads blank as str.strip()
    does), so it costs nothing, as ``smskit estimate`` and the adapters say."""
    blank = tuple(row for row, text in texts if not text.strip())
    if blank:
        kept = [at for at, (_, text) in enumerate(texts) if text.strip()]
        texts[:], countries[:] = [texts[at] for at in kept], [countries[at] for at in kept]
    return blank


def _number_text(values: Mapping[str, object], number_field: str) -> str:
    number = values.get(number_field)
    return number.e164 if isinstance(number, PhoneNumber) else str(number)


def toll_free_country_option(code: str | None) -> str | None:
    """``toll_free_country`` upper-cased, or a ConfigurationError: only a +1 country
    holds a +1 toll-free number ("CN", a slip for Canada, is China: it would price a
    North American number at China's rate)."""
    if code is None:
        return None
    if not isinstance(code, str) or code.strip().upper() not in _NANP_REGIONS:
        raise ConfigurationError(
            f"toll_free_country must be the ISO 3166-1 alpha-2 code of a +1 country, such "
            f"as 'CA' or 'US', not {code!r:.20}",
            field="toll_free_country",
        )
    return code.strip().upper()


def is_nanp_toll_free(number: str) -> bool:
    """Whether a valid number read as US is a +1 toll-free number (800, 833, 844, 855,
    866, 877, 888: the line type ``phonenumbers`` gives it)."""
    if len(number) == 12 and number.startswith("+1") and number.isascii():  # E.164
        digits = number[2:]
    else:
        # Any decimal digit, as phonenumbers reads it: fullwidth "８００" or Arabic-Indic
        # "٨٠٠" is the number region_of priced.
        digits = "".join(c if c <= "9" else str(int(c)) for c in number if c.isdecimal())
        if len(digits) == 11 and digits[0] == "1":
            digits = digits[1:]
    # Every NANP toll-free code, in service or reserved, is 8XX: the rest of a large
    # campaign is passed over without asking the metadata.
    if len(digits) != 10 or digits[0] != "8":
        return False
    found = _fast.nanp_region_and_type(digits)
    return found is not None and found[1] == _TOLL_FREE


def priced_by_default(card: RateCard, country: str, route: Route) -> bool:
    """Whether ``card`` prices ``country`` on ``route`` only by its ``"*"`` rate.

    A country forgotten in the card is priced at the "*" rate (Toronto at 0.0900
    instead of 0.0079) without a word otherwise: every report of a cost (estimate,
    usage, plan, the data-frame kernel) names such countries with :func:`default_note`.
    """
    _, found = card.priced_route(country, route)
    return found.path.startswith(f"countries.{ANY_COUNTRY}.")


def default_note(countries: Iterable[str]) -> str:
    """The one wording of the countries priced by the card's "*" rate (sorted)."""
    return (
        f"{', '.join(sorted(countries))} priced at the card's \"*\" rate (no price "
        "of their own)"
    )


def toll_free_reading(
    number: str, country: str, *, region: str, toll_free_country: str | None
) -> tuple[str, bool]:
    """The country to price a number by, and whether it is a US guess: a +1 toll-free
    number is read as US by ``phonenumbers``, but is as likely Canadian. A country the
    caller states wins; then the region of a number written without its "+1" (when a
    +1 country); else US, said to be assumed."""
    if country != "US" or not is_nanp_toll_free(number):
        return country, False
    if toll_free_country is not None:
        return toll_free_country, False
    # In region_of's case: it read "ca" as Canada, so must this (it priced as a US guess).
    region = region.upper()
    # phonenumbers reads a fullwidth plus as "+": "＋1 800 ..." is written with its +1.
    # Read as parse_number reads it: a direction mark before the "+" hid it (fix31b).
    if not _plain_spaces(number).lstrip().startswith(("+", "\uff0b")) and region != "US" and (
        region in _NANP_REGIONS
    ):
        return region, False
    return "US", True


def _measure(
    texts: list[tuple[int, str]],
    countries: list[str],
    smart: bool,
    skip_invalid: bool,
    skipped: list[RowProblem],
) -> Mapping[str, tuple[int, Encoding]]:
    """Segments and encoding of each text; a text that cannot be sent names its row."""
    try:
        return measure([text for _, text in texts], smart=smart)
    except (EncodingError, MessageTooLongError):
        pass
    measured: dict[str, tuple[int, Encoding]] = {}
    if not skip_invalid:  # name the first row that cannot be sent
        for row, text in texts:
            try:
                measured.update(_measure_one(text, smart))
            except (EncodingError, MessageTooLongError) as exc:
                raise RecipientError(str(exc), row=row, column=None) from None
    kept_texts: list[tuple[int, str]] = []
    kept_countries: list[str] = []
    for (row, text), country in zip(texts, countries, strict=True):
        try:
            measured.update(_measure_one(text, smart))
        except (EncodingError, MessageTooLongError) as exc:
            skipped.append(RowProblem(row, None, str(exc)))
            continue
        kept_texts.append((row, text))
        kept_countries.append(country)
    # Rebuilt in one pass: deleting from the middle of a list is quadratic.
    texts[:], countries[:] = kept_texts, kept_countries
    skipped.sort(key=lambda problem: problem.row)
    return measured


def _measure_one(text: str, smart: bool) -> Mapping[str, tuple[int, Encoding]]:
    """``measure`` of one row's text. Its error is the text's own, as ``count_segments``
    words it: the batch's would name an index in a list of one ("text 0 of the batch")."""
    try:
        return measure([text], smart=smart)
    except (EncodingError, MessageTooLongError):
        count_segments(text, smart=smart)  # raises the same error, without the index
        raise


def _render(
    message: str | Template,
    rows: Iterable[Mapping[str, object]],
    number_field: str,
    country_of: Callable[[str], str],
    skip_invalid: bool,
    progress: Callable[[int], None] | None,
) -> tuple[list[tuple[int, str]], list[str], list[RowProblem]]:
    texts: list[tuple[int, str]] = []
    countries: list[str] = []
    skipped: list[RowProblem] = []
    template = message if isinstance(message, Template) else None
    index = -1
    for index, values in enumerate(rows):
        if progress is not None and index % _PROGRESS_EVERY == 0:
            progress(index)
        if not hasattr(values, "get"):  # a list of numbers, say: an AttributeError below
            raise ConfigurationError(
                f"recipients must be mappings of fields ({{'number': ...}}, one per "
                f"recipient); recipient {index} is a {type(values).__name__}: for numbers "
                f"alone, pass [{{{number_field!r}: n}} for n in numbers]",
                field="recipients",
            )
        column: str | None = number_field
        try:
            number = values.get(number_field)
            if number is None or number == "":
                # A mapping keyed "phone" beside number_field="number" is not a blank
                # number: show the fields it has (their names, never their values).
                absent = number_field not in values
                fields = ", ".join(str(name) for name in values) if absent else ""
                raise InvalidPhoneNumber(
                    f"the recipient has no field {number_field!r} (its fields: {fields[:200]})"
                    if absent else f"no phone number in field {number_field!r}",
                    reason="empty",
                )
            country = country_of(number.e164 if isinstance(number, PhoneNumber) else str(number))
            column = None
            text = template.render(values) if template is not None else message
        except (InvalidPhoneNumber, TemplateError) as exc:
            reason = str(exc)
            if isinstance(exc, TemplateError):
                column = exc.field
            elif _is_integer(values.get(number_field)):
                # pd.read_csv reads "+61412345678" as 61412345678: only +1 numbers
                # survive that (with region="US"), so the others are "too long".
                reason += (
                    " (the number is an integer: a data frame or spreadsheet read the "
                    "column as numbers, dropping its '+' and leading zeros; read it as "
                    "text, e.g. pd.read_csv(..., dtype=str))"
                )
            if not skip_invalid:
                raise RecipientError(reason, row=index, column=column) from None
            skipped.append(RowProblem(index, column, reason))
            continue
        texts.append((index, str(text)))
        countries.append(country)
    if progress is not None:
        progress(index + 1)
    return texts, countries, skipped


def _is_integer(value: object) -> bool:
    # NumPy's integers (np.int64) are not int; like int, they have __index__.
    if isinstance(value, bool | str):
        return False
    return isinstance(value, int) or hasattr(value, "__index__")


class _Pricer:
    """Prices rendered texts; looks each (country, route) up once."""

    def __init__(
        self,
        card: RateCard,
        route: Route,
        direction: Direction,
        kind: MessageKind,
        bundle_name: str | None,
    ) -> None:
        self.card, self.route, self.direction, self.kind = card, route, direction, kind
        self.bundle: Bundle | None = card.bundle(bundle_name) if bundle_name else None
        self._unit: dict[str, tuple[Decimal, Decimal, str, bool]] = {}

    def unit(self, country: str) -> tuple[Decimal, Decimal, str, bool]:
        """Price and carrier fee of one part to ``country``, its currency, bundle used."""
        cached = self._unit.get(country)
        if cached is None:
            priced_on, found = self.card.priced_route(country, self.route)
            cached = self._lookup(found)
            bundle = self.bundle
            # A bundle covers the route the price came from: a UK number texted from
            # a 10DLC number is priced internationally, and a 10DLC bundle paid for it.
            if (
                bundle is not None
                and bundle.covers(country, priced_on)
                and self.direction is Direction.OUTBOUND
                and self.kind is MessageKind.SMS
            ):
                cached = (bundle.per_segment, cached[1], bundle.currency, True)
            self._unit[country] = cached
        return cached

    def _lookup(self, found: RouteRates) -> tuple[Decimal, Decimal, str, bool]:
        rate: Rate | None = found.rate(self.direction)
        if rate is None:  # the card bills no inbound traffic here
            return _ZERO, _ZERO, found.currency, False
        if self.kind is MessageKind.SMS:
            return rate.sms_per_segment, rate.sms_carrier_fee_per_segment, found.currency, False
        if rate.mms_per_message is None:
            where = found.path + (".inbound" if self.direction is Direction.INBOUND else "")
            raise RateCardError(f"rate card has no MMS price at {where}.mms_per_message")
        return rate.mms_per_message, rate.mms_carrier_fee_per_message, found.currency, False

    def price(
        self,
        texts: list[tuple[int, str]],
        countries: list[str],
        measured: Mapping[str, tuple[int, Encoding]],
        skipped: tuple[RowProblem, ...],
        report: CampaignReport | None,
    ) -> Estimate:
        sms = self.kind is MessageKind.SMS
        items: list[MessageCost] = []
        # Per row: one lookup and one count; the money is added up per group after.
        groups: Counter[tuple[str, Encoding, int]] = Counter()
        row_costs: dict[tuple[str, int], Decimal] = {}
        for (row, text), country in zip(texts, countries, strict=True):
            segments, encoding = measured[text]
            parts = segments if sms else 1
            cost = row_costs.get((country, parts))
            if cost is None:
                cost = row_costs[(country, parts)] = self._base(country, parts) + (
                    self.unit(country)[1] * parts
                )
            items.append(MessageCost(row, country, encoding, segments if sms else 0, cost))
            groups[(country, encoding, parts)] += 1
        return self.summarize(groups, tuple(items), skipped, report)

    def summarize(
        self,
        groups: Mapping[tuple[str, Encoding, int], int],
        items: tuple[MessageCost, ...],
        skipped: tuple[RowProblem, ...],
        report: CampaignReport | None,
    ) -> Estimate:
        """The estimate of messages counted by ``(country, encoding, parts)``.

        Money is added up per group, so a campaign counted in blocks (the CLI
        streams) costs exactly what one pass costs: a bundle's share is divided
        once per group, not once per block.
        """
        sms = self.kind is MessageKind.SMS
        base = fees = _ZERO
        bundled_parts = 0
        currencies: dict[str, str] = {}
        by_encoding: dict[Encoding, _Tally] = {}
        by_country: dict[str, _Tally] = {}
        for (country, encoding, parts), messages in groups.items():
            _, fee, currency, bundled = self.unit(country)
            currencies.setdefault(currency, self._where(country))
            if bundled and fee:  # the bundle pays the price; the fees stay the route's
                found = self.card.route_rates(country, self.route)
                currencies.setdefault(found.currency, found.path)
            group_base = self._base(country, parts * messages)
            group_fees = fee * parts * messages
            base += group_base
            fees += group_fees
            billed = parts * messages if sms else 0
            by_encoding.setdefault(encoding, _Tally()).add(
                messages, billed, group_base + group_fees
            )
            by_country.setdefault(country, _Tally()).add(messages, billed, group_base + group_fees)
            if bundled:
                bundled_parts += parts * messages
        if len(currencies) > 1:
            listed = ", ".join(f"{c} ({where})" for c, where in sorted(currencies.items()))
            raise RateCardError(
                f"mixed currencies in one estimate: {listed}; estimate them separately"
            )
        per_part = {sum(self.unit(country)[:2], _ZERO) for country, _, _ in groups}
        return Estimate(
            currency=next(iter(currencies), self.card.currency),
            route=self.route,
            direction=self.direction,
            kind=self.kind,
            messages=sum(groups.values()),
            segments=sum(t.segments for t in by_country.values()),
            encoding=next(iter(by_encoding)) if len(by_encoding) == 1 else None,
            cost_per_part=per_part.pop() if len(per_part) == 1 else None,
            base=base,
            carrier_fees=fees,
            total=base + fees,
            by_encoding=MappingProxyType({k: t.line() for k, t in by_encoding.items()}),
            by_country=MappingProxyType({k: t.line() for k, t in sorted(by_country.items())}),
            items=items,
            skipped=skipped,
            bundle=self.bundle.name if self.bundle else None,
            bundles_needed=ceil(bundled_parts / self.bundle.segments) if self.bundle else 0,
            report=report,
            priced_by_default=tuple(
                country for country in sorted(by_country) if self._defaulted(country)
            ),
        )

    def _defaulted(self, country: str) -> bool:
        return priced_by_default(self.card, country, self.route)

    def _base(self, country: str, parts: int) -> Decimal:
        """Provider price of ``parts`` parts to ``country``.

        A bundle's share is ``price * parts / segments``, divided last, so that
        3 segments of "3 for 1.00" cost 1.00 and not 3 x 0.333...
        """
        price, _, _, bundled = self.unit(country)
        if bundled and self.bundle is not None:
            return self.bundle.price * parts / self.bundle.segments
        return price * parts

    def _where(self, country: str) -> str:
        if self.bundle is not None and self.unit(country)[3]:
            return f"bundle {self.bundle.name!r}"
        return self.card.route_rates(country, self.route).path


class _Tally:
    __slots__ = ("cost", "messages", "segments")

    def __init__(self) -> None:
        self.messages = 0
        self.segments = 0
        self.cost = _ZERO

    def add(self, messages: int, segments: int, cost: Decimal) -> None:
        self.messages += messages
        self.segments += segments
        self.cost += cost

    def line(self) -> CostLine:
        return CostLine(self.messages, self.segments, self.cost)
