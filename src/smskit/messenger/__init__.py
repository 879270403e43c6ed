"""The messenger: decide, reserve, send, record; handle replies and delivery reports.

:class:`Messenger` ties the compliance engine, a provider, the consent ledger,
the message history and the outbox together. The outbox
(:class:`MemoryOutbox`, :class:`SQLiteOutbox`, :class:`PostgresOutbox` with the
``postgres`` extra) makes each idempotency key go out
at most once, crash or not; the history (:class:`MemoryMessageHistory`,
:class:`SQLiteMessageHistory`, :class:`PostgresMessageHistory` shared by several
hosts) keeps every message in and out with its segments,
for frequency caps, usage and delivery health.
"""

from __future__ import annotations

from ._core import Decider, Messenger, RecipientLock, WebhookParser
from ._results import CancelOutcome, InboundResult, SendOutcome, SendResult, StatusResult
from .health import HealthPolicy, HealthThresholds, SenderHealth, SuppressionPolicy, sender_health
from .history import (
    DeliveryRecord,
    MemoryMessageHistory,
    MessageHistory,
    MessageRecord,
    SQLiteMessageHistory,
)
from .outbox import MemoryOutbox, Outbox, OutboxEntry, OutboxState, SQLiteOutbox
from .postgres import PostgresOutbox
from .postgres_history import PostgresMessageHistory
from .postgres_lock import PostgresRecipientLock
from .usage import Usage, usage

__all__ = [
    "CancelOutcome",
    "Decider",
    "DeliveryRecord",
    "HealthPolicy",
    "HealthThresholds",
    "InboundResult",
    "MemoryMessageHistory",
    "MemoryOutbox",
    "MessageHistory",
    "MessageRecord",
    "Messenger",
    "Outbox",
    "OutboxEntry",
    "OutboxState",
    "PostgresMessageHistory",
    "PostgresOutbox",
    "PostgresRecipientLock",
    "RecipientLock",
    "SQLiteMessageHistory",
    "SQLiteOutbox",
    "SendOutcome",
    "SendResult",
    "SenderHealth",
    "StatusResult",
    "SuppressionPolicy",
    "Usage",
    "WebhookParser",
    "sender_health",
    "usage",
]
