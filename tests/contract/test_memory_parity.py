"""The in-memory stores answer exactly as SQLite and PostgreSQL do (review rev31m).

``smskit.testing`` promises in-memory parts that behave like the real ones: a user
writes their tests against them and ships with SQLite or PostgreSQL. So a random
sequence of operations is applied to all three and the answers compared strictly:
the zone of every instant given back (by text, not by ``==``, which takes 01:30 EST
and 06:30 UTC for one instant, and is never true across zones in a repeated hour),
the type of every container, which keys a mapping holds, and what ``close`` leaves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import _services
from smskit.consent import (
    Channel,
    ConsentEvent,
    ConsentKind,
    ConsentScope,
    ConsentSource,
    EventKind,
    Evidence,
    MemoryStore,
    Purpose,
    SQLiteStore,
)
from smskit.errors import StoreError
from smskit.messenger import (
    DeliveryRecord,
    MemoryMessageHistory,
    MemoryOutbox,
    MessageRecord,
    OutboxEntry,
    OutboxState,
    SQLiteMessageHistory,
    SQLiteOutbox,
)
from smskit.pricing import Direction
from smskit.timing import MemorySendHistory, SendRecord, SQLiteSendHistory

psycopg = _services.require_module("psycopg", "postgres")

# 01:00-02:00 on 1 November 2026 happens twice in New York: fold picks the hour.
BASE = datetime(2026, 11, 1, 5, 0, tzinfo=UTC)
ZONES = (UTC, timezone(timedelta(hours=-3)), ZoneInfo("America/New_York"))
RECIPIENTS = ("+13055550123", "+12125550123")
SENDERS = ("+18005550100", "MGabc")
EVER = (BASE - timedelta(days=1), BASE + timedelta(days=1))

instants = st.builds(
    lambda minutes, zone, fold: (BASE + timedelta(minutes=minutes)).astimezone(zone)
    .replace(fold=fold),
    st.sampled_from((0, 30, 60, 90)), st.sampled_from(ZONES), st.integers(0, 1),
)


def _pg_schema_maker(postgres_dsn: str, pg_schema: str) -> Iterator[Callable[[], str]]:
    """A fresh schema per example (dropped at the end): examples share the fixture."""
    made: list[str] = []

    def fresh() -> str:
        made.append(f"{pg_schema}_{len(made)}")
        return made[-1]

    yield fresh
    with psycopg.connect(postgres_dsn, autocommit=True) as admin:
        for name in made:
            admin.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@pytest.fixture
def schemas(postgres_dsn: str, pg_schema: str) -> Iterator[Callable[[], str]]:
    yield from _pg_schema_maker(postgres_dsn, pg_schema)


FEW = settings(max_examples=max(3, settings().max_examples // 5),
               suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


# --- send history -------------------------------------------------------------------

sends = st.builds(
    SendRecord, recipient=st.sampled_from(RECIPIENTS), sender=st.sampled_from(SENDERS),
    at=instants, subject=st.none() | st.just("sale"),
)


def _record(r: SendRecord) -> tuple[object, ...]:
    return (r.recipient, r.sender, r.subject, r.purpose, r.at.isoformat())


def _send_answers(history: Any, ops: Sequence[SendRecord]) -> list[object]:
    for send in ops:
        history.record(send)
    asked = [*RECIPIENTS, RECIPIENTS[0], "+14155550123"]  # a repeat and a stranger
    out: list[object] = []
    for since, until in (EVER, (ops[0].at, EVER[1]), (EVER[1], EVER[1] + timedelta(days=1))):
        found = history.records_many(asked, since=since, until=until)
        out.append({k: (type(v).__name__, [_record(r) for r in v]) for k, v in found.items()})
        out.append([t.isoformat() for t in history.sent_at(since=since, until=until)])
    return out


@FEW
@given(ops=st.lists(sends, min_size=1, max_size=6))
def test_send_histories_answer_alike(
    schemas: Callable[[], str], postgres_dsn: str, ops: list[SendRecord]
) -> None:
    from smskit.timing import PostgresSendHistory

    expected = _send_answers(MemorySendHistory(), ops)
    with SQLiteSendHistory(":memory:") as sqlite:
        assert _send_answers(sqlite, ops) == expected
    with PostgresSendHistory(postgres_dsn, schema=schemas()) as pg:
        pg.create_schema()
        assert _send_answers(pg, ops) == expected


# --- message history ----------------------------------------------------------------

messages = st.builds(
    MessageRecord, direction=st.sampled_from(Direction), sender=st.sampled_from(SENDERS),
    contact=st.sampled_from(RECIPIENTS), at=instants, segments=st.integers(0, 2),
)
deliveries = st.builds(
    DeliveryRecord, provider_id=st.just("SM1"), sender=st.sampled_from(SENDERS),
    contact=st.sampled_from(RECIPIENTS), at=instants, status=st.just("delivered"),
)


def _history_answers(history: Any, ops: Sequence[Any]) -> list[object]:
    for op in ops:
        if isinstance(op, MessageRecord):
            history.record_message(op)
        else:
            history.record_delivery(op)
    return [
        [(m.direction, m.sender, m.contact, m.at.isoformat())
         for m in history.messages(since=EVER[0], until=EVER[1])],
        [(d.sender, d.contact, d.at.isoformat())
         for d in history.deliveries(since=EVER[0], until=EVER[1])],
        {k: (type(v).__name__, [_record(r) for r in v]) for k, v in history.records_many(
            RECIPIENTS, since=EVER[0], until=EVER[1]).items()},
    ]


@FEW
@given(ops=st.lists(messages | deliveries, min_size=1, max_size=6))
def test_message_histories_give_back_the_same_instants(
    schemas: Callable[[], str], postgres_dsn: str, ops: list[Any]
) -> None:
    from smskit.messenger import PostgresMessageHistory

    expected = _history_answers(MemoryMessageHistory(), ops)
    with SQLiteMessageHistory(":memory:") as sqlite:
        assert _history_answers(sqlite, ops) == expected
    with PostgresMessageHistory(postgres_dsn, schema=schemas()) as pg:
        pg.create_schema()
        assert _history_answers(pg, ops) == expected


# --- outbox -------------------------------------------------------------------------

entries = st.builds(
    lambda key, state, created, not_before: OutboxEntry(
        key=key, recipient=RECIPIENTS[0], sender=SENDERS[0], state=state,
        created_at=created, updated_at=created,
        not_before=not_before if state is OutboxState.DEFERRED else None,
    ),
    st.sampled_from(("k1", "k2", "K1", "k3")), st.sampled_from(
        (OutboxState.RESERVED, OutboxState.DEFERRED, OutboxState.AMBIGUOUS)),
    instants, st.none() | instants,
)


def _entry(e: OutboxEntry | None) -> object:
    if e is None:
        return None
    return (e.key, e.state, e.created_at.isoformat(), e.updated_at.isoformat(),
            None if e.not_before is None else e.not_before.isoformat(), e.attempts)


def _outbox_answers(outbox: Any, ops: Sequence[OutboxEntry]) -> list[object]:
    out: list[object] = []
    for entry in ops:
        stored, new = outbox.reserve(entry)
        out.append((new, _entry(stored) if not new else None))
        if new and entry.state is OutboxState.RESERVED:
            # A compare-and-set against the entry as reserved (its zone, maybe a
            # repeated hour's time), as the messenger requeues a failed hand-over:
            # nothing changed it, so it moves in every store (the SQL ones raised
            # OutboxConflictError for a repeated hour's time before review rev31m).
            moved = outbox.update(entry.key, OutboxState.DEFERRED, at=entry.created_at,
                                  not_before=entry.created_at, attempted=True,
                                  expected=entry)
            out.append(_entry(moved))
    out.append([_entry(outbox.get(key)) for key in ("k1", "k2", "K1", "k3", "k4")])
    out.append([_entry(e) for e in outbox.unresolved()])
    out.append([_entry(e) for e in outbox.due(EVER[1])])
    return out


@FEW
@given(ops=st.lists(entries, min_size=1, max_size=6))
def test_outboxes_answer_alike(
    schemas: Callable[[], str], postgres_dsn: str, ops: list[OutboxEntry]
) -> None:
    from smskit.messenger import PostgresOutbox

    expected = _outbox_answers(MemoryOutbox(), ops)
    with SQLiteOutbox(":memory:") as sqlite:
        assert _outbox_answers(sqlite, ops) == expected
    with PostgresOutbox(postgres_dsn, schema=schemas()) as pg:
        pg.create_schema()
        assert _outbox_answers(pg, ops) == expected


# --- consent store ------------------------------------------------------------------


def _grant(number: str, at: datetime) -> ConsentEvent:
    return ConsentEvent(
        kind=EventKind.GRANTED, recipient=number, scope=ConsentScope.parse("acme"),
        channels=frozenset({Channel.SMS}), purposes=frozenset({Purpose.INFORMATIONAL}),
        occurred_at=at, source=ConsentSource.API, evidence=Evidence(actor="crm"),
        consent_kind=ConsentKind.EXPRESS, recorded_at=at,
    )


def _consent_answers(store: Any, ops: Sequence[tuple[str, datetime]]) -> list[object]:
    out: list[object] = []
    for number, at in ops:
        out.append(store.append(_grant(number, at)).sequence)
    for number in (*RECIPIENTS, "+14155550123"):
        events = store.events(number)
        out.append((type(events).__name__, [(e.sequence, e.occurred_at.isoformat())
                                            for e in events]))
    many = store.events_many([*RECIPIENTS, RECIPIENTS[0], "+14155550123"])
    out.append({k: (type(v).__name__, [e.sequence for e in v]) for k, v in many.items()})
    out.append([e.sequence for e in store.scan()])
    out.append(store.head())
    return out


@FEW
@given(ops=st.lists(st.tuples(st.sampled_from(RECIPIENTS), instants), min_size=1, max_size=5))
def test_consent_stores_answer_alike(
    schemas: Callable[[], str], postgres_dsn: str, ops: list[tuple[str, datetime]]
) -> None:
    from smskit.consent.postgres import PostgresConsentStore

    memory = MemoryStore()
    expected = _consent_answers(memory, ops)
    sqlite = SQLiteStore(":memory:")
    try:
        assert _consent_answers(sqlite, ops) == expected
    finally:
        sqlite.close()
    pg = PostgresConsentStore(postgres_dsn, schema=schemas())
    try:
        pg.create_schema()
        assert _consent_answers(pg, ops) == expected
    finally:
        pg.close()


# --- close() ------------------------------------------------------------------------

STORES = ["memory", "sqlite", "postgres"]
T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _open(kind: str, family: str, path: Path, request: pytest.FixtureRequest) -> Any:
    if kind == "postgres":
        from smskit.consent.postgres import PostgresConsentStore
        from smskit.messenger import PostgresMessageHistory, PostgresOutbox
        from smskit.timing import PostgresSendHistory

        pg_class: Any = {"consent": PostgresConsentStore, "sends": PostgresSendHistory,
                         "messages": PostgresMessageHistory, "outbox": PostgresOutbox}[family]
        store = pg_class(request.getfixturevalue("postgres_dsn"),
                         schema=request.getfixturevalue("pg_schema"))
        store.create_schema()
        return store
    classes: dict[str, tuple[Any, Any]] = {
        "consent": (MemoryStore, SQLiteStore), "sends": (MemorySendHistory, SQLiteSendHistory),
        "messages": (MemoryMessageHistory, SQLiteMessageHistory),
        "outbox": (MemoryOutbox, SQLiteOutbox),
    }
    memory, sqlite = classes[family]
    return memory() if kind == "memory" else sqlite(path / f"{family}.sqlite3")


def _read(family: str, store: Any) -> object:
    if family == "consent":
        return store.count()
    if family == "outbox":
        return store.get("k1")
    return store.sent_at(since=T0, until=T0 + timedelta(hours=1))


@pytest.mark.parametrize("family", ["consent", "sends", "messages", "outbox"])
@pytest.mark.parametrize("kind", STORES)
def test_a_closed_store_refuses_every_call_and_closes_again(
    kind: str, family: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # The protocols say a closed store is unusable; SQLite and PostgreSQL raise
    # StoreError. A memory store that kept answering let a shutdown-order bug (a
    # worker still reading after the store was closed) pass its tests.
    store = _open(kind, family, tmp_path, request)
    assert _read(family, store) in (0, None, ())
    store.close()
    with pytest.raises(StoreError, match="closed"):
        _read(family, store)
    store.close()  # closing twice is fine


@pytest.mark.parametrize("family", ["consent", "sends", "messages", "outbox"])
def test_every_memory_store_is_a_context_manager(family: str, tmp_path: Path,
                                                 request: pytest.FixtureRequest) -> None:
    # As the SQL ones are: `with SQLiteSendHistory(...) as h:` written against
    # MemorySendHistory raised TypeError (and `with SQLiteStore(...)` against
    # MemoryStore, review of rev31m).
    with _open("memory", family, tmp_path, request) as store:
        _read(family, store)
    with pytest.raises(StoreError):
        _read(family, store)
