"""``usage`` refuses to add amounts in two currencies (user32).

A card may price a country in its own currency. ``usage`` added 0.0200 CAD for a
Toronto text to 0.0109 USD for a New York one and reported 0.0309 USD.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from smskit.errors import RateCardError
from smskit.policy import SendRequest
from smskit.pricing import RateCard

from .conftest import ALICE, OURS, T0, Rig, consent

TORONTO = "+14165550199"
CARD = RateCard.from_dict({
    "currency": "USD",
    "countries": {
        "US": {"10dlc": {"sms_per_segment": "0.0079", "sms_carrier_fee_per_segment": "0.0030"}},
        "CA": {"currency": "CAD", "10dlc": {"sms_per_segment": "0.0200"}},
    },
})
DAY = timedelta(days=1)


def _send(rig: Rig, number: str, key: str) -> None:
    consent(rig, number)
    request = SendRequest(number, body="Acme: rates dropped. Reply STOP to opt out",
                          idempotency_key=key)
    assert rig.messenger.send(request, rig.sender, T0).outcome.value == "sent"


def test_a_country_priced_in_another_currency_is_refused_not_added(rig: Rig) -> None:
    _send(rig, ALICE, "k1")
    assert rig.messenger.usage(OURS, since=T0 - DAY, until=T0, rates=CARD).cost == Decimal(
        "0.0109"
    )
    _send(rig, TORONTO, "k2")
    with pytest.raises(RateCardError, match=r"CA is priced in CAD on 10dlc, the card in USD"):
        rig.messenger.usage(OURS, since=T0 - DAY, until=T0, rates=CARD)


def test_a_sender_texting_only_the_other_currencys_country_gets_its_cost(rig: Rig) -> None:
    # rev28v: one currency is no mix: Toronto alone is 0.0200 CAD, as estimate() says,
    # not a RateCardError (user32) nor 0.0200 labelled USD (before).
    _send(rig, TORONTO, "k2")
    used = rig.messenger.usage(OURS, since=T0 - DAY, until=T0, rates=CARD)
    assert (used.cost, used.currency) == (Decimal("0.0200"), "CAD")
