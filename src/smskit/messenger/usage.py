"""Usage: segments in and out for a sender over a period, their cost, bundle consumption.

Each message in the history carries its segments and route, so usage is priced
afterwards on any rate card: SMS per segment, MMS per message, inbound only
where the card prices inbound traffic. A prepaid bundle is drawn down by the
outbound segments it covers, and by inbound ones when the reseller bills them
(``inbound_from_bundle``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal, localcontext

from ..errors import ConfigurationError, InvalidPhoneNumber, RateCardError
from ..findings import reduce_frozen
from ..numbers import region_of
from ..numbers.parse import mask_sender
from ..policy import SenderProfile
from ..pricing import Direction, MessageKind, RateCard
from ..pricing.campaign import (
    _MONEY,
    priced_by_default,
    toll_free_country_option,
    toll_free_reading,
)
from ..routes import Route
from .health import sending_id
from .history import MessageHistory, MessageRecord, _aware

__all__ = ["Usage", "usage"]


@dataclass(frozen=True, slots=True)
class Usage:
    """What one sender used over ``(since, until]``.

    Attributes:
        messages_out, messages_in: messages sent and received.
        segments_out, segments_in: SMS segments sent and received (MMS count 0).
        mms_out, mms_in: MMS messages sent and received.
        cost: pay-as-you-go price on the rate card; ``None`` without a card.
        currency: the cost's: the one the card prices every country texted in (CAD
            for a sender texting Toronto alone on a card pricing Canada in CAD), else
            the card's.
        bundle: the bundle drawn from, if any.
        bundle_used: segments counted against the bundle.
        bundle_left: segments still in the bundle (0 when used up).
        bundle_overage: segments beyond the bundle.
        toll_free_as_us: messages priced as US by assumption: their number is a +1
            toll-free one (800, 833, ... are shared by the US and Canada, so the number
            does not say the country); ``toll_free_country=`` states it instead.
        priced_by_default: countries priced by the card's ``"*"`` rate, having no
            price of their own, sorted, as :attr:`smskit.pricing.Estimate.priced_by_default`
            names them (a card that forgot Canada prices Toronto at its "*" rate).
    """

    sender: str
    since: datetime
    until: datetime
    messages_out: int
    messages_in: int
    segments_out: int
    segments_in: int
    mms_out: int
    mms_in: int
    cost: Decimal | None = None
    currency: str | None = None
    bundle: str | None = None
    bundle_used: int = 0
    bundle_left: int = 0
    bundle_overage: int = 0
    toll_free_as_us: int = 0
    priced_by_default: tuple[str, ...] = ()
    # Pickles with reduce_frozen: datetime drops a repeated hour's fold before protocol 4.
    __reduce__ = reduce_frozen

    def __repr__(self) -> str:
        # The sending number masked, as in SenderProfile's repr.
        rest = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self)[1:])
        return f"{type(self).__name__}(sender={mask_sender(self.sender)!r}, {rest})"


def _country(message: MessageRecord, toll_free_country: str | None = None) -> tuple[str, bool]:
    """The country a message is priced in. Sending: the person's number's, or, for a
    short code or a named sender (which only reach numbers in their own country),
    ours. Receiving: our number's, as Twilio prices receiving by the country and type
    of its number (https://www.twilio.com/docs/sms/api/pricing, ``inbound_sms_prices``);
    the person's where ours is no phone number (a short code, a messaging service).
    And whether it is a US guess: a +1 toll-free number, as ``estimate`` reads it."""
    first, second = message.contact, message.sender
    if message.direction is Direction.INBOUND:
        first, second = second, first
    try:
        number, country = first, region_of(first)
    except InvalidPhoneNumber:
        number, country = second, region_of(second)
    return toll_free_reading(number, country, region="US", toll_free_country=toll_free_country)


def _price(
    card: RateCard, message: MessageRecord, country: str
) -> tuple[Decimal, str, Route]:
    """The message's price, the currency the card prices ``country`` in, and the route
    of that price (international for a country the card prices only so)."""
    priced_on, found = card.priced_route(country, message.route)
    currency = found.currency
    rate = found.rate(message.direction)
    if rate is None:  # the card does not bill this direction here
        return Decimal(0), currency, priced_on
    if message.kind is MessageKind.MMS:
        if rate.mms_per_message is None:
            # As estimate() says it: the key to add, and a RateCardError (the card's).
            where = found.path + (".inbound" if message.direction is Direction.INBOUND else "")
            raise RateCardError(f"rate card has no MMS price at {where}.mms_per_message")
        return rate.mms_per_message + rate.mms_carrier_fee_per_message, currency, priced_on
    return (
        message.segments * (rate.sms_per_segment + rate.sms_carrier_fee_per_segment),
        currency,
        priced_on,
    )


def usage(
    history: MessageHistory,
    sender: str | SenderProfile,
    *,
    since: datetime,
    until: datetime,
    rates: RateCard | None = None,
    bundle: str | None = None,
    inbound_from_bundle: bool = False,
    toll_free_country: str | None = None,
) -> Usage:
    """Segments, messages and cost of ``sender`` (its number, or its profile) over
    ``(since, until]``.

    ``toll_free_country``: the country (a +1 one, such as ``"CA"``) of the +1 toll-free
    numbers priced, which the number cannot tell; without it they are priced as US and
    counted in :attr:`Usage.toll_free_as_us`, as :func:`smskit.pricing.estimate` does.

    Raises:
        RateCardError: the card has no price (or no MMS price) for a destination
            used, prices one in
            another currency than its own (amounts in two currencies cannot be added),
            or has no bundle called ``bundle``.
        ConfigurationError: a bundle without a rate card; a ``toll_free_country``
            that is not a +1 country; a ``sender`` that is
            neither text nor a :class:`SenderProfile`, or a number written
            without its country code (a ``+`` number is read as E.164); ``since``
            or ``until`` not an aware datetime, or ``until`` before ``since``.
    """
    sender = sending_id(sender)
    _aware(since, "since")
    _aware(until, "until")
    if since > until:  # swapped arguments read as an empty window: a bill of 0
        raise ConfigurationError(
            f"until ({until.isoformat()}) is before since ({since.isoformat()}); "
            "pass the start of the period as since",
            field="until",
        )
    if rates is not None and not isinstance(rates, RateCard):
        raise ConfigurationError(
            f"rates must be a RateCard (RateCard.load(path) reads a file), not "
            f"{type(rates).__name__}",
            field="rates",
        )
    if bundle is not None and rates is None:
        raise ConfigurationError("a bundle needs the rate card that defines it", field="bundle")
    stated = toll_free_country_option(toll_free_country)
    chosen = rates.bundle(bundle) if rates is not None and bundle is not None else None
    assumed = 0
    defaulted: set[str] = set()  # countries priced by the card's "*" rate
    messages = history.messages(since=since, until=until, sender=sender)
    counts = {d: [0, 0, 0] for d in Direction}  # messages, segments, mms
    cost = Decimal(0)
    currencies: dict[str, str] = {}  # currency: the first (country, route) priced in it
    drawn = 0
    # A message is counted once: an inbound webhook retried after a crash in the
    # auto-reply is recorded again, but the provider received (and billed) it once.
    seen: set[tuple[Direction, str]] = set()
    for message in messages:
        if message.provider_id is not None:
            if (message.direction, message.provider_id) in seen:
                continue
            seen.add((message.direction, message.provider_id))
        tally = counts[message.direction]
        tally[0] += 1
        if message.kind is MessageKind.MMS:
            tally[2] += 1
        else:
            tally[1] += message.segments
        if rates is None:
            continue
        country, guessed = _country(message, stated)
        assumed += guessed
        # In estimate()'s 60-digit context: a caller's (prec=4) rounded every sum.
        with localcontext(_MONEY):
            price, currency, priced_on = _price(rates, message, country)
            cost += price
        if country not in defaulted and priced_by_default(rates, country, message.route):
            defaulted.add(country)
        currencies.setdefault(currency, f"{country} is priced in {currency} on "
                                        f"{message.route.value}")
        if (
            chosen is not None
            and message.kind is MessageKind.SMS
            and (message.direction is Direction.OUTBOUND or inbound_from_bundle)
            # The route priced: a 10DLC bundle does not pay for an international text.
            and chosen.covers(country, priced_on)
        ):
            drawn += message.segments
    if len(currencies) > 1:
        # Added up, 0.02 CAD for Toronto made 0.01 USD read 0.03 USD.
        card = rates.currency if rates is not None else ""
        others = "; ".join(where for c, where in currencies.items() if c != card)
        raise RateCardError(
            f"{others}, the card in {card}: usage() "
            "adds up one currency; give a card that prices every country this sender "
            "texted in one currency"
        )
    out, into = counts[Direction.OUTBOUND], counts[Direction.INBOUND]
    size = chosen.segments if chosen is not None else 0
    return Usage(
        sender,
        since,
        until,
        out[0],
        into[0],
        out[1],
        into[1],
        out[2],
        into[2],
        cost if rates is not None else None,
        # One currency for every country texted (Toronto alone: CAD), else the card's.
        next(iter(currencies), rates.currency) if rates is not None else None,
        bundle,
        drawn,
        max(size - drawn, 0),
        max(drawn - size, 0),
        assumed,
        tuple(sorted(defaulted)),
    )
