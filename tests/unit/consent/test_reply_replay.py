"""handle_reply replays a STOP by its message id instead of recording it again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from smskit.consent import ConsentLedger, EventKind, MemoryStore
from smskit.testing import FixedClock

AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
BOB = "+12125550142"


def test_a_stop_replayed_by_message_id_is_recorded_once_and_confirmed_by_one_deadline() -> None:
    ledger = ConsentLedger(MemoryStore(), clock=FixedClock(AT))
    first = ledger.handle_reply(BOB, "STOP", scope="acme", at=AT, message_id="SM1")
    again = ledger.handle_reply(
        BOB, "STOP", scope="acme", at=AT + timedelta(minutes=2), message_id="SM1"
    )
    assert first.event is not None
    assert again.event == first.event
    assert first.reply is not None
    assert again.reply == first.reply
    assert first.reply.send_by == AT + timedelta(minutes=5)
    assert [e.kind for e in ledger.store.events(BOB)] == [EventKind.REVOKED]
    late = ledger.handle_reply(
        BOB, "STOP", scope="acme", at=AT + timedelta(minutes=6), message_id="SM1"
    )
    assert late.event == first.event
    assert late.reply is None
    # Another message is another STOP: recorded, and not confirmed a second time.
    other = ledger.handle_reply(BOB, "STOP", scope="acme", at=AT, message_id="SM2")
    assert other.event is not None
    assert other.event != first.event
    assert other.reply is None
    assert len(ledger.store.events(BOB)) == 2
