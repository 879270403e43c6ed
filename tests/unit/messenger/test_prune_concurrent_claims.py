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


def test_prune_beside_claiming_workers_on_postgres(pg_outboxes: Callable[[], Outbox]) -> None:
    _race(pg_outboxes)


def test_the_retention_role_of_the_docs_can_prune_and_cannot_touch_the_ledger(
    postgres_dsn: str, pg_schema: str
) -> None:
    """The grants docs/scale.md gives the nightly job: enough to prune both tables."""
    import psycopg

    from smskit import PostgresConsentStore
    from smskit.messenger import PostgresOutbox
    from smskit.timing import PostgresSendHistory, SendRecord

    with psycopg.connect(postgres_dsn, autocommit=True) as admin:
        with PostgresOutbox(admin, schema=pg_schema) as box, \
                PostgresSendHistory(admin, schema=pg_schema) as sends, \
                PostgresConsentStore(admin, schema=pg_schema) as ledger:
            for store in (box, sends, ledger):
                store.create_schema()
            box.reserve(_entry("old", OutboxState.SENT, None))
            sends.record(SendRecord("+13055550123", "+18005550100", T0 - timedelta(days=30)))
        role = f"{pg_schema}_retention"
        admin.execute(f'CREATE ROLE "{role}" NOLOGIN')
        try:
            admin.execute(f'GRANT USAGE ON SCHEMA "{pg_schema}" TO "{role}"')
            admin.execute(f'GRANT SELECT ON "{pg_schema}".smskit_schema TO "{role}"')
            admin.execute(f'GRANT SELECT, DELETE ON "{pg_schema}".outbox, '
                          f'"{pg_schema}".send_history TO "{role}"')
            admin.execute(f'SET ROLE "{role}"')
            with PostgresOutbox(admin, schema=pg_schema) as box, \
                    PostgresSendHistory(admin, schema=pg_schema) as sends:
                assert box.prune(T0) == 1
                assert sends.prune(T0) == 1
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                admin.execute(f'DELETE FROM "{pg_schema}".consent_events')
        finally:
            admin.execute("RESET ROLE")
            admin.execute(f'DROP OWNED BY "{role}"')
            admin.execute(f'DROP ROLE "{role}"')
