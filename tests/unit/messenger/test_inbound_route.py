"""A reply is priced on the route of the number it reached.

A clinic texting from a toll-free number gets its patients' "C" and "R" replies on that
number; the history recorded every inbound message as 10DLC, so usage priced them at
the card's 10DLC inbound price (here 0.0079) where the toll-free one (0.0100) applies,
and a toll-free card with no inbound table, which bills nothing, was charged too.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from smskit.consent.sender import Registration, SenderProfile
from smskit.messenger import MemoryOutbox, Messenger
from smskit.pricing import RateCard
from smskit.routes import Route

from .conftest import ALICE, T0, build_rig

TOLL_FREE = "+18885550100"
CARD = RateCard.from_dict({
    "currency": "USD",
    "countries": {"US": {
        "10dlc": {"sms_per_segment": "0.0079", "inbound": {"sms_per_segment": "0.0079"}},
        "toll_free": {"sms_per_segment": "0.0083", "inbound": {"sms_per_segment": "0.0100"}},
        "short_code": {"sms_per_segment": "0.0075"},  # no inbound table: replies cost 0
    }},
})


def _usage_of_one_reply(route: Route, number: str) -> Decimal | None:
    rig = build_rig()
    profile = SenderProfile(sender_id=number, route=route, consent_scope="acme",
                            registration=Registration.APPROVED, brand="Acme")
    messenger = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                          MemoryOutbox(), senders=[rig.sender, profile])
    messenger.handle_inbound("u", rig.provider.inbound_params(ALICE, number, "C"), {}, T0)
    used = messenger.usage(profile, since=T0 - timedelta(hours=1), until=T0, rates=CARD)
    assert (used.messages_in, used.segments_in) == (1, 1)
    return used.cost


def test_a_reply_to_a_toll_free_number_is_priced_as_toll_free() -> None:
    assert _usage_of_one_reply(Route.TOLL_FREE, TOLL_FREE) == Decimal("0.0100")


def test_a_reply_to_a_short_code_route_without_inbound_prices_costs_nothing() -> None:
    assert _usage_of_one_reply(Route.SHORT_CODE, "55501") == Decimal("0")


def test_a_reply_to_a_10dlc_number_is_priced_as_before() -> None:
    assert _usage_of_one_reply(Route.TEN_DLC, "+12125550188") == Decimal("0.0079")


def test_a_reply_from_abroad_is_priced_in_the_country_of_our_number() -> None:
    # Twilio prices receiving by the country (and type) of its number: "inbound_sms_prices
    # ... the price to receive an inbound SMS to the different Twilio phone number types
    # supported in this country" (https://www.twilio.com/docs/sms/api/pricing). A
    # Toronto patient's "C" to a New York clinic was priced on the card's Canadian
    # table, which bills no inbound: 0 where 0.0079 is paid.
    card = RateCard.from_dict({
        "currency": "USD",
        "countries": {
            "US": {"10dlc": {"sms_per_segment": "0.0079",
                             "inbound": {"sms_per_segment": "0.0079"}}},
            "CA": {"10dlc": {"sms_per_segment": "0.0079"}},
            "GB": {"international": {"sms_per_segment": "0.0460",
                                     "inbound": {"sms_per_segment": "0.0100"}}},
        },
    })
    rig = build_rig()
    for number in ("+14165550188", "+447400123456"):
        rig.messenger.handle_inbound(
            "u", rig.provider.inbound_params(number, rig.sender.sender_id, "C"), {}, T0
        )
    used = rig.messenger.usage(rig.sender, since=T0 - timedelta(hours=1), until=T0, rates=card)
    assert used.messages_in == 2
    assert used.cost == Decimal("0.0158")


def test_a_reply_to_a_toll_free_number_missing_from_senders_is_priced_as_toll_free() -> None:
    # A Messaging Service's new pool number, not (yet) in senders=: its +1 8XX form says
    # toll-free; the history recorded 10DLC, priced at 0.0079 where 0.0100 applies.
    rig = build_rig()
    rig.messenger.handle_inbound("u", rig.provider.inbound_params(ALICE, TOLL_FREE, "C"), {}, T0)
    profile = SenderProfile(sender_id=TOLL_FREE, route=Route.TOLL_FREE, consent_scope="acme",
                            registration=Registration.VERIFIED, brand="Acme")
    used = rig.messenger.usage(profile, since=T0 - timedelta(hours=1), until=T0, rates=CARD)
    assert (used.messages_in, used.cost) == (1, Decimal("0.0100"))
