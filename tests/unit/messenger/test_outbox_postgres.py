"""PostgresOutbox on a real server: schema check, races between hosts, final states.

The shared behaviour is in tests/contract/test_outbox_contract.py. Here every
contender has a connection of its own, as separate hosts would.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest

import _services
from smskit import PostgresOutbox, PostgresSendHistory
from smskit.errors import ConfigurationError, StoreError
from smskit.messenger import OutboxEntry, OutboxState

psycopg = _services.require_module("psycopg", "postgres")
psycopg_pool = _services.require_module("psycopg_pool", "postgres")

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
CONTENDERS = 6

# One contender process: connects, says "ready", waits for "go" on stdin, reserves
# the shared key with its own name as sender, prints whether it won and whose row it got.
CHILD = """
import sys
from datetime import UTC, datetime
from smskit.messenger import OutboxEntry, PostgresOutbox
dsn, schema, name = sys.argv[1:4]
t0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
with PostgresOutbox(dsn, schema=schema) as box:
    box.get("warm-up")
    print("ready", flush=True)
    sys.stdin.readline()
    stored, won = box.reserve(OutboxEntry(key="same", recipient="+13055550123", sender=name,
                                          state="reserved", created_at=t0, updated_at=t0))
    print(won, stored.sender, flush=True)
"""


def _entry(key: str, sender: str = "+18005550100") -> OutboxEntry:
    return OutboxEntry(key=key, recipient="+13055550123", sender=sender,
                       state=OutboxState.RESERVED, created_at=T0, updated_at=T0)


def _race(*calls: Callable[[], object]) -> list[object]:
    """Run ``calls`` in threads released together; their results (or exceptions), in order."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except Exception as exc:  # the test inspects it
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_a_missing_table_says_to_call_create_schema(postgres_dsn: str, pg_schema: str) -> None:
    with PostgresOutbox(postgres_dsn, schema=pg_schema) as box:
        with pytest.raises(StoreError, match=r"call create_schema\(\)"):
            box.reserve(_entry("k"))
        # Another component's tables in the same schema do not stand in for the outbox.
        with PostgresSendHistory(postgres_dsn, schema=pg_schema) as history:
            history.create_schema()
        with pytest.raises(StoreError, match="no outbox tables"):
            box.get("k")
        assert box.create_schema() is True
        assert box.create_schema() is False
        assert box.reserve(_entry("k"))[1] is True
    with pytest.raises(StoreError, match="closed"):
        box.get("k")


