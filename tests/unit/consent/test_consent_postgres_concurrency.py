"""Many writer processes on one PostgreSQL chain, and writers killed with SIGKILL.

Real processes (spawn), each with its own connection, as on separate hosts.
Sizes are small for CI; benchmarks/bench_postgres.py runs larger ones.
"""

from __future__ import annotations

import time
from pathlib import Path

import _services
from _pg_workers import audit, kill, start_writers
from smskit.consent.postgres import PostgresConsentStore

_services.require_module("psycopg", "postgres")

WRITERS, BATCHES, SIZE = 4, 25, 2  # 200 events


def test_concurrent_writers_leave_a_gap_free_chain_without_loss_or_duplicates(
    postgres_dsn: str, pg_schema: str, tmp_path: Path
) -> None:
    with PostgresConsentStore(postgres_dsn, schema=pg_schema) as store:
        store.create_schema()
        writers = start_writers(postgres_dsn, pg_schema, "default", range(WRITERS), BATCHES,
                                SIZE, tmp_path)
        for process in writers:
            process.join(120)
        assert [p.exitcode for p in writers] == [0] * WRITERS
        found = audit(store, tmp_path, SIZE)
        assert found.events == WRITERS * BATCHES * SIZE
        assert found.head == found.events  # sequences 1..n, no gap
        assert (found.duplicated, found.lost, found.torn) == (0, 0, 0)
        # Every batch's events are consecutive: nothing interleaves inside append_many.
        references = [e.evidence.reference for e in store.scan()]
        for start in range(0, len(references), SIZE):
            assert len({str(r).rsplit("-", 1)[0] for r in references[start:start + SIZE]}) == 1


def test_writers_killed_mid_run_leave_whole_batches_and_a_valid_chain(
    postgres_dsn: str, pg_schema: str, tmp_path: Path
) -> None:
    size = 3
    with PostgresConsentStore(postgres_dsn, schema=pg_schema) as store:
        store.create_schema()
        victims = start_writers(postgres_dsn, pg_schema, "default", range(2), 100_000, size,
                                tmp_path)
        survivors = start_writers(postgres_dsn, pg_schema, "default", range(2, 4), 30, size,
                                  tmp_path)
        deadline = time.monotonic() + 60
        while store.count() < 60 and time.monotonic() < deadline:
            time.sleep(0.05)
        for process in victims:
            kill(process)
        for process in survivors:
            process.join(120)
        assert [p.exitcode for p in victims] == [-9, -9]
        assert [p.exitcode for p in survivors] == [0, 0]
        found = audit(store, tmp_path, size)
        assert found.head == found.events
        assert (found.duplicated, found.lost, found.torn) == (0, 0, 0)
        assert found.events >= 2 * 30 * size  # at least every survivor batch
        # The killed writers' locks died with their sessions: appends go on.
        before = store.count()
        writers = start_writers(postgres_dsn, pg_schema, "default", range(4, 5), 2, size,
                                tmp_path)
        writers[0].join(60)
        assert store.count() == before + 2 * size
