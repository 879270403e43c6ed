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
    SQLiteStore,
    SystemClock,
)
from smskit.keywords import Confidence, KeywordMatch, KeywordSet, MatchKind, classify_reply

memory: ConsentStore = MemoryStore()
clock: Clock = SystemClock()


def sqlite_conforms(path: str) -> None:
    store: ConsentStore = SQLiteStore(path)
    store.close()


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