def test_processes_racing_for_one_key_exactly_one_wins(postgres_dsn: str, pg_schema: str) -> None:
    with PostgresOutbox(postgres_dsn, schema=pg_schema) as box:
        box.create_schema()
        children = [
            subprocess.Popen(
                [sys.executable, "-c", CHILD, postgres_dsn, pg_schema, f"host-{i}"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            )
            for i in range(CONTENDERS)
        ]
        try:
            for child in children:
                assert child.stdout is not None
                assert child.stdout.readline().strip() == "ready"
            for child in children:  # as close together as the parent can release them
                assert child.stdin is not None
                child.stdin.write("go\n")
                child.stdin.flush()
            answers = [child.communicate(timeout=60)[0].split() for child in children]
        finally:
            for child in children:
                if child.poll() is None:
                    child.kill()
        assert [child.returncode for child in children] == [0] * CONTENDERS
        winners = [f"host-{i}" for i, (won, _) in enumerate(answers) if won == "True"]
        assert len(winners) == 1
        # Every loser was handed the winner's row, and the table holds that row alone.
        assert {stored for _, stored in answers} == set(winners)
        stored = box.get("same")
        assert stored is not None
        assert stored.sender == winners[0]


def test_threads_on_separate_connections_racing_for_one_key(
    postgres_dsn: str, pg_schema: str
) -> None:
    with psycopg_pool.ConnectionPool(
        postgres_dsn, min_size=CONTENDERS, max_size=CONTENDERS, open=True,
        kwargs={"autocommit": True},
    ) as pool:
        box = PostgresOutbox(pool, schema=pg_schema)
        box.create_schema()
        for round_ in range(5):
            results = _race(*(
                partial(box.reserve, _entry(f"k{round_}", sender=f"t{i}"))
                for i in range(CONTENDERS)
            ))
            answers = [(r[1], r[0].sender) for r in results if isinstance(r, tuple)]
            assert len(answers) == CONTENDERS, results
            winners = [f"t{i}" for i, (won, _) in enumerate(answers) if won]
            assert len(winners) == 1
            assert {stored for _, stored in answers} == set(winners)


def test_two_hosts_finishing_one_entry_at_once_leave_one_final_state(
    postgres_dsn: str, pg_schema: str
) -> None:
    with PostgresOutbox(postgres_dsn, schema=pg_schema) as first, \
            PostgresOutbox(postgres_dsn, schema=pg_schema) as second:
        first.create_schema()
        for round_ in range(5):
            key = f"k{round_}"
            first.reserve(_entry(key))
            later = T0 + timedelta(seconds=1)
            sent, failed = _race(
                partial(first.update, key, OutboxState.SENT, at=later),
                partial(second.update, key, OutboxState.FAILED, at=later),
            )
            moved = [r for r in (sent, failed) if isinstance(r, OutboxEntry)]
            refused = [r for r in (sent, failed) if isinstance(r, StoreError)]
            assert len(moved) == 1, (sent, failed)
            assert len(refused) == 1, (sent, failed)
            assert "final" in str(refused[0])
            stored = second.get(key)
            assert stored is not None
            assert stored.state is moved[0].state


def test_the_table_itself_refuses_to_change_a_final_row(postgres_dsn: str, pg_schema: str) -> None:
    with PostgresOutbox(postgres_dsn, schema=pg_schema) as box:
        box.create_schema()
        box.reserve(_entry("done"))
        box.update("done", OutboxState.SENT, at=T0, provider_id="SM1")
        box.reserve(_entry("open"))
        with psycopg.connect(postgres_dsn, autocommit=True) as conn:
            with pytest.raises(psycopg.errors.CheckViolation, match="final state"):
                conn.execute(f'UPDATE "{pg_schema}".outbox SET state = %s WHERE key = %s',
                             ("reserved", "done"))
            # Rows still in play stay writable by hand (an operator resolving one).
            conn.execute(f'UPDATE "{pg_schema}".outbox SET state = %s WHERE key = %s',
                         ("ambiguous", "open"))
        stored = box.get("done")
        assert stored is not None
        assert (stored.state, stored.provider_id) == (OutboxState.SENT, "SM1")
        assert [e.key for e in box.unresolved()] == ["open"]


def test_instants_come_back_in_utc_whatever_the_session_time_zone(
    postgres_dsn: str, pg_schema: str
) -> None:
    with psycopg.connect(postgres_dsn, autocommit=True, options="-c TimeZone=Asia/Tokyo") as conn:
        box = PostgresOutbox(conn, schema=pg_schema)
        box.create_schema()
        nb = T0 + timedelta(hours=3, microseconds=7)
        box.reserve(_entry("k"))
        box.update("k", OutboxState.DEFERRED, at=T0, not_before=nb)
        stored = box.get("k")
        assert stored is not None
        assert (stored.not_before, stored.created_at) == (nb, T0)
        assert stored.not_before is not None
        assert stored.not_before.tzinfo is UTC
        assert stored.created_at.tzinfo is UTC
        assert [e.key for e in box.due(nb)] == ["k"]
        assert box.due(nb - timedelta(microseconds=1)) == ()
        box.close()
        assert not conn.closed  # the application's connection is the application's to close


def test_auckland_times_in_the_repeated_hour_round_trip_and_fall_due_in_real_time(
    postgres_dsn: str, pg_schema: str
) -> None:
    # 4 April 2027: Auckland's clocks go back from 03:00 NZDT to 02:00 NZST. 02:30 NZST
    # (fold 1) is 14:30 UTC, an hour after 02:30 NZDT and after 02:40 NZDT (13:40 UTC).
    auckland = ZoneInfo("Pacific/Auckland")
    made = datetime(2027, 4, 4, 2, 59, tzinfo=auckland)
    waits = {
        "second": datetime(2027, 4, 4, 2, 30, fold=1, tzinfo=auckland),
        "first": datetime(2027, 4, 4, 2, 40, tzinfo=auckland),
    }
    with PostgresOutbox(postgres_dsn, schema=pg_schema) as box:
        box.create_schema()
        for key, not_before in waits.items():
            box.reserve(OutboxEntry(key=key, recipient="+13055550123", sender="+18005550100",
                                    state=OutboxState.RESERVED, created_at=made, updated_at=made))
            box.update(key, OutboxState.DEFERRED, at=made, not_before=not_before)
        for key, not_before in waits.items():
            stored = box.get(key)
            assert stored is not None
            assert stored.not_before is not None
            assert stored.not_before.astimezone(UTC) == not_before.astimezone(UTC)
            assert stored.created_at.astimezone(UTC) == datetime(2027, 4, 3, 13, 59, tzinfo=UTC)
        ten_to_three_nzdt = datetime(2027, 4, 4, 2, 50, tzinfo=auckland)  # 13:50 UTC
        assert [e.key for e in box.due(ten_to_three_nzdt)] == ["first"]
        later = datetime(2027, 4, 4, 2, 31, fold=1, tzinfo=auckland)  # 14:31 UTC
        assert [e.key for e in box.due(later)] == ["first", "second"]
        with pytest.raises(ConfigurationError, match="aware"):
            box.due(later.replace(tzinfo=None))
