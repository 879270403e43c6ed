"""A queued request whose zone is now refused fails saying why, and is kept (rev26u).

user27 refused fixed-offset recipient zones ("EST"). A request queued with one before
that (by an older smskit) cannot be rebuilt from the outbox: ``send_due`` marked it
failed as "cannot be read ... check what wrote its payload", which sends a person
hunting for a damaged row. The reason now names the zone's problem; the row and its
payload stay for someone to queue the message again.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from smskit import SendRequest
from smskit.messenger import OutboxState

from .conftest import ALICE, build_rig, consent

NIGHT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # 05:00 in New York: queued
MORNING = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def test_a_queued_request_with_a_fixed_offset_zone_fails_naming_it() -> None:
    rig = build_rig()
    consent(rig)
    request = SendRequest(recipient=ALICE, body="Acme: 10% off. Reply STOP to opt out",
                          idempotency_key="promo-est", recipient_zone="America/New_York")
    assert rig.messenger.send(request, rig.sender, NIGHT, queue=True).queued
    entry = rig.outbox.get("promo-est")
    assert entry is not None
    data = json.loads(entry.payload)
    data["request"]["recipient_zone"] = "EST"  # as an older smskit queued it
    stored = json.dumps(data)
    rig.outbox.update("promo-est", OutboxState.DEFERRED, at=NIGHT, not_before=NIGHT,
                      payload=stored, expected=entry)
    [result] = rig.messenger.send_due(MORNING)
    assert result.outcome.value == "failed"
    assert "'EST' is a fixed offset" in result.reason
    assert "payload" not in result.reason  # not "check what wrote its payload"
    assert rig.provider.messages == ()
    kept = rig.outbox.get("promo-est")
    assert kept is not None
    assert kept.state is OutboxState.FAILED
    assert kept.payload == stored  # the message is still there to queue again
    assert "'EST' is a fixed offset" in (kept.error or "")
