"""Pruning the outbox while workers claim and settle entries, on real stores.

Two workers (each its own store object: its own SQLite connection, or its own
PostgreSQL connection, as two hosts) drain a queue: claim a due entry
(``DEFERRED`` to ``RESERVED``, a compare-and-set), then settle it (``SENT``, every
third one ``FAILED``). Meanwhile a third store object prunes with a cut-off far in
the future, in batches of 3, as fast as it can. Also stored: entries queued for
later and entries left in flight by a crash, all older than the cut-off.

What must hold: every claim and every settle succeeds (no entry vanishes under a
worker: an entry only goes once it is final, and a final entry is never written
again), each key is claimed once, the prune removes exactly the settled entries,
and the queued and in-flight ones are all still there, unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit.errors import OutboxConflictError
from smskit.messenger import Outbox, OutboxEntry, OutboxState, SQLiteOutbox

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
FAR = T0 + timedelta(days=3650)
QUEUED = 60


def _entry(key: str, state: OutboxState, not_before: datetime | None) -> OutboxEntry:
    return OutboxEntry(key=key, recipient="+13055550123", sender="+18005550100", state=state,
                       created_at=T0 - timedelta(days=30), updated_at=T0 - timedelta(days=30),
                       not_before=not_before)


def _race(open_store: Callable[[], Outbox]) -> None:
    setup = open_store()
    for n in range(QUEUED):
        setup.reserve(_entry(f"due{n:03d}", OutboxState.DEFERRED, T0 - timedelta(days=1)))
    keep = [
        _entry("later", OutboxState.DEFERRED, FAR + timedelta(days=1)),  # not due yet
        _entry("crashed-reserved", OutboxState.RESERVED, None),
        _entry("crashed-ambiguous", OutboxState.AMBIGUOUS, None),
    ]
    for entry in keep:
        setup.reserve(entry)

    claimed: list[str] = []
    errors: list[BaseException] = []
    done = threading.Event()
    start = threading.Barrier(3)

    def worker(number: int) -> None:
        box = open_store()
        try:
            start.wait()
            at = T0
            while page := box.due(at, limit=4):
                for entry in page:
                    at += timedelta(microseconds=1)
                    try:
                        box.update(entry.key, OutboxState.RESERVED, at=at, expected=entry)
                    except OutboxConflictError:
                        continue  # the other worker took it
                    claimed.append(entry.key)
                    final = OutboxState.FAILED if int(entry.key[3:]) % 3 == 0 else OutboxState.SENT
                    box.update(entry.key, final, at=at, attempted=True)
        except BaseException as exc:  # reported below, with the thread's name
            errors.append(exc)
        finally:
            box.close()

    removed = [0]

    def pruner() -> None:
        box = open_store()
        try:
            start.wait()
            while not done.is_set():
                removed[0] += box.prune(FAR, limit=3)
            while batch := box.prune(FAR, limit=3):  # what was settled last
                removed[0] += batch
        except BaseException as exc:
            errors.append(exc)
        finally:
            box.close()

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
    prune_thread = threading.Thread(target=pruner)
    for thread in (*workers, prune_thread):
        thread.start()
    for thread in workers:
        thread.join(timeout=120)
    done.set()
    prune_thread.join(timeout=120)
    try:
        assert not errors, errors
        assert sorted(claimed) == [f"due{n:03d}" for n in range(QUEUED)]  # each once
        assert removed[0] == QUEUED
        for entry in keep:
            assert setup.get(entry.key) == entry
        assert all(setup.get(f"due{n:03d}") is None for n in range(QUEUED))
    finally:
        setup.close()


def test_prune_beside_claiming_workers_on_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite3"
    _race(lambda: SQLiteOutbox(path, synchronous="normal"))


@pytest.fixture
def pg_outboxes(postgres_dsn: str, pg_schema: str) -> Callable[[], Outbox]:
    from smskit.messenger import PostgresOutbox

    with PostgresOutbox(postgres_dsn, schema=pg_schema) as box:
        box.create_schema()

    def open_store() -> Outbox:
        return PostgresOutbox(postgres_dsn, schema=pg_schema)

    return open_store


def test_prune_beside_claiming_workers_on_postgres(pg_outboxes: Callable[[], Outbox]) -> None:
    _race(pg_outboxes)


def test_prune_skips_a_final_row_another_transaction_holds_on_postgres(
    postgres_dsn: str, pg_schema: str
) -> None:
    """SKIP LOCKED: a row some host has locked is left for the next run, not waited for."""
    import psycopg

    from smskit.messenger import PostgresOutbox

    with PostgresOutbox(postgres_dsn, schema=pg_schema, lock_timeout=1.0) as box:
        box.create_schema()
        for key in ("held", "free"):
            box.reserve(_entry(key, OutboxState.SENT, None))
        with psycopg.connect(postgres_dsn) as other, other.transaction():
            other.execute(f'SELECT 1 FROM "{pg_schema}".outbox WHERE key = %s FOR UPDATE',
                          ("held",))
            assert box.prune(FAR) == 1
        assert box.get("held") is not None
        assert box.get("free") is None
        assert box.prune(FAR) == 1
