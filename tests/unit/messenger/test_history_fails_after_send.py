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
    MemoryMessageHistory,
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
from smskit.timing import SQLiteSendHistory

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
    # Said in a field a program can read, not only in the sentence for a person.
    assert result.unrecorded is True
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


def test_a_send_every_history_recorded_is_not_unrecorded(tmp_path: Path) -> None:
    history = SQLiteMessageHistory(tmp_path / "history.db")
    outbox = SQLiteOutbox(tmp_path / "outbox.db")
    messenger, _ = _messenger(history, outbox)
    try:
        result = messenger.send(REQUEST, SENDER, at=AT)
        assert (result.outcome, result.unrecorded, result.reason) == (
            SendOutcome.SENT, False, "sent")
    finally:
        history.close()
        outbox.close()


def test_one_locked_send_history_does_not_keep_the_send_from_the_others(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The pipeline reads one send history, its caps another; the first is locked.

    The message history (usage) and the caps' history both record the send: only the
    locked one misses it, and the answer does not say usage misses it."""
    clock = FixedClock(AT)
    provider = MemoryProvider(clock=clock)
    ledger = ConsentLedger(MemoryStore(), clock=clock)
    ledger.grant(
        ALICE, scope="acme", purposes=["transactional"], kind="express_written",
        source="web_form", at=AT.replace(hour=9),
        evidence=Evidence(consent_text="I agree to texts from Acme",
                          form_url="https://acme.example/join"),
    )
    locked = SQLiteSendHistory(tmp_path / "pipeline.db", timeout=0.05)
    caps_history = SQLiteSendHistory(tmp_path / "caps.db")
    pipeline = CompliancePipeline(
        default_policies(store=ledger.store, history=caps_history), history=locked
    )
    history = MemoryMessageHistory()
    outbox = SQLiteOutbox(tmp_path / "outbox.db")
    messenger = Messenger(provider, pipeline, ledger, history, outbox, senders=[SENDER])
    other = sqlite3.connect(tmp_path / "pipeline.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with caplog.at_level(logging.WARNING, logger="smskit.messenger"):
            result = messenger.send(REQUEST, SENDER, at=AT)
    finally:
        other.execute("ROLLBACK")
        other.close()
    try:
        assert result.outcome is SendOutcome.SENT
        assert result.unrecorded is True
        window = {"since": AT.replace(hour=0), "until": AT.replace(hour=23)}
        assert len(history.messages(**window)) == 1  # usage counts it
        assert caps_history.sent_at(**window) == (AT,)  # so do the caps reading this one
        assert locked.sent_at(**window) == ()
        assert "usage" not in result.reason
    finally:
        locked.close()
        caps_history.close()
        outbox.close()
