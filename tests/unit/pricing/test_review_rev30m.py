"""Review rev30m: what a message costs, checked against values worked by hand.

A bundle bought for one route (10DLC) paid for a destination the card prices on
another (a UK number reached over 10DLC is priced at the card's GB international
rate): the bundle's 0.006 replaced the 0.0460 international price.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from smskit.messenger import MemoryMessageHistory, MessageRecord, usage
from smskit.pricing import Direction, RateCard, estimate

US = "+14155550123"
UK = "+447400123456"  # GB mobile
OURS = "+12125550199"
T0 = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)

# A 10DLC bundle with no country list: 100,000 segments for 600.00, 0.006 a segment.
ROUTE_BUNDLE = RateCard.from_dict({
    "currency": "USD",
    "countries": {
        "US": {"10dlc": {"sms_per_segment": "0.0079"}},
        "GB": {"international": {"sms_per_segment": "0.0460"}},
    },
    "bundles": [{"name": "10dlc-100k", "segments": 100000, "price": "600",
                 "routes": ["10dlc"]}],
})


def test_a_route_bundle_does_not_pay_for_a_destination_priced_internationally() -> None:
    # The UK number has no 10DLC price: the card prices it at GB international,
    # 1 segment x 0.0460, which a 10DLC bundle does not cover.
    uk = estimate("hello", rates=ROUTE_BUNDLE, to=UK, bundle="10dlc-100k")
    assert (uk.total, uk.bundles_needed) == (Decimal("0.0460"), 0)
    # The US number is on 10DLC: 600 / 100000 = 0.006 a segment, from the bundle.
    us = estimate("hello", rates=ROUTE_BUNDLE, to=US, bundle="10dlc-100k")
    assert (us.total, us.bundles_needed) == (Decimal("0.006"), 1)
    both = estimate("hello", rates=ROUTE_BUNDLE, recipients=[{"number": US}, {"number": UK}],
                    bundle="10dlc-100k")
    # 0.006 + 0.0460 = 0.0520; the price of a part differs by destination.
    assert (both.total, both.cost_per_part) == (Decimal("0.0520"), None)


def test_usage_draws_a_route_bundle_only_for_segments_priced_on_that_route() -> None:
    history = MemoryMessageHistory()
    for n, contact in enumerate((US, UK)):
        history.record_message(MessageRecord(
            Direction.OUTBOUND, OURS, contact, T0, 2, provider_id=f"m{n}"))
    used = usage(history, OURS, since=T0 - timedelta(days=1), until=T0,
                 rates=ROUTE_BUNDLE, bundle="10dlc-100k")
    # Only the US message's 2 segments come out of the 10DLC bundle; the UK one's 2
    # are international. Pay-as-you-go cost: 2 x 0.0079 + 2 x 0.0460 = 0.1078.
    assert (used.bundle_used, used.bundle_left) == (2, 99998)
    assert used.cost == Decimal("0.1078")

