"""The three message histories read alike: one random sequence of writes on memory,
SQLite and PostgreSQL (the real server) gives the same answers to every read, its
windows' bounds on recorded instants, its ties, filters and zones (review rev29p)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import _services
from smskit.messenger import (
    DeliveryRecord,
    MemoryMessageHistory,
    MessageHistory,
    MessageRecord,
    SQLiteMessageHistory,
)
from smskit.pricing import Direction, MessageKind
from smskit.purpose import Purpose
from smskit.routes import Route

psycopg = _services.require_module("psycopg", "postgres")

# 01:00-02:00 on 1 November 2026 happens twice in New York: fold picks the hour.
BASE = datetime(2026, 11, 1, 5, 0, tzinfo=UTC)
ZONES = (UTC, timezone(timedelta(hours=5, minutes=30)), ZoneInfo("America/New_York"))
SENDERS = ("+18005550100", "+18005550101", "MGabc", "mgabc")  # case is a different sender
CONTACTS = ("+13055550123", "+12125550123")
# Few instants, so that ties are common and a window's bounds fall on recorded ones.
MINUTES = (0, 60, 61)
EVER = (BASE - timedelta(days=1), BASE + timedelta(days=1))

instants = st.builds(
    lambda minutes, micros, zone, fold: (
        BASE + timedelta(minutes=minutes, microseconds=micros)
    ).astimezone(zone).replace(fold=fold),
    st.sampled_from(MINUTES), st.sampled_from((0, 1)), st.sampled_from(ZONES),
    st.integers(0, 1),
)
texts = st.none() | st.sampled_from(("a", "A", "o'clock; --", "é"))
costs = st.none() | st.sampled_from(
    [Decimal(v) for v in ("0.0079", "1E+2", "-0", "0E-10", "123456789012345678901.5")]
)
messages = st.builds(
    MessageRecord,
    direction=st.sampled_from(Direction),
    sender=st.sampled_from(SENDERS),
    contact=st.sampled_from(CONTACTS),
    at=instants,
    segments=st.integers(0, 3),
    kind=st.sampled_from(MessageKind),
    route=st.sampled_from(Route),
    purpose=st.none() | st.sampled_from(Purpose),
    subject=texts,
    provider_id=texts,
    key=texts,
    reply=st.none() | st.sampled_from(("opt_out", "help")),
    cost=costs,
    currency=st.none() | st.just("USD"),
)
deliveries = st.builds(
    DeliveryRecord,
    provider_id=st.sampled_from(("SM1", "SM2")),
    sender=st.sampled_from(SENDERS),
    contact=st.sampled_from(CONTACTS),
    at=instants,
    status=st.sampled_from(("delivered", "undelivered")),
    category=texts,
    code=texts,
)
webhooks = st.tuples(st.sampled_from(("SM1:received", "sm1:received", "SM2")), instants)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("message"), messages),
        st.tuples(st.just("delivery"), deliveries),
        st.tuples(st.just("webhook"), webhooks),
    ),
    min_size=4,
    max_size=12,
)
reads = st.tuples(
    instants | st.just(EVER[0]), instants | st.just(EVER[1]), st.none() | st.sampled_from(SENDERS),
    st.none() | st.sampled_from(Direction), st.none() | st.sampled_from(CONTACTS),
)


def _message(m: MessageRecord) -> tuple[object, ...]:
    # The instant as UTC and the cost as its text: Decimal equality would take
    # 1E+2 for 100 and -0 for 0, which a store that renormalised would get past.
    return (m.direction, m.sender, m.contact, m.at.astimezone(UTC), m.segments, m.kind,
            m.route, m.purpose, m.subject, m.provider_id, m.key, m.reply,
            None if m.cost is None else str(m.cost), m.currency)


def _delivery(d: DeliveryRecord) -> tuple[object, ...]:
    return (d.provider_id, d.sender, d.contact, d.at.astimezone(UTC), d.status, d.category,
            d.code)


def _bounded(ops: list[Any], windows: list[Any]) -> list[Any]:
    """``windows``, and two with a bound on the first recorded instant: ``(since,
    until]`` holds it as ``until``, not as ``since``."""
    op, value = ops[0]
    at = value[1] if op == "webhook" else value.at
    return [*windows, (EVER[0], at, None, None, None), (at, EVER[1], None, None, None)]


def _answers(history: MessageHistory, ops: list[Any], windows: list[Any]) -> list[object]:
    out: list[object] = []
    for op, value in ops:
        if op == "message":
            history.record_message(value)
        elif op == "delivery":
            history.record_delivery(value)
        else:
            out.append(history.mark_processed(*value))
    for since, until, sender, direction, contact in _bounded(ops, windows):
        out.append([_message(m) for m in history.messages(
            since=since, until=until, sender=sender, direction=direction, contact=contact)])
        out.append([_delivery(d) for d in history.deliveries(
            since=since, until=until, sender=sender, contact=contact)])
        out.append(history.sent_at(since=since, until=until, recipient=contact, sender=sender))
    # Everything, in order: the ties of every instant recorded.
    out.append([_message(m) for m in history.messages(since=EVER[0], until=EVER[1])])
    out.append([_delivery(d) for d in history.deliveries(since=EVER[0], until=EVER[1])])
    out.append([history.processed(key) for key in ("SM1:received", "sm1:received", "SM2")])
    return out


@pytest.fixture
def postgres(postgres_dsn: str, pg_schema: str) -> Iterator[Any]:
    from smskit.messenger import PostgresMessageHistory

    with PostgresMessageHistory(postgres_dsn, schema=pg_schema) as history, \
            psycopg.connect(postgres_dsn, autocommit=True) as admin:
        history.create_schema()

        def fresh() -> Any:
            admin.execute(f'TRUNCATE "{pg_schema}".messages, "{pg_schema}".deliveries, '
                          f'"{pg_schema}".processed_webhooks, "{pg_schema}".send_history')
            return history

        yield fresh


# A few examples: each one is some thirty round trips to the server.
@settings(max_examples=max(3, settings().max_examples // 5),
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations, windows=st.lists(reads, min_size=1, max_size=3))
def test_memory_sqlite_and_postgres_answer_alike(
    postgres: Any, ops: list[Any], windows: list[Any],
) -> None:
    # An outbound message to a non-E.164 contact is refused alike; none is drawn here.
    expected = _answers(MemoryMessageHistory(), ops, windows)
    with SQLiteMessageHistory(":memory:") as sqlite:
        assert _answers(sqlite, ops, windows) == expected
    assert _answers(postgres(), ops, windows) == expected
