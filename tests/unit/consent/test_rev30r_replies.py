"""Review rev30r: what the ledger records for the replies classify_reply now reads.

"STOP IMMEDIATELY" revokes (it was an ordinary reply, the consent kept); a stop sign
alone ("🛑") is held for review and records nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from smskit.consent import (
    ConsentKind,
    ConsentLedger,
    ConsentState,
    Evidence,
    MemoryStore,
    Purpose,
)

T0 = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
N = "+14155550123"
WRITTEN = Evidence(
    form_url="https://acme.example/join?v=4",
    consent_text="By checking this box I agree to receive marketing texts from Acme...",
    ip_address="203.0.113.7",
    user_agent="Mozilla/5.0",
)


def _granted() -> ConsentLedger:
    ledger = ConsentLedger(MemoryStore())
    ledger.grant(N, scope="acme", purposes=[Purpose.MARKETING], source="web_form", at=T0,
                 kind=ConsentKind.EXPRESS_WRITTEN, evidence=WRITTEN)
    return ledger


def _state(ledger: ConsentLedger) -> ConsentState:
    return ledger.status(N, "marketing", scope="acme", at=T0 + 2 * DAY).state


def test_stop_immediately_revokes() -> None:
    ledger = _granted()
    outcome = ledger.handle_reply(N, "STOP IMMEDIATELY", scope="acme", at=T0 + DAY)
    assert outcome.event is not None
    assert not outcome.needs_review
    assert _state(ledger) is ConsentState.REVOKED


def test_a_stop_sign_alone_is_held_for_review_and_records_nothing() -> None:
    ledger = _granted()
    outcome = ledger.handle_reply(N, "🛑", scope="acme", at=T0 + DAY)
    assert outcome.needs_review
    assert outcome.event is None
    assert outcome.reply is None
    assert _state(ledger) is ConsentState.GRANTED
    assert ledger.store.count() == 1
