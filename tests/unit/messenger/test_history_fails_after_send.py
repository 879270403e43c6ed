"""A history that cannot record a send the provider took does not turn the send into an error.

The outbox says ``sent`` before the message history records the message. When that
write failed (the history file locked past its timeout by another process, a
PostgreSQL table locked past ``lock_timeout``), ``send`` raised ``StoreError``
(``retryable``) for a text that had gone out: a caller retrying it under a new key
sent it twice, a ``send_due`` batch stopped there, and nothing said that usage and
frequency caps would never count it (a retry under the same key answers
``duplicate`` and records nothing). Now the answer is ``sent``, its reason says the
history missed it, and a warning is logged (review rev30c).

The lock is real: another connection holds the file's (or table's) write lock.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    Evidence,
    MemoryProvider,
    MemoryStore,
    Messenger,
    PostgresMessageHistory,
    PostgresOutbox,
    Registration,
    SenderProfile,
    SendRequest,
    SQLiteMessageHistory,
    default_policies,
)
from smskit.messenger import MessageHistory, Outbox, SendOutcome, SQLiteOutbox
from smskit.testing import FixedClock

AT = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)  # 11:00 in New York, a Friday
ALICE = "+12125550123"
SENDER = SenderProfile(sender_id="+12125550199", registration=Registration.APPROVED,
                       consent_scope="acme", brand="Acme")
REQUEST = SendRequest(recipient=ALICE, body="Acme: your order shipped",
                      idempotency_key="order-1", purpose="transactional")


def _messenger(history: MessageHistory, outbox: Outbox) -> tuple[Messenger, MemoryProvider]:
    clock = FixedClock(AT)
    provider = MemoryProvider(clock=clock)
    ledger = ConsentLedger(MemoryStore(), clock=clock)
    ledger.grant(
        ALICE, scope="acme", purposes=["transactional"], kind="express_written",
        source="web_form", at=AT.replace(hour=9),
        evidence=Evidence(consent_text="I agree to texts from Acme",
                          form_url="https://acme.example/join"),
    )
    pipeline = CompliancePipeline(
        default_policies(store=ledger.store, history=history), history=history  # type: ignore[arg-type]
    )
    return Messenger(provider, pipeline, ledger, history, outbox, senders=[SENDER]), provider


def _check_sent_and_said(
    messenger: Messenger, provider: MemoryProvider, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="smskit.messenger"):
        result = messenger.send(REQUEST, SENDER, at=AT)
    assert result.outcome is SendOutcome.SENT
    assert result.receipt is not None
    assert len(provider.messages) == 1
    assert "history could not record" in result.reason
    assert "caps" in result.reason
    assert ALICE not in result.reason
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("history could not record" in text for text in warned)
    assert not any(ALICE in text for text in warned)
    # The key is spent: the same request again is a duplicate, not a second text.
    again = messenger.send(REQUEST, SENDER, at=AT)
    assert again.outcome is SendOutcome.DUPLICATE
    assert len(provider.messages) == 1


def test_sqlite_history_locked_by_another_process_after_the_hand_over(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    history = SQLiteMessageHistory(tmp_path / "history.db", timeout=0.05)
    outbox = SQLiteOutbox(tmp_path / "outbox.db")
    messenger, provider = _messenger(history, outbox)
    other = sqlite3.connect(tmp_path / "history.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the write lock: reads (caps) still go on in WAL
    try:
        _check_sent_and_said(messenger, provider, caplog)
    finally:
        other.execute("ROLLBACK")
        other.close()
        history.close()
        outbox.close()


def test_postgres_history_table_locked_after_the_hand_over(
    postgres_dsn: str, pg_schema: str, caplog: pytest.LogCaptureFixture
) -> None:
    import psycopg

    history = PostgresMessageHistory(postgres_dsn, schema=pg_schema, attempts=1,
                                     lock_timeout=0.05)
    outbox = PostgresOutbox(postgres_dsn, schema=pg_schema)
    history.create_schema()
    outbox.create_schema()
    messenger, provider = _messenger(history, outbox)
    with psycopg.connect(postgres_dsn) as other:
        # EXCLUSIVE: reads (ACCESS SHARE) go on, an INSERT waits past lock_timeout.
        other.execute(f'LOCK TABLE "{pg_schema}".messages IN EXCLUSIVE MODE')
        try:
            _check_sent_and_said(messenger, provider, caplog)
        finally:
            other.rollback()
            history.close()
            outbox.close()
