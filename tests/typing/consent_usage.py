"""Static conformance: checked by ``mypy --strict``, never run by pytest."""

from __future__ import annotations

from datetime import UTC, datetime

from smskit.consent import (
    Clock,
    ConsentLedger,
    ConsentState,
    ConsentStatus,
    ConsentStore,
    MemoryStore,
    PostgresConsentStore,
    SQLiteStore,
    SystemClock,
)
from smskit.keywords import Confidence, KeywordMatch, KeywordSet, MatchKind, classify_reply

memory: ConsentStore = MemoryStore()
clock: Clock = SystemClock()


def sqlite_conforms(path: str) -> None:
    store: ConsentStore = SQLiteStore(path)
    store.close()


def postgres_conforms(dsn: str) -> None:
    with PostgresConsentStore(dsn, schema="smskit", chain="acme") as store:
        created: bool = store.create_schema()
        as_protocol: ConsentStore = store
        batch = as_protocol.events_many(["+14155550123"])
        assert created or batch


def send_history_conforms(dsn: str) -> None:
    from smskit.timing import FrequencyCap, PostgresSendHistory, SendHistory

    with PostgresSendHistory(dsn) as history:
        as_protocol: SendHistory = history
        FrequencyCap(as_protocol)


ledger = ConsentLedger(memory, clock=clock)
status: ConsentStatus = ledger.status(
    "+14155550123", "marketing", scope="acme", at=datetime(2025, 1, 1, tzinfo=UTC)
)
state: ConsentState = status.state
allowed: bool = status.allows_send
match: KeywordMatch | None = classify_reply("STOP", keywords=KeywordSet.default())
if match is not None:
    kind: MatchKind = match.kind
    confidence: Confidence = match.confidence
