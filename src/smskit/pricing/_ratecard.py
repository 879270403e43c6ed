"""Rate cards: prices per country, route and direction, bundles; loading and validation.

Public names are re-exported by :mod:`smskit.pricing`.

A :class:`RateCard` holds prices as :class:`~decimal.Decimal` per destination country
and route (10DLC, toll-free, short code, international), for outbound and, when the
card says so, inbound traffic; SMS is priced per segment, MMS per message; carrier
pass-through fees and prepaid bundles are separate lines. :func:`estimate` prices one
message or a whole campaign (a :class:`~smskit.pricing.templates.Template` and its recipients)
and says where the money goes: by encoding, by country, per message.

Money never passes through ``float``: TOML and JSON numbers are read as ``Decimal``,
and a ``float`` in a dict is refused. Card format: ``docs/pricing.md``.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType

import phonenumbers

from ..errors import RateCardError
from ..findings import reduce_frozen
from ..routes import Route
from ._currencies import CURRENCY_MINOR_UNITS

__all__ = [
    "ANY_COUNTRY",
    "Bundle",
    "Direction",
    "MessageKind",
    "Rate",
    "RateCard",
    "Route",
    "RouteRates",
    "minor_units",
]

#: Country key of a card's fallback prices, used for any country not listed.
ANY_COUNTRY = "*"
_ZERO = Decimal(0)
# No message or bundle costs a trillion units of any currency, and no price needs
# more than 12 decimal places; beyond these a typo is far likelier than a price, and
# an amount like 1e-999999999 would be written out as a billion zeros.
MAX_PRICE = Decimal(10) ** 12
# Every country and route priced fits in well under a megabyte of TOML.
MAX_CARD_CHARS = 1_000_000
MAX_CARD_LINE = 4096
MAX_PRICE_PLACES = 12


class Direction(StrEnum):
    """Which way the message goes; inbound is billed only where the card prices it."""

    OUTBOUND = "outbound"
    INBOUND = "inbound"


class MessageKind(StrEnum):
    """SMS is billed per segment, MMS per message."""

    SMS = "sms"
    MMS = "mms"


@dataclass(frozen=True, slots=True)
class Rate:
    """Prices for one direction of one route to one country.

    Attributes:
        sms_per_segment: provider price of one SMS segment.
        mms_per_message: provider price of one MMS, or ``None`` when the card has
            none (estimating MMS there is a :class:`RateCardError`).
        sms_carrier_fee_per_segment: carrier pass-through fee per SMS segment.
        mms_carrier_fee_per_message: carrier pass-through fee per MMS.
    """

    sms_per_segment: Decimal
    mms_per_message: Decimal | None = None
    sms_carrier_fee_per_segment: Decimal = _ZERO
    mms_carrier_fee_per_message: Decimal = _ZERO

    def __post_init__(self) -> None:
        # Checked as a card's prices are: built by hand, a negative price gave a
        # negative total and NaN a NaN one.
        for name in _RATE_KEYS:
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _price(value, f"Rate.{name}"))


@dataclass(frozen=True, slots=True)
class RouteRates:
    """Outbound and inbound prices of one (country, route) pair, and their currency.

    Attributes:
        path: where these prices sit in the card (``"countries.US.10dlc"``), for
            error messages.
        inbound: ``None`` when the card does not bill inbound messages here.
    """

    path: str
    currency: str
    outbound: Rate
    inbound: Rate | None = None

    def rate(self, direction: Direction) -> Rate | None:
        """The prices for ``direction``; ``None`` when it is not billed."""
        return self.outbound if direction is Direction.OUTBOUND else self.inbound


@dataclass(frozen=True, slots=True)
class Bundle:
    """A prepaid bundle: ``segments`` SMS segments for ``price``.

    Attributes:
        countries: destinations it covers; empty means every country.
        routes: routes it covers; empty means every route.
    """

    name: str
    segments: int
    price: Decimal
    currency: str
    countries: frozenset[str] = frozenset()
    routes: frozenset[Route] = frozenset()

    def __post_init__(self) -> None:
        # Checked as a card's bundles are: built by hand, 0 segments divided by zero
        # when priced and a negative price paid the sender.
        where = f"bundle {self.name!r}"
        segments = self.segments
        if isinstance(segments, bool) or not isinstance(segments, int) or segments <= 0:
            raise RateCardError(f"{where}: segments must be a whole number > 0")
        object.__setattr__(self, "price", _price(self.price, f"{where}: price"))

    @property
    def per_segment(self) -> Decimal:
        """Price of one segment (``37.50 / 2500 == 0.015``)."""
        return self.price / self.segments

    def covers(self, country: str, route: Route) -> bool:
        """Whether segments to ``country`` over ``route`` come out of this bundle."""
        return (not self.countries or country in self.countries) and (
            not self.routes or route in self.routes
        )


@dataclass(frozen=True, slots=True)
class RateCard:
    """A provider's prices. Build it with :meth:`from_dict`, :meth:`from_toml`,
    :meth:`from_json` or :meth:`load`.

    Attributes:
        currency: ISO 4217 code of the card (a country may override it).
        rates: ``(country, route) -> RouteRates``; country ``"*"`` is the fallback.
        bundles: prepaid bundles by name.
        name: a label for reports.
    """

    currency: str
    rates: Mapping[tuple[str, Route], RouteRates]
    bundles: Mapping[str, Bundle] = field(default_factory=lambda: MappingProxyType({}))
    name: str = ""
    # Pickles with reduce_frozen: a read-only mapping does not pickle by itself.
    __reduce__ = reduce_frozen

    def route_rates(self, country: str, route: Route) -> RouteRates:
        """Prices for ``route`` to ``country``.

        Looked up in this order: the country on that route; the country's
        international rate (a sending number reaches a foreign country
        internationally); ``"*"`` on that route; ``"*"`` international.

        Raises:
            RateCardError: none of these is in the card.
        """
        return self.priced_route(country, route)[1]

    def priced_route(self, country: str, route: Route) -> tuple[Route, RouteRates]:
        """:meth:`route_rates`, and the route of the table that prices it: ``route``,
        or international when the card prices ``country`` only that way (a UK number
        texted from a 10DLC number). A bundle sold for a route covers only segments
        priced on it.

        Raises:
            RateCardError: the card has no price for ``country``.
        """
        for key in (
            (country, route),
            (country, Route.INTERNATIONAL),
            (ANY_COUNTRY, route),
            (ANY_COUNTRY, Route.INTERNATIONAL),
        ):
            found = self.rates.get(key)
            if found is not None:
                return key[1], found
        raise RateCardError(
            f"rate card has no price for {country} at countries.{country}.{route}, "
            f'countries.{country}.international or countries."*"; add one'
        )

    def bundle(self, name: str) -> Bundle:
        """The bundle called ``name``.

        Raises:
            RateCardError: no such bundle (the message lists the known ones).
        """
        try:
            return self.bundles[name]
        except KeyError:
            known = ", ".join(sorted(self.bundles)) or "none"
            raise RateCardError(f"rate card has no bundle {name!r} (known: {known})") from None

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> RateCard:
        """Build a card from plain data (the TOML/JSON layout in ``docs/pricing.md``).

        Prices may be ``Decimal``, ``int`` or ``str``; a ``float`` is refused.

        Raises:
            RateCardError: a missing, negative or malformed price, an unknown
                currency, country, route or key; the message names its path.
        """
        return _build(data)

    @classmethod
    def from_toml(cls, text: str) -> RateCard:
        """Parse a card from TOML text; numbers are read as ``Decimal``.

        The text is bounded (``MAX_CARD_CHARS`` in all, ``MAX_CARD_LINE`` per line)
        before parsing: Python's TOML parser takes time quadratic in the depth of a
        dotted key, and no real card comes near either bound.
        """
        _refuse_file_name(text, "from_toml", "TOML")
        if len(text) > MAX_CARD_CHARS:
            raise RateCardError(
                f"rate card is {len(text):,} characters; the limit is {MAX_CARD_CHARS:,}"
            )
        longest = max(map(len, text.splitlines()), default=0)
        if longest > MAX_CARD_LINE:
            raise RateCardError(
                f"rate card has a line of {longest:,} characters; the limit is "
                f"{MAX_CARD_LINE:,}: split long arrays over several lines"
            )
        try:
            data = tomllib.loads(text, parse_float=Decimal)
        except tomllib.TOMLDecodeError as exc:
            raise RateCardError(f"rate card is not valid TOML: {exc}") from None
        except (RecursionError, ValueError) as exc:  # absurd nesting, 5000-digit ints
            raise RateCardError(f"rate card is not valid TOML: {_short(exc)}") from None
        return _build(data)

    @classmethod
    def from_json(cls, text: str) -> RateCard:
        """Parse a card from JSON text; numbers are read as ``Decimal``."""
        _refuse_file_name(text, "from_json", "JSON")
        try:
            # NaN and Infinity too: json reads them as floats, refused as "a float;
            # write prices as strings", which says nothing of what is wrong.
            data = json.loads(text, parse_float=Decimal, parse_constant=Decimal)
        except json.JSONDecodeError as exc:
            raise RateCardError(f"rate card is not valid JSON: {exc}") from None
        except (RecursionError, ValueError) as exc:  # absurd nesting, 5000-digit ints
            raise RateCardError(f"rate card is not valid JSON: {_short(exc)}") from None
        if not isinstance(data, dict):
            raise RateCardError("rate card JSON must be an object at the top level")
        return _build(data)

    @classmethod
    def load(cls, path: str | Path) -> RateCard:
        """Read a ``.toml`` or ``.json`` card from a file (chosen by its suffix).

        Raises:
            RateCardError: unreadable file, unknown suffix, or invalid card.
        """
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in {".toml", ".json"}:
            raise RateCardError(f"rate card {path.name!r} must end in .toml or .json")
        try:
            # A leading byte-order mark (Windows Notepad) says how the file is encoded.
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise RateCardError(f"cannot read rate card {str(path)!r}: {exc}") from None
        return cls.from_toml(text) if suffix == ".toml" else cls.from_json(text)


def _refuse_file_name(text: object, method: str, kind: str) -> None:
    """Refuse a path or a file name given where the card's text is expected.

    Parsed as text, "rates.toml" failed with a TOML syntax error about a file never
    read. A one-line text ending in ".toml" or ".json" with no "=", "{" or quote in it
    cannot be a card, so it is taken for the file name it looks like.
    """
    if not isinstance(text, str):
        raise TypeError(
            f"{method}() takes the {kind} text, not {type(text).__name__}: "
            "RateCard.load(path) reads a file"
        )
    name = text.strip()
    if (
        "\n" not in name
        and name.lower().endswith((".toml", ".json"))
        and not any(mark in name for mark in "={\"'")
    ):
        raise RateCardError(
            f"{name!r} looks like a file name: RateCard.load({name!r}) reads the file; "
            f"{method}() takes the {kind} text itself"
        )


def _short(exc: Exception) -> str:
    return str(exc).split(";")[0] or type(exc).__name__


# --- loading ---------------------------------------------------------------------

_RATE_KEYS = (
    "sms_per_segment",
    "mms_per_message",
    "sms_carrier_fee_per_segment",
    "mms_carrier_fee_per_message",
)
_ROUTES = {r.value: r for r in Route}
_COUNTRIES = frozenset(phonenumbers.SUPPORTED_REGIONS)


def _build(data: Mapping[str, object]) -> RateCard:
    if not isinstance(data, Mapping):
        raise RateCardError(f"a rate card must be a table/object, not {type(data).__name__}")
    _no_unknown(data, {"name", "currency", "countries", "bundles"}, "")
    currency = _currency(data.get("currency"), "currency")
    name = data.get("name", "")
    if not isinstance(name, str):
        raise RateCardError("name must be a string")
    countries = _table(data.get("countries"), "countries")
    if not countries:
        raise RateCardError("countries is missing or empty; price at least one country")
    rates: dict[tuple[str, Route], RouteRates] = {}
    for country, body in countries.items():
        path = f"countries.{country}"
        if country != ANY_COUNTRY and country not in _COUNTRIES:
            raise RateCardError(
                f"{path}: unknown country {country!r}; use an ISO 3166-1 alpha-2 code "
                'such as "US", or "*" for every other country'
            )
        table = _table(body, path)
        country_currency = currency
        if "currency" in table:
            country_currency = _currency(table["currency"], f"{path}.currency")
        _no_unknown(table, {"currency", *_ROUTES}, path)
        for route_name, route_body in table.items():
            if route_name == "currency":
                continue
            route_path = f"{path}.{route_name}"
            rates[(country, _ROUTES[route_name])] = _route_rates(
                route_body, route_path, country_currency
            )
    bundles = {}
    for index, body in enumerate(_list(data.get("bundles", []), "bundles")):
        bundle = _bundle(body, f"bundles[{index}]", currency)
        if bundle.name in bundles:
            raise RateCardError(f"bundles[{index}].name: {bundle.name!r} is used twice")
        bundles[bundle.name] = bundle
    return RateCard(currency, MappingProxyType(rates), MappingProxyType(bundles), name)


def _route_rates(body: object, path: str, currency: str) -> RouteRates:
    table = _table(body, path)
    _no_unknown(table, {*_RATE_KEYS, "inbound"}, path)
    outbound = _rate(table, path)
    inbound = None
    if "inbound" in table:
        inbound_table = _table(table["inbound"], f"{path}.inbound")
        _no_unknown(inbound_table, set(_RATE_KEYS), f"{path}.inbound")
        inbound = _rate(inbound_table, f"{path}.inbound")
    return RouteRates(path, currency, outbound, inbound)


def _rate(table: Mapping[str, object], path: str) -> Rate:
    if "sms_per_segment" not in table:
        raise RateCardError(f"{path}.sms_per_segment is missing; every route needs an SMS price")
    mms = table.get("mms_per_message")
    return Rate(
        sms_per_segment=_price(table["sms_per_segment"], f"{path}.sms_per_segment"),
        mms_per_message=None if mms is None else _price(mms, f"{path}.mms_per_message"),
        sms_carrier_fee_per_segment=_price(
            table.get("sms_carrier_fee_per_segment", 0), f"{path}.sms_carrier_fee_per_segment"
        ),
        mms_carrier_fee_per_message=_price(
            table.get("mms_carrier_fee_per_message", 0), f"{path}.mms_carrier_fee_per_message"
        ),
    )


def _bundle(body: object, path: str, card_currency: str) -> Bundle:
    table = _table(body, path)
    _no_unknown(table, {"name", "segments", "price", "currency", "countries", "routes"}, path)
    name = table.get("name")
    if not isinstance(name, str) or not name:
        raise RateCardError(f"{path}.name is missing; give the bundle a name")
    segments = table.get("segments")
    if isinstance(segments, bool) or not isinstance(segments, int) or segments <= 0:
        raise RateCardError(f"{path}.segments must be a whole number > 0")
    if "price" not in table:
        raise RateCardError(f"{path}.price is missing")
    price = _price(table["price"], f"{path}.price")
    currency = card_currency
    if "currency" in table:
        currency = _currency(table["currency"], f"{path}.currency")
    countries = _strings(table.get("countries", []), f"{path}.countries")
    for country in countries:
        if country not in _COUNTRIES:
            raise RateCardError(f"{path}.countries: unknown country {country!r}")
    routes = _strings(table.get("routes", []), f"{path}.routes")
    for route in routes:
        if route not in _ROUTES:
            raise RateCardError(
                f"{path}.routes: unknown route {route!r}; known: {', '.join(_ROUTES)}"
            )
    return Bundle(
        name, segments, price, currency, frozenset(countries), frozenset(_ROUTES[r] for r in routes)
    )


def _price(value: object, path: str) -> Decimal:
    if isinstance(value, bool | float):
        kind = "a float" if isinstance(value, float) else "a boolean"
        raise RateCardError(
            f'{path} is {kind}; write prices as strings or Decimal ("0.0079") '
            "so no precision is lost"
        )
    if isinstance(value, Decimal | int):
        amount = Decimal(value)
    elif isinstance(value, str):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            raise RateCardError(f"{path}: {value!r} is not a decimal number") from None
    else:
        raise RateCardError(f"{path} must be a price, not {type(value).__name__}")
    if not amount.is_finite():
        raise RateCardError(f"{path}: {value!r} is not a finite price")
    if amount < 0:
        raise RateCardError(f"{path} is negative ({amount}); prices must be >= 0")
    if amount >= MAX_PRICE:
        raise RateCardError(f"{path}: {value!r} is too large; prices must be below {MAX_PRICE:,}")
    if _places(amount) > MAX_PRICE_PLACES:
        raise RateCardError(f"{path}: {value!r} has more than {MAX_PRICE_PLACES} decimal places")
    return amount


def _places(amount: Decimal) -> int:
    """Decimal places ``amount`` needs (trailing zeros do not count); finite only."""
    _, digits, exponent = amount.as_tuple()
    if not isinstance(exponent, int):  # NaN and infinities are refused before this
        return 0
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + trailing)) if any(digits) else 0


def _currency(value: object, path: str) -> str:
    if value is None:
        raise RateCardError(f'{path} is missing; give an ISO 4217 code such as "USD"')
    if not isinstance(value, str) or value not in CURRENCY_MINOR_UNITS:
        raise RateCardError(
            f'{path}: unknown currency {value!r}; use an ISO 4217 code such as "USD" (upper case)'
        )
    return value


def _table(value: object, path: str) -> Mapping[str, object]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise RateCardError(f"{path} must be a table/object, not {type(value).__name__}")
    return value


def _list(value: object, path: str) -> list[object]:
    if not isinstance(value, list | tuple):
        raise RateCardError(f"{path} must be a list, not {type(value).__name__}")
    return list(value)


def _strings(value: object, path: str) -> list[str]:
    items = _list(value, path)
    if not all(isinstance(item, str) for item in items):
        raise RateCardError(f"{path} must be a list of strings")
    return [str(item) for item in items]


def _no_unknown(table: Mapping[str, object], known: set[str], path: str) -> None:
    for key in table:
        if key not in known:
            where = f"{path}.{key}" if path else str(key)
            raise RateCardError(f"{where}: unknown key; expected one of {', '.join(sorted(known))}")


def minor_units(currency: str) -> int:
    """Decimal places of ``currency`` (ISO 4217), for rounding a total to pay."""
    return CURRENCY_MINOR_UNITS[currency]
