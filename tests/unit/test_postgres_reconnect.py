"""A store given a conninfo string opens a new connection when the server closed its own.

The store opens that connection itself, so the application has no other to give it.
After the server ended it (a restart, a failover, an idle-session timeout; here
``pg_terminate_backend``, on the real server) every later call of the store raised
"the connection is closed or broken; give the store a working connection" until the
process was restarted: a long-running worker's outbox, ledger and caps were dead for
good. Now the call that meets the closed connection still fails (what it was doing is
reported, not guessed), and the next call opens a new one (review rev30c).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from smskit import ConsentLedger, PostgresConsentStore, PostgresOutbox, PostgresSendHistory
from smskit.errors import StoreError
from smskit.messenger import OutboxEntry, OutboxState
from smskit.timing import SendRecord

AT = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
ALICE = "+12125550123"


def _kill(postgres_dsn: str, store: object) -> None:
    """End the store's own connection from the server side."""
    pid = store._db._conn.info.backend_pid  # type: ignore[attr-defined]
    with psycopg.connect(postgres_dsn, autocommit=True) as admin:
        row = admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()
    assert row == (True,)


def _after_a_kill(postgres_dsn: str, store: object, call: Callable[[], object]) -> None:
    _kill(postgres_dsn, store)
    # The server's own words; psycopg 3.2.1 (the extra's floor) gives no SQLSTATE here.
    with pytest.raises(StoreError, match="terminating connection due to administrator command"):
        call()  # the call that meets the closed connection says what happened


def test_the_outbox_opens_a_new_connection_after_the_server_closed_its_own(
    postgres_dsn: str, pg_schema: str
) -> None:
    with PostgresOutbox(postgres_dsn, schema=pg_schema) as outbox:
        outbox.create_schema()
        _after_a_kill(postgres_dsn, outbox, lambda: outbox.get("order-1"))
        entry = OutboxEntry(key="order-1", recipient=ALICE, sender="+12125550199",
                            state=OutboxState.RESERVED, created_at=AT, updated_at=AT)
        assert outbox.reserve(entry) == (entry, True)
        assert outbox.get("order-1") == entry


def test_the_ledger_opens_a_new_connection_and_its_chain_goes_on(
    postgres_dsn: str, pg_schema: str
) -> None:
    with PostgresConsentStore(postgres_dsn, schema=pg_schema) as store:
        store.create_schema()
        ledger = ConsentLedger(store)
        ledger.grant(ALICE, scope="acme", purposes="informational", kind="express",
                     source="api", at=AT)
        _after_a_kill(postgres_dsn, store, store.head)
        ledger.handle_reply(ALICE, "STOP", scope="acme", at=AT + timedelta(hours=1))
        assert [event.sequence for event in store.scan()] == [1, 2]
        assert ledger.verify()[0] == 2  # the chain links across the new connection


def test_the_send_history_opens_a_new_connection(postgres_dsn: str, pg_schema: str) -> None:
    with PostgresSendHistory(postgres_dsn, schema=pg_schema) as history:
        history.create_schema()
        record = SendRecord(recipient=ALICE, sender="+12125550199", at=AT)
        _after_a_kill(postgres_dsn, history, lambda: history.record(record))
        history.record(record)
        assert history.sent_at(since=AT - timedelta(hours=1), until=AT) == (AT,)


def test_a_refused_reconnection_is_retryable_and_a_later_call_connects(
    postgres_dsn: str, pg_schema: str
) -> None:
    """The server still refuses connections when the next call wants a new one: that
    call fails ``retryable`` (nothing was sent to the server), and the call after it,
    once the server takes connections again, connects. The refusal is made real with
    a database of this test's own that allows no connections (a superuser is not
    exempt from that, as from connection limits); no other test's backend is touched."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    database = f"{pg_schema}_db"
    dsn = make_conninfo(**{**conninfo_to_dict(postgres_dsn), "dbname": database})
    with psycopg.connect(postgres_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
        try:
            with PostgresOutbox(dsn, schema="smskit") as outbox:
                outbox.create_schema()
                admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
                _after_a_kill(postgres_dsn, outbox, lambda: outbox.get("order-1"))
                for _ in range(2):  # each call tries again, none gives up for good
                    with pytest.raises(StoreError, match="cannot connect") as refused:
                        outbox.get("order-1")
                    assert refused.value.retryable
                admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
                assert outbox.get("order-1") is None
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def test_a_connection_the_application_gave_is_never_replaced(
    postgres_dsn: str, pg_schema: str
) -> None:
    """Only the store's own connection is replaced: one the application passed stays
    the one it uses (its settings, its role), and once the server ends it every call
    says so, as before."""
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        outbox = PostgresOutbox(conn, schema=pg_schema)
        outbox.create_schema()
        _after_a_kill(postgres_dsn, outbox, lambda: outbox.get("order-1"))
        for _ in range(2):
            with pytest.raises(StoreError, match="closed or broken") as failed:
                outbox.get("order-1")
            assert not failed.value.retryable
        assert outbox._db._conn is conn  # type: ignore[attr-defined]
        outbox.close()
