"""Static conformance of the messenger's stores and policies: checked by ``mypy --strict``."""

from __future__ import annotations

from datetime import UTC, datetime

from smskit import (
    CancelOutcome,
    CompliancePipeline,
    ConsentLedger,
    HealthPolicy,
    MemoryMessageHistory,
    MemoryOutbox,
    MemoryProvider,
    MemoryStore,
    MessageHistory,
    Messenger,
    Outbox,
    Policy,
    PostgresMessageHistory,
    SendHistory,
    SendOutcome,
    SendResult,
    SQLiteMessageHistory,
    SQLiteOutbox,
    SuppressionPolicy,
    TelnyxWebhookParser,
    TwilioWebhookParser,
    WebhookParser,
)
from smskit.messenger import Decider

memory_outbox: Outbox = MemoryOutbox()
_outbox = SQLiteOutbox(":memory:")
sqlite_outbox: Outbox = _outbox
memory_history: MessageHistory = MemoryMessageHistory()
_history = SQLiteMessageHistory(":memory:")
sqlite_history: MessageHistory = _history
caps_history: SendHistory = memory_history


def postgres_history(history: PostgresMessageHistory) -> MessageHistory:
    """Static only: a PostgreSQL history is a MessageHistory (no server is reached)."""
    return history


health: Policy = HealthPolicy(memory_history)
suppression: Policy = SuppressionPolicy(memory_history)
pipeline: Decider = CompliancePipeline((health, suppression))
parser: WebhookParser = TwilioWebhookParser()
memory_parser: WebhookParser = MemoryProvider()
telnyx_parser: WebhookParser = TelnyxWebhookParser()

messenger = Messenger(
    MemoryProvider(), pipeline, ConsentLedger(MemoryStore()), memory_history, memory_outbox
)
results: tuple[SendResult, ...] = messenger.reconcile(datetime(2026, 1, 1, tzinfo=UTC))
outcome: SendOutcome = SendOutcome.SENT
cancelled: CancelOutcome = messenger.cancel("job-1042-reminder", datetime(2026, 1, 1, tzinfo=UTC))

# pytest's --doctest-modules imports this module too: close what it opened, or the
# connections stay referenced until exit and warn there (unclosed database).
_outbox.close()
_history.close()
