"""A NUL character in a key or text the PostgreSQL stores keep is refused up front with a
ConfigurationError naming the field: PostgreSQL text cannot hold one, and the server's
refusal was a StoreError naming neither the field nor the fix. Real server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from smskit.errors import ConfigurationError
from smskit.messenger import (
    DeliveryRecord,
    MemoryMessageHistory,
    MessageRecord,
    OutboxEntry,
    OutboxState,
    PostgresMessageHistory,
    PostgresOutbox,
)
from smskit.pricing import Direction
from smskit.timing import PostgresSendHistory, SendRecord

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SENDER = "+18005550100"
ALICE = "+13055550100"
WINDOW = {"since": T0 - timedelta(hours=1), "until": T0 + timedelta(hours=1)}


def _refused(field: str, store: str) -> pytest.RaisesExc[ConfigurationError]:
    return pytest.raises(ConfigurationError, match=rf"^{store}: {field} holds a NUL character")


@pytest.mark.parametrize("field", ["provider_id", "key", "subject", "reply", "currency"])
def test_a_message_field_with_a_nul_is_refused_naming_it_and_nothing_is_kept(
    postgres_dsn: str, pg_schema: str, field: str
) -> None:
    message = MessageRecord(Direction.OUTBOUND, SENDER, ALICE, T0, 1, **{field: "a\x00b"})
    memory = MemoryMessageHistory()
    memory.record_message(message)  # the other histories keep it as given
    assert getattr(memory.messages(**WINDOW)[0], field) == "a\x00b"
    with PostgresMessageHistory(postgres_dsn, schema=pg_schema) as history:
        history.create_schema()
        with _refused(field, "PostgresMessageHistory"):
            history.record_message(message)
        # Refused before the transaction: neither the message nor its send record.
        assert history.messages(**WINDOW) == ()
        assert history.sent_at(**WINDOW) == ()


def test_reports_webhook_keys_and_read_filters_with_a_nul_are_refused(
    postgres_dsn: str, pg_schema: str
) -> None:
    with PostgresMessageHistory(postgres_dsn, schema=pg_schema) as history:
        history.create_schema()
        with _refused("code", "PostgresMessageHistory"):
            history.record_delivery(DeliveryRecord("SM1", SENDER, ALICE, T0, "failed",
                                                   "unknown", "300\x0007"))
        assert history.deliveries(**WINDOW) == ()
        with _refused("webhook_key", "PostgresMessageHistory"):
            history.mark_processed("evt\x00", T0)
        with _refused("webhook_key", "PostgresMessageHistory"):
            history.processed("evt\x00")
        with _refused("contact", "PostgresMessageHistory"):
            history.messages(**WINDOW, contact="+1305\x00")
        # The same values without the NUL go through: only the NUL is refused.
        assert history.mark_processed("evt", T0) is True


def test_the_send_history_refuses_a_subject_with_a_nul(postgres_dsn: str, pg_schema: str) -> None:
    with PostgresSendHistory(postgres_dsn, schema=pg_schema) as history:
        history.create_schema()
        with _refused("subject", "PostgresSendHistory"):
            history.record(SendRecord(ALICE, SENDER, T0, subject="promo\x00"))
        with _refused("subject", "PostgresSendHistory"):
            history.sent_at(**WINDOW, subject="promo\x00")
        assert history.sent_at(**WINDOW) == ()


def test_the_outbox_refuses_a_key_with_a_nul(postgres_dsn: str, pg_schema: str) -> None:
    entry = OutboxEntry(key="order-1\x00", recipient=ALICE, sender=SENDER,
                        state=OutboxState.RESERVED, created_at=T0, updated_at=T0)
    with PostgresOutbox(postgres_dsn, schema=pg_schema) as outbox:
        outbox.create_schema()
        with _refused("key", "PostgresOutbox"):
            outbox.reserve(entry)
        with _refused("key", "PostgresOutbox"):
            outbox.get("order-1\x00")
        with _refused("key", "PostgresOutbox"):  # rough29: update did not refuse it
            outbox.update("order-1\x00", OutboxState.SENT, at=T0)
        assert outbox.unresolved() == ()
