"""``send_due(limit=)`` is not held up by entries it cannot decide.

An entry whose sending number has no profile in ``senders=`` (a number retired from
the configuration with texts still queued) answers ``pending`` and stays due, first in
line. It counted towards ``limit``: with ``limit`` of them queued, every batch was
those same entries, and every other sender's queued messages were never sent (the
documented loop, "until a batch holds only pending answers", stopped at once). Such
an entry is still answered ``pending`` but does not count: ``limit`` bounds the
entries decided.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from smskit import SendRequest
from smskit.consent.sender import Registration, SenderProfile
from smskit.messenger import Messenger, OutboxState

from .conftest import ALICE, OURS, build_rig, consent

NIGHT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # 05:00 in New York: queued
MORNING = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)  # 09:00
RETIRED = SenderProfile(sender_id="+12125550188", registration=Registration.APPROVED,
                        consent_scope="acme", brand="Acme")


def _offer(key: str) -> SendRequest:
    return SendRequest(recipient=ALICE, body=f"Acme: offer {key}. Reply STOP to opt out",
                       idempotency_key=key)


def test_entries_without_a_profile_do_not_hold_back_the_rest() -> None:
    rig = build_rig()
    consent(rig)
    # Queued while the retired number was still configured.
    before = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                       rig.outbox, senders=[rig.sender, RETIRED])
    for key in ("a-retired-1", "a-retired-2"):
        assert before.send(_offer(key), RETIRED, NIGHT, queue=True).queued
    # All due at 08:00 in New York; entries due at one instant go in key order.
    later = NIGHT + timedelta(minutes=1)
    assert rig.messenger.send(_offer("current"), rig.sender, later, queue=True).queued

    at = MORNING
    for _ in range(3):  # a scheduler's calls, each with a fresh at
        rig.messenger.send_due(at, limit=2)
        at += timedelta(minutes=1)
    entry = rig.outbox.get("current")
    assert entry is not None
    assert entry.state is OutboxState.SENT
    assert [m.sender for m in rig.provider.messages] == [OURS]
    for key in ("a-retired-1", "a-retired-2"):  # still waiting for their profile
        left = rig.outbox.get(key)
        assert left is not None
        assert left.state is OutboxState.DEFERRED


def test_a_batch_still_answers_for_the_entries_it_cannot_decide() -> None:
    rig = build_rig()
    consent(rig)
    before = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                       rig.outbox, senders=[rig.sender, RETIRED])
    assert before.send(_offer("a-retired-1"), RETIRED, NIGHT, queue=True).queued
    for n in range(3):
        at = NIGHT + timedelta(minutes=1 + n)
        assert rig.messenger.send(_offer(f"current-{n}"), rig.sender, at, queue=True).queued
    results = rig.messenger.send_due(MORNING, limit=2)
    assert [(r.key, r.outcome.value) for r in results] == [
        ("a-retired-1", "pending"), ("current-0", "sent"), ("current-1", "sent"),
    ]
    assert "senders=" in (results[0].reason or "")
