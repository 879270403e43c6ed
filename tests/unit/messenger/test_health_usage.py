"""Delivery health and usage over a hand-built history (expected values by hand)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from smskit.errors import ConfigurationError
from smskit.findings import Severity
from smskit.messenger import DeliveryRecord, MemoryMessageHistory, MessageRecord
from smskit.messenger.health import HealthThresholds, sender_health
from smskit.messenger.usage import usage
from smskit.pricing import Direction, MessageKind, RateCard
from smskit.purpose import Purpose

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
US = "+18005550100"


def _contact(i: int) -> str:
    return f"+1305555{i:04d}"


def _out(
    history: MemoryMessageHistory,
    i: int,
    minutes: int = 0,
    segments: int = 1,
    kind: MessageKind = MessageKind.SMS,
    contact: str | None = None,
) -> None:
    history.record_message(
        MessageRecord(
            Direction.OUTBOUND,
            US,
            contact or _contact(i),
            T0 + timedelta(minutes=minutes),
            segments,
            kind,
            purpose=Purpose.MARKETING,
            provider_id=f"SM{i}",  # as the messenger records it (the receipt's id)
        )
    )


def _stop(history: MemoryMessageHistory, i: int, minutes: int = 1) -> None:
    history.record_message(
        MessageRecord(
            Direction.INBOUND,
            US,
            _contact(i),
            T0 + timedelta(minutes=minutes),
            1,
            reply="opt_out",
        )
    )


def test_opt_out_rate_counts_unique_people_and_halts_at_five_percent() -> None:
    history = MemoryMessageHistory()
    for i in range(40):
        _out(history, i)
    _stop(history, 1)
    _stop(history, 1, minutes=2)  # the same person twice counts once
    health = sender_health(history, US, T0 + timedelta(hours=1))
    assert (health.recipients, health.opted_out) == (40, 1)
    assert health.opt_out_rate == Decimal("0.025")
    assert [f.code for f in health.findings] == ["health.opt_out_rate_warning"]
    assert health.findings[0].details["status"] == "unverified"
    assert not health.halted
    history.record_delivery(
        DeliveryRecord(
            "SM9",
            US,
            _contact(2),
            T0 + timedelta(minutes=3),
            "undelivered",
            "unsubscribed",
            "21610",
        )
    )
    health = sender_health(history, US, T0 + timedelta(hours=1))
    assert health.opted_out == 2  # 2/40 = 5%: the halt threshold
    assert health.halted
    assert [f.severity for f in health.findings] == [Severity.DEFER]


def test_the_window_rolls_and_small_samples_are_not_judged() -> None:
    history = MemoryMessageHistory()
    for i in range(5):
        _out(history, i)
    _stop(history, 0)
    assert sender_health(history, US, T0 + timedelta(hours=1)).findings == ()  # 5 < 20
    for i in range(5, 40):
        _out(history, i)
    assert sender_health(history, US, T0 + timedelta(hours=1)).halted is False
    later = sender_health(history, US, T0 + timedelta(hours=25))
    assert (later.recipients, later.opted_out, later.findings) == (0, 0, ())


def test_error_rate_by_category_and_early_warning_30026_at_once() -> None:
    history = MemoryMessageHistory()
    for i in range(3):
        _out(history, i)
    history.record_delivery(
        DeliveryRecord(
            "SM1",
            US,
            _contact(0),
            T0 + timedelta(minutes=2),
            "undelivered",
            "invalid_number",
            "30006",
        )
    )
    history.record_delivery(
        DeliveryRecord(
            "SM2", US, _contact(1), T0 + timedelta(minutes=2), "delivered", None, "30026"
        )
    )
    health = sender_health(history, US, T0 + timedelta(hours=1))
    assert dict(health.failures) == {"invalid_number": 1}
    assert health.error_rate == Decimal(1) / 3
    # Only three recipients: no rate finding, but the provider warning is raised at once.
    assert [(f.code, f.severity) for f in health.findings] == [
        ("health.daily_cap_warning", Severity.WARNING)
    ]


def test_thresholds_are_validated() -> None:
    with pytest.raises(ConfigurationError, match="Decimal"):
        HealthThresholds(opt_out_warn=0.02)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="exceed"):
        HealthThresholds(opt_out_warn=Decimal("0.1"), opt_out_halt=Decimal("0.05"))


CARD = RateCard.from_toml("""
currency = "USD"
[countries.US.10dlc]
sms_per_segment = "0.0079"
sms_carrier_fee_per_segment = "0.0030"
mms_per_message = "0.0200"
[countries.US.10dlc.inbound]
sms_per_segment = "0.0079"
[[bundles]]
name = "us-10"
segments = 10
price = "0.15"
countries = ["US"]
""")


def test_usage_counts_segments_both_ways_and_prices_them() -> None:
    history = MemoryMessageHistory()
    _out(history, 0, segments=3)
    _out(history, 1, segments=1)
    _out(history, 2, kind=MessageKind.MMS, segments=0)
    _stop(history, 0)
    found = usage(
        history, US, since=T0 - timedelta(days=1), until=T0 + timedelta(days=1), rates=CARD
    )
    assert (found.messages_out, found.segments_out, found.mms_out) == (3, 4, 1)
    assert (found.messages_in, found.segments_in) == (1, 1)
    # 4 x (0.0079 + 0.0030) + 0.0200 + 1 x 0.0079 inbound
    assert found.cost == Decimal("0.0715")
    assert found.currency == "USD"


def test_usage_draws_bundles_down_with_inbound_only_when_configured() -> None:
    history = MemoryMessageHistory()
    for i in range(4):
        _out(history, i, segments=3)
    _stop(history, 0)
    window = {"since": T0 - timedelta(days=1), "until": T0 + timedelta(days=1)}
    out_only = usage(history, US, **window, rates=CARD, bundle="us-10")  # type: ignore[arg-type]
    assert (out_only.bundle_used, out_only.bundle_left, out_only.bundle_overage) == (12, 0, 2)
    both = usage(
        history,
        US,
        **window,
        rates=CARD,
        bundle="us-10",  # type: ignore[arg-type]
        inbound_from_bundle=True,
    )
    assert (both.bundle_used, both.bundle_overage) == (13, 3)
    assert usage(history, "other", **window).messages_out == 0  # type: ignore[arg-type]
