"""A queued key sent again (rev26w's review of user28's "latest text replaces").

A call for *another* number under a queued key that the engine blocks (that number
gave no consent) failed the first number's queued message, and said nothing of it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from smskit import SendOutcome, SendRequest
from smskit.messenger import OutboxState

from .conftest import ALICE, build_rig, consent

NIGHT = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)  # Friday 22:00 in New York
LATER_THAT_NIGHT = datetime(2026, 11, 21, 3, 30, tzinfo=UTC)
MORNING = datetime(2026, 11, 21, 13, 0, tzinfo=UTC)  # Saturday 08:00 in New York
FIRST = "Acme: your tune-up is Mon 9-11 AM. Reply STOP to opt out"
MOVED = "Acme: your tune-up MOVED to Tue 1-3 PM. Reply STOP to opt out"
BOB = "+12125550124"  # gave no consent


def _request(body: str, number: str = ALICE) -> SendRequest:
    return SendRequest(number, body=body, idempotency_key="job-77-reminder")


def test_another_number_blocked_under_a_queued_key_leaves_the_first_queued() -> None:
    rig = build_rig()
    consent(rig)
    rig.messenger.send(_request(FIRST), rig.sender, NIGHT, queue=True)
    again = rig.messenger.send(_request(MOVED, BOB), rig.sender, LATER_THAT_NIGHT, queue=True)
    assert again.outcome is SendOutcome.BLOCKED
    assert "another number" in again.reason
    entry = rig.outbox.get("job-77-reminder")
    assert entry is not None
    assert entry.state is OutboxState.DEFERRED
    rig.messenger.send_due(MORNING)
    assert [(m.to, m.body) for m in rig.provider.messages] == [(ALICE, FIRST)]


def test_another_number_blocked_under_a_key_waiting_out_a_retry_leaves_it_waiting() -> None:
    rig = build_rig()
    consent(rig)
    morning = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # Friday 10:00 in New York
    rig.provider.fail_next("rate_limited")
    assert rig.messenger.send(_request(FIRST), rig.sender, morning).queued
    again = rig.messenger.send(_request(MOVED, BOB), rig.sender,
                               datetime(2026, 11, 20, 15, 0, 20, tzinfo=UTC))
    assert again.outcome is SendOutcome.BLOCKED
    assert "another number" in again.reason
    rig.messenger.send_due(datetime(2026, 11, 20, 15, 1, tzinfo=UTC))
    assert [(m.to, m.body) for m in rig.provider.messages] == [(ALICE, FIRST)]


def test_a_blocked_new_text_says_the_queued_one_is_cancelled() -> None:
    # The same number, the new text blocked (Alice withdrew her consent meanwhile):
    # the queued text is failed, not sent later, and the answer says so.
    rig = build_rig()
    consent(rig)
    rig.messenger.send(_request(FIRST), rig.sender, NIGHT, queue=True)
    rig.ledger.revoke(ALICE, scope="acme", at=NIGHT)
    again = rig.messenger.send(_request(MOVED), rig.sender, LATER_THAT_NIGHT, queue=True)
    assert again.outcome is SendOutcome.BLOCKED
    assert "queued under this key" in again.reason
    entry = rig.outbox.get("job-77-reminder")
    assert entry is not None
    assert entry.state is OutboxState.FAILED
    assert rig.messenger.send_due(MORNING) == ()
    assert len(rig.provider.messages) == 0
