"""``PostgresOutbox`` orders keys by code point, as the memory and SQLite outboxes do.

Entries due (or reserved) at the same instant sort by key. PostgreSQL compared keys
in the column's collation: on a database made with an ``en_US`` (or ICU) locale,
``"a"`` came before ``"B"``, so the same queue came back in another order than
from the other two outboxes, and a key-set page cursor compared in a collation
that is not the one the rows were sorted in (fix31b). The test gives its ``key``
column an ICU English collation, as such a database would give it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import _services
from smskit import PostgresOutbox
from smskit.messenger import OutboxEntry, OutboxState

psycopg = _services.require_module("psycopg", "postgres")

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
KEYS = ["b", "B", "a", "A", "_x", "a-b", "ab", "Ab"]
# Code-point order (Python's sorted(), SQLite's BINARY), written out: upper case,
# then "_" (U+005F), then lower case; "-" (U+002D) before "b".
CODE_POINT = ["A", "Ab", "B", "_x", "a", "a-b", "ab", "b"]


def _collated(dsn: str, schema: str) -> None:
    """Give the table's ``key`` column the ICU English collation (its trigger, which
    names the column, is dropped and made again around the change)."""
    with psycopg.connect(dsn) as conn:
        icu = "SELECT 1 FROM pg_collation WHERE collname = 'en-x-icu'"
        if conn.execute(icu).fetchone() is None:
            pytest.skip("this PostgreSQL has no ICU collation en-x-icu")
        (trigger,) = conn.execute(
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'outbox_final_states' "
            "AND tgrelid = %s::regclass", (f'"{schema}".outbox',),
        ).fetchone() or pytest.fail("no trigger")
        conn.execute(f'DROP TRIGGER outbox_final_states ON "{schema}".outbox')
        conn.execute(f'ALTER TABLE "{schema}".outbox ALTER COLUMN key TYPE text COLLATE "en-x-icu"')
        conn.execute(trigger)
        # The collation really orders otherwise than code points.
        ordered = conn.execute(
            'SELECT k FROM unnest(%s::text[]) AS k ORDER BY k COLLATE "en-x-icu"', (KEYS,)
        ).fetchall()
        assert [row[0] for row in ordered] != CODE_POINT


def _outbox(dsn: str, schema: str, state: OutboxState) -> PostgresOutbox:
    with PostgresOutbox(dsn, schema=schema) as box:
        box.create_schema()
    _collated(dsn, schema)
    box = PostgresOutbox(dsn, schema=schema)
    for key in KEYS:
        box.reserve(OutboxEntry(
            key=key, recipient="+13055550123", sender="+18005550100", state=state,
            created_at=T0, updated_at=T0,
            not_before=T0 if state is OutboxState.DEFERRED else None,
        ))
    return box


def test_due_sorts_entries_due_together_by_code_point(postgres_dsn: str, pg_schema: str) -> None:
    with _outbox(postgres_dsn, pg_schema, OutboxState.DEFERRED) as box:
        assert [e.key for e in box.due(T0 + timedelta(minutes=1))] == CODE_POINT


def test_due_pages_read_every_entry_once_in_code_point_order(
    postgres_dsn: str, pg_schema: str
) -> None:
    with _outbox(postgres_dsn, pg_schema, OutboxState.DEFERRED) as box:
        seen: list[str] = []
        page = box.due(T0, limit=3)
        while page:
            seen += [e.key for e in page]
            page = box.due(T0, limit=3, after=page[-1])
    assert seen == CODE_POINT


def test_unresolved_sorts_entries_made_together_by_code_point(
    postgres_dsn: str, pg_schema: str
) -> None:
    with _outbox(postgres_dsn, pg_schema, OutboxState.RESERVED) as box:
        assert [e.key for e in box.unresolved()] == CODE_POINT
