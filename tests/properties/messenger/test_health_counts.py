"""Delivery health equals a brute-force count by message, and its rates stay in [0, 1].

Any sequence of outbound messages, replies and delivery reports (reports
retried, repeated, for messages sent before the window, or for messages the
provider refused and so never recorded as sent) is counted against a plain
re-count written here from the definitions in docs/messenger.md.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from smskit.messenger import (
    DeliveryRecord,
    MemoryMessageHistory,
    MessageRecord,
    SuppressionPolicy,
    sender_health,
)
from smskit.pricing import Direction

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
AT = T0 + timedelta(hours=25)
SINCE = AT - timedelta(hours=24)
PEOPLE = [f"+1305555{i:04d}" for i in range(6)]
# A message id belongs to one person, as at a provider.
IDS = st.integers(0, 9)
MINUTES = st.integers(0, 1500)  # before, inside and at the edges of the window
OUTBOUND = st.lists(st.tuples(st.one_of(st.none(), IDS), MINUTES), max_size=20)
REPLIES = st.lists(
    st.tuples(st.integers(0, 5), MINUTES, st.sampled_from([None, "opt_out", "help"])), max_size=10
)
REPORTS = st.lists(
    st.tuples(
        IDS,
        MINUTES,
        st.sampled_from(["delivered", "undelivered", "failed", "sent"]),
        st.sampled_from([None, "invalid_number", "unsubscribed", "unreachable"]),
        st.integers(1, 3),  # times recorded: a retried webhook is recorded again
    ),
    max_size=20,
)


def _person(message_id: int) -> str:
    return PEOPLE[message_id % len(PEOPLE)]


def _in_window(minutes: int) -> bool:
    at = T0 + timedelta(minutes=minutes)
    return SINCE < at <= AT


def _history(
    outbound: list[tuple[int | None, int]],
    replies: list[tuple[int, int, str | None]],
    reports: list[tuple[int, int, str, str | None, int]],
) -> MemoryMessageHistory:
    history = MemoryMessageHistory()
    for n, (mid, minutes) in enumerate(outbound):
        history.record_message(MessageRecord(
            Direction.OUTBOUND, "S", _person(mid if mid is not None else n),
            T0 + timedelta(minutes=minutes), 1,
            provider_id=None if mid is None else f"SM{mid}",
        ))
    for person, minutes, reply in replies:
        history.record_message(MessageRecord(
            Direction.INBOUND, "S", PEOPLE[person], T0 + timedelta(minutes=minutes), 1, reply=reply,
        ))
    for mid, minutes, status, category, times in reports:
        for _ in range(times):
            history.record_delivery(DeliveryRecord(
                f"SM{mid}", "S", _person(mid), T0 + timedelta(minutes=minutes), status, category,
            ))
    return history


@given(OUTBOUND, REPLIES, REPORTS)
def test_health_equals_a_count_by_message_and_rates_are_fractions(
    outbound: list[tuple[int | None, int]],
    replies: list[tuple[int, int, str | None]],
    reports: list[tuple[int, int, str, str | None, int]],
) -> None:
    health = sender_health(_history(outbound, replies, reports), "S", AT)

    # The brute-force count, message by message.
    messages: dict[str, str] = {}  # message -> person
    for n, (mid, minutes) in enumerate(outbound):
        if _in_window(minutes):
            if mid is None:
                messages[f"alone{n}"] = _person(n)
            else:
                messages[f"SM{mid}"] = _person(mid)
    latest: dict[str, tuple[int, str]] = {}  # failed message -> (minutes, category)
    for mid, minutes, status, category, _ in reports:
        if _in_window(minutes) and status in ("failed", "undelivered"):
            mine = (minutes, category or "")
            if f"SM{mid}" not in latest or mine > latest[f"SM{mid}"]:
                latest[f"SM{mid}"] = mine
            messages[f"SM{mid}"] = _person(mid)
    people = set(messages.values())
    stopped = {
        PEOPLE[p] for p, minutes, reply in replies if reply == "opt_out" and _in_window(minutes)
    }
    stopped |= {
        _person(mid) for mid, minutes, _, category, _ in reports
        if category == "unsubscribed" and _in_window(minutes)
    }
    by_category: dict[str, int] = {}
    for _, category in latest.values():
        by_category[category or "unknown"] = by_category.get(category or "unknown", 0) + 1

    assert health.sent == len(messages)
    assert health.recipients == len(people)
    assert health.opted_out == len(stopped & people)
    assert dict(health.failures) == by_category
    assert sum(health.failures.values()) == len(latest)
    assert Decimal(0) <= health.opt_out_rate <= Decimal(1)
    assert Decimal(0) <= health.error_rate <= Decimal(1)
    if messages:
        assert health.error_rate == Decimal(len(latest)) / len(messages)
    if people:
        assert health.opt_out_rate == Decimal(len(stopped & people)) / len(people)


@given(REPORTS)
def test_suppression_counts_each_failed_message_once(
    reports: list[tuple[int, int, str, str | None, int]],
) -> None:
    history = _history([], [], reports)
    policy = SuppressionPolicy(history, after=1, window=timedelta(days=90))
    for person in PEOPLE:
        # Oldest first (ties in the order recorded); only failures of messages first
        # reported after the first report of the person's last delivered or read
        # message count (user31; placed by first report, rev28u).
        theirs = sorted(
            ((minutes, n, mid, status, category)
             for n, (mid, minutes, status, category, _) in enumerate(reports)
             if _person(mid) == person),
        )
        first: dict[int, tuple[int, int]] = {}
        for minutes, n, mid, _, _ in theirs:
            first.setdefault(mid, (minutes, n))
        reached = max(
            (first[mid] for _, _, mid, status, _ in theirs if status in ("delivered", "read")),
            default=(-1, -1),
        )
        expected = {
            mid for _, _, mid, _, category in theirs
            if category in ("invalid_number", "unreachable") and first[mid] > reached
        }
        assert policy.failures(person, AT) == len(expected)
