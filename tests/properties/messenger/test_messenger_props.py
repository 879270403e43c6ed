"""Properties of the outbox state machine, delivery health and usage."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from smskit.errors import StoreError
from smskit.messenger import (
    DeliveryRecord,
    MemoryMessageHistory,
    MemoryOutbox,
    MessageRecord,
    Outbox,
    OutboxEntry,
    OutboxState,
    SQLiteOutbox,
    sender_health,
    usage,
)
from smskit.pricing import Direction

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
KEYS = st.sampled_from(["a", "b", "c"])
STATES = st.sampled_from(list(OutboxState))
OPS = st.lists(
    st.one_of(
        st.tuples(st.just("reserve"), KEYS, STATES, st.integers(0, 120)),
        st.tuples(st.just("update"), KEYS, STATES, st.integers(0, 120)),
    ),
    max_size=25,
)


def _apply(outbox: Outbox, ops: list[tuple[str, str, OutboxState, int]]) -> list[object]:
    seen: list[object] = []
    for op, key, state, minutes in ops:
        at = T0 + timedelta(minutes=minutes)
        if op == "reserve":
            entry = OutboxEntry(key, "+13055550123", "S", state, at, at, not_before=at)
            stored, created = outbox.reserve(entry)
            seen.append((stored.state, created))
        else:
            try:
                seen.append(outbox.update(key, state, at=at, attempted=minutes % 2 == 0).state)
            except StoreError as exc:
                seen.append(type(exc))
    seen.append(tuple(e.key for e in outbox.unresolved()))
    seen.append(tuple(e.key for e in outbox.due(T0 + timedelta(minutes=60))))
    return seen


@given(OPS)
def test_memory_and_sqlite_outboxes_agree_on_any_sequence(
    ops: list[tuple[str, str, OutboxState, int]],
) -> None:
    # An in-memory SQLite database runs the same SQL without a file sync per change.
    with SQLiteOutbox(":memory:") as durable:
        assert _apply(MemoryOutbox(), ops) == _apply(durable, ops)


@given(OPS)
def test_final_states_stay_final(ops: list[tuple[str, str, OutboxState, int]]) -> None:
    outbox = MemoryOutbox()
    finals: dict[str, OutboxState] = {}
    for op, key, state, minutes in ops:
        at = T0 + timedelta(minutes=minutes)
        if op == "reserve":
            outbox.reserve(OutboxEntry(key, "+13055550123", "S", state, at, at))
        else:
            with contextlib.suppress(StoreError):
                outbox.update(key, state, at=at)
        entry = outbox.get(key)
        if key in finals:
            assert entry is not None
            assert entry.state is finals[key]
        elif entry is not None and entry.state in (OutboxState.SENT, OutboxState.FAILED):
            finals[key] = entry.state


CONTACTS = st.sampled_from([f"+1305555{i:04d}" for i in range(30)])
MESSAGES = st.lists(
    st.tuples(st.booleans(), CONTACTS, st.integers(0, 1500), st.integers(0, 4),
              st.sampled_from([None, "opt_out", "help"])),
    max_size=60,
)
REPORTS = st.lists(
    st.tuples(CONTACTS, st.integers(0, 1500),
              st.sampled_from(["delivered", "undelivered", "failed"]),
              st.sampled_from([None, "invalid_number", "unsubscribed", "filtered"]),
              st.sampled_from([None, "30026", "30027", "30006"])),
    max_size=30,
)


def _history(
    messages: list[tuple[bool, str, int, int, str | None]],
    reports: list[tuple[str, int, str, str | None, str | None]],
) -> MemoryMessageHistory:
    history = MemoryMessageHistory()
    for outbound, contact, minutes, segments, reply in messages:
        history.record_message(MessageRecord(
            Direction.OUTBOUND if outbound else Direction.INBOUND, "S", contact,
            T0 + timedelta(minutes=minutes), segments, reply=None if outbound else reply,
        ))
    for i, (contact, minutes, status, category, code) in enumerate(reports):
        history.record_delivery(DeliveryRecord(
            f"SM{i}", "S", contact, T0 + timedelta(minutes=minutes), status, category, code,
        ))
    return history


@given(MESSAGES, REPORTS, st.randoms(use_true_random=False))
def test_health_never_raises_stays_in_range_and_ignores_insertion_order(
    messages: list[tuple[bool, str, int, int, str | None]],
    reports: list[tuple[str, int, str, str | None, str | None]],
    random: object,
) -> None:
    at = T0 + timedelta(hours=25)
    one = sender_health(_history(messages, reports), "S", at)
    shuffled_messages, shuffled_reports = list(messages), list(reports)
    random.shuffle(shuffled_messages)  # type: ignore[attr-defined]
    random.shuffle(shuffled_reports)  # type: ignore[attr-defined]
    two = sender_health(_history(shuffled_messages, shuffled_reports), "S", at)
    assert (one.recipients, one.opted_out, one.sent, dict(one.failures), one.findings) == (
        two.recipients, two.opted_out, two.sent, dict(two.failures), two.findings
    )
    assert one.opted_out <= 30
    assert one.recipients <= 30
    assert Decimal(0) <= one.error_rate
    halted_by_cap = any(c == "30027" and m > 60 for _, m, _, _, c in reports)
    if halted_by_cap:
        assert one.halted


@given(MESSAGES)
def test_usage_segments_are_the_sum_of_the_records(
    messages: list[tuple[bool, str, int, int, str | None]],
) -> None:
    found = usage(_history(messages, []), "S", since=T0 - timedelta(1), until=T0 + timedelta(2))
    assert found.segments_out == sum(s for out, _, _, s, _ in messages if out)
    assert found.segments_in == sum(s for out, _, _, s, _ in messages if not out)
    assert found.messages_out + found.messages_in == len(messages)
