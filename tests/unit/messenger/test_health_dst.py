"""The health window is 24 hours of real time, also when ``at`` is a local time
just after a daylight-saving change (wall-clock arithmetic would make it 25 or
23), and a naive ``at`` is refused with a ``ConfigurationError``, not a ``TypeError``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from smskit.errors import ConfigurationError
from smskit.messenger import (
    DeliveryRecord,
    MemoryMessageHistory,
    MessageRecord,
    SQLiteMessageHistory,
    SuppressionPolicy,
    sender_health,
)
from smskit.pricing import Direction

NEW_YORK = ZoneInfo("America/New_York")
# Sunday 2026-11-01, noon EST: clocks went back an hour at 02:00 that morning.
AT = datetime(2026, 11, 1, 12, 0, tzinfo=NEW_YORK)
OURS = "+12125550199"


def _sent(history: MemoryMessageHistory, hours_before: float, n: int) -> None:
    history.record_message(MessageRecord(
        Direction.OUTBOUND, OURS, f"+1212555{n:04d}",
        AT.astimezone(UTC) - timedelta(hours=hours_before), 1, provider_id=f"SM{n}",
    ))


def test_the_window_before_a_local_time_after_the_fall_back_is_24_real_hours() -> None:
    history = MemoryMessageHistory()
    _sent(history, 23.5, 1)  # inside
    _sent(history, 24.5, 2)  # outside: 24.5 real hours before (23.5 on the wall clock)
    health = sender_health(history, OURS, AT)
    assert health.sent == 1
    assert AT.astimezone(UTC) - health.since.astimezone(UTC) == timedelta(hours=24)


def test_suppression_counts_failures_over_real_time_too() -> None:
    history = MemoryMessageHistory()
    contact = "+12125550123"
    for n, hours in enumerate((23.5, 24.5)):
        history.record_delivery(DeliveryRecord(
            f"SM{n}", OURS, contact, AT.astimezone(UTC) - timedelta(hours=hours), "undelivered",
            "invalid_number",
        ))
    policy = SuppressionPolicy(history, after=2, window=timedelta(hours=24))
    assert policy.failures(contact, AT) == 1


def test_a_naive_time_is_a_configuration_error_not_a_type_error() -> None:
    history = MemoryMessageHistory()
    with pytest.raises(ConfigurationError, match="at must be an aware datetime"):
        sender_health(history, OURS, AT.replace(tzinfo=None))
    with pytest.raises(ConfigurationError, match="at must be an aware datetime"):
        SuppressionPolicy(history).failures("+12125550123", AT.replace(tzinfo=None))


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_delivery_between_failures_starts_the_count_again(kind: str, tmp_path: Path) -> None:
    # user31: a customer's phone off on a trip failed a reminder and a tech-on-the-way
    # (unreachable), the review request a week later was delivered, then one more
    # failure: three "unreachable" in 90 days suppressed the number, though the
    # delivery showed it works, and every later text (transactional too) was blocked
    # with "fix the number". A number that "kept failing" fails with no delivery between.
    history: MemoryMessageHistory | SQLiteMessageHistory = (
        MemoryMessageHistory() if kind == "memory" else SQLiteMessageHistory(tmp_path / "h.db")
    )
    contact = "+12125550123"
    start = AT.astimezone(UTC) - timedelta(days=30)
    reports = [("SM1", 0, "undelivered", "unreachable"), ("SM2", 1, "undelivered", "unreachable"),
               ("SM3", 7, "delivered", None), ("SM4", 20, "undelivered", "unreachable")]
    try:
        for sid, days, status, category in reports:
            history.record_delivery(DeliveryRecord(
                sid, OURS, contact, start + timedelta(days=days), status, category
            ))
        policy = SuppressionPolicy(history, after=3)
        assert policy.failures(contact, AT) == 1
        assert not policy.suppressed(contact, AT)
        for sid, days in (("SM5", 21), ("SM6", 22)):
            history.record_delivery(DeliveryRecord(
                sid, OURS, contact, start + timedelta(days=days), "undelivered", "unreachable"
            ))
        assert policy.failures(contact, AT) == 3
        assert policy.suppressed(contact, AT)
    finally:
        if isinstance(history, SQLiteMessageHistory):
            history.close()


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_late_delivered_report_for_an_older_message_clears_no_later_failure(
    kind: str, tmp_path: Path
) -> None:
    # rev28u: a delivered report arrives late (a webhook retried after an outage, a
    # carrier's slow receipt) for a message sent before three that failed since. It
    # says the number worked then, not now: those failures still count. A message is
    # placed by its first report (Twilio reports "sent" as it leaves), not its last.
    history: MemoryMessageHistory | SQLiteMessageHistory = (
        MemoryMessageHistory() if kind == "memory" else SQLiteMessageHistory(tmp_path / "h.db")
    )
    contact = "+12125550123"
    start = AT.astimezone(UTC) - timedelta(days=30)
    reports = [("SM1", 0, "sent", None),
               ("SM2", 1, "sent", None), ("SM2", 1, "undelivered", "unreachable"),
               ("SM3", 2, "undelivered", "unreachable"), ("SM4", 3, "undelivered", "unreachable"),
               ("SM1", 4, "delivered", None)]
    try:
        for sid, days, status, category in reports:
            history.record_delivery(DeliveryRecord(
                sid, OURS, contact, start + timedelta(days=days), status, category
            ))
        policy = SuppressionPolicy(history, after=3)
        assert policy.failures(contact, AT) == 3
        assert policy.suppressed(contact, AT)
        # A message sent after the failures and delivered does clear them.
        history.record_delivery(DeliveryRecord(
            "SM5", OURS, contact, start + timedelta(days=5), "sent", None
        ))
        history.record_delivery(DeliveryRecord(
            "SM5", OURS, contact, start + timedelta(days=6), "read", None
        ))
        assert policy.failures(contact, AT) == 0
    finally:
        if isinstance(history, SQLiteMessageHistory):
            history.close()


def test_the_reset_on_delivery_is_a_default_that_can_be_turned_off() -> None:
    # rev28u: the reset is smskit's choice, not a provider's rule: a sender that wants
    # every failure in the window counted, delivered messages between or not, says so.
    history = MemoryMessageHistory()
    contact = "+12125550123"
    start = AT.astimezone(UTC) - timedelta(days=30)
    for sid, days, status, category in [
        ("SM1", 0, "undelivered", "unreachable"), ("SM2", 1, "delivered", None),
        ("SM3", 2, "undelivered", "unreachable"),
    ]:
        history.record_delivery(DeliveryRecord(
            sid, OURS, contact, start + timedelta(days=days), status, category
        ))
    assert SuppressionPolicy(history).failures(contact, AT) == 1
    assert SuppressionPolicy(history, reset_on_delivery=False).failures(contact, AT) == 2
    with pytest.raises(ConfigurationError, match="reset_on_delivery"):
        SuppressionPolicy(history, reset_on_delivery="no")  # type: ignore[arg-type]
