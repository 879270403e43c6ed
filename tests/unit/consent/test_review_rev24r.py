"""Review rev24r of the one-step reply decision (ConsentStore.append_decided).

Expected values come from docs/consent.md ("Integrity and stores") and the project's
rule that errors derive from SmskitError and say what to fix.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import _services
from smskit.consent import ConsentEvent, ConsentLedger, EventKind, MemoryStore
from smskit.errors import ConfigurationError
from smskit.testing import FixedClock

T0 = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
N = "+14155550123"
H = timedelta(hours=1)


class _StoreWithoutAppendDecided:
    """A store of one's own, written against the protocol before append_decided."""

    def __init__(self) -> None:
        self._store = MemoryStore()

    def __getattr__(self, name: str) -> Any:
        if name == "append_decided":
            raise AttributeError(name)
        return getattr(self._store, name)


def test_a_store_of_your_own_without_append_decided_is_named_with_the_fix() -> None:
    # Found when the ledger is built, not as an AttributeError from the first STOP's
    # webhook (the STOP would go unrecorded on every retry).
    with pytest.raises(ConfigurationError, match="append_decided") as raised:
        ConsentLedger(_StoreWithoutAppendDecided())  # type: ignore[arg-type]
    assert raised.value.field == "store"
    assert "docs/consent.md" in str(raised.value)


def test_a_postgres_step_rolled_back_after_its_decision_decides_again_on_what_is_stored(
    postgres_dsn: str, pg_schema: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # docs/consent.md: "a transaction rolled back by contention is decided again on what
    # the ledger then holds". Worker A decides to re-grant on a START and its write is
    # rolled back (a deadlock, as PostgreSQL reports one); worker B, waiting for the
    # chain's lock with a redelivery of the same START, gets it first and records it.
    # A's retry must find the message handled: one re-grant, and A answers with B's.
    psycopg = _services.require_module("psycopg", "postgres")
    from smskit.consent.postgres import PostgresConsentStore

    with psycopg.connect(postgres_dsn, autocommit=True) as conn_b, \
            psycopg.connect(postgres_dsn, autocommit=True) as watcher, \
            PostgresConsentStore(postgres_dsn, schema=pg_schema) as a, \
            PostgresConsentStore(conn_b, schema=pg_schema) as b:
        a.create_schema()
        worker_a = ConsentLedger(a, clock=FixedClock(T0))
        worker_b = ConsentLedger(b, clock=FixedClock(T0))
        worker_a.grant(N, scope="fixit", purposes="informational", kind="express",
                       source="api", at=T0)
        worker_a.handle_reply(N, "STOP", scope="fixit", at=T0 + H, message_id="SM1")
        answers = []
        redelivery = threading.Thread(target=lambda: answers.append(worker_b.handle_reply(
            N, "START", scope="fixit", at=T0 + 2 * H, message_id="SM2")))
        appends: list[list[ConsentEvent]] = []
        append_locked = a._append_locked

        def rolled_back_once(conn: Any, drafts: list[ConsentEvent], *, locked: bool = False
                             ) -> list[ConsentEvent]:
            appends.append(drafts)
            if len(appends) > 1:
                return append_locked(conn, drafts, locked=locked)
            redelivery.start()
            guard = time.monotonic() + 60  # only against a hung test
            while not watcher.execute(
                "SELECT count(*) FROM pg_locks WHERE pid = %s AND locktype = 'advisory' "
                "AND NOT granted", (conn_b.info.backend_pid,),
            ).fetchone()[0]:
                assert time.monotonic() < guard, "worker B never waited for the chain's lock"
                time.sleep(0.001)
            raise psycopg.errors.DeadlockDetected("deadlock detected")

        monkeypatch.setattr(a, "_append_locked", rolled_back_once)
        outcome = worker_a.handle_reply(N, "START", scope="fixit", at=T0 + 2 * H,
                                        message_id="SM2")
        redelivery.join(60)
        assert [[d.kind for d in drafts] for drafts in appends] == [[EventKind.REGRANTED]]
        assert [(e.kind, e.evidence.reference) for e in worker_a.history(N)] == [
            (EventKind.GRANTED, None), (EventKind.REVOKED, "SM1"), (EventKind.REGRANTED, "SM2")]
        assert outcome.event == answers[0].event
        assert outcome.reply == answers[0].reply
        assert worker_a.verify()[0] == 3
