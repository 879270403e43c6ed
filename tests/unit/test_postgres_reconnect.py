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
    with pytest.raises(StoreError, match="SQLSTATE 57P01"):
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
