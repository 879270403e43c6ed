"""A 21610 status callback handled again after the person's START.

Twilio posts a status callback for a message refused because the person had texted
STOP (error 21610): the messenger records that opt-out. The worker handling it
crashes after the ledger write, before the callback is marked processed; the person
then texts START; Twilio retries the callback. Expected (docs/consent.md,
"Redelivered webhooks"): the retry records nothing, and START, the person's last
word, holds. Run over every consent store, PostgreSQL on the real server.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import _services
from smskit.consent import ConsentLedger, ConsentStore, MemoryStore, SQLiteStore
from smskit.messenger import MemoryMessageHistory, MemoryOutbox, Messenger
from smskit.policy import CompliancePipeline, SendRequest, default_policies
from smskit.providers import MemoryProvider, MessageStatus
from smskit.testing import FixedClock

from .conftest import ALICE, OURS, T0, build_rig

M = timedelta(minutes=1)


class _CrashError(Exception):
    pass


class _CrashesBeforeMarking(MemoryMessageHistory):
    """A worker that dies once between a webhook's writes and marking it processed."""

    def __init__(self) -> None:
        super().__init__()
        self.crash = False

    def mark_processed(self, webhook_key: str, at: datetime) -> bool:
        if self.crash:
            self.crash = False
            raise _CrashError(webhook_key)
        return super().mark_processed(webhook_key, at)


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ConsentStore]:
    if request.param == "memory":
        yield MemoryStore()
    elif request.param == "sqlite":
        with SQLiteStore(tmp_path / "ledger.db") as sqlite:
            yield sqlite
    else:
        _services.require_module("psycopg", "postgres")
        from smskit.consent.postgres import PostgresConsentStore

        dsn = request.getfixturevalue("postgres_dsn")
        schema = request.getfixturevalue("pg_schema")
        with PostgresConsentStore(dsn, schema=schema) as postgres:
            postgres.create_schema()
            yield postgres


def test_a_21610_callback_retried_after_a_start_records_nothing_and_the_start_holds(
    store: ConsentStore,
) -> None:
    clock = FixedClock(T0)
    provider = MemoryProvider(clock=clock)
    ledger = ConsentLedger(store, clock=clock)
    history = _CrashesBeforeMarking()
    messenger = Messenger(
        provider, CompliancePipeline(default_policies(store=store, history=history)),
        ledger, history, MemoryOutbox(), senders=[build_rig().sender],
    )
    ledger.grant(ALICE, scope="acme", purposes=["informational"], kind="express",
                 source="web_form", at=T0 - 60 * M)
    sent = messenger.send(
        SendRequest(recipient=ALICE, body="Your order shipped", purpose="informational",
                    idempotency_key="k1"),
        build_rig().sender, T0,
    )
    assert sent.receipt is not None
    refused = provider.status_params(
        sent.receipt.message_id, MessageStatus.UNDELIVERED, error_code=21610
    )
    history.crash = True
    with pytest.raises(_CrashError):
        messenger.handle_status("u", refused, {}, T0 + M)
    messenger.handle_inbound("u", provider.inbound_params(ALICE, OURS, "START"), {}, T0 + 2 * M)

    retried = messenger.handle_status("u", refused, {}, T0 + 3 * M)

    assert not retried.duplicate  # it was never marked processed
    assert [e.kind.value for e in ledger.history(ALICE)] == ["granted", "revoked", "regranted"]
    assert ledger.status(ALICE, "informational", scope="acme", at=T0 + 4 * M).allows_send
