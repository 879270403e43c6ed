"""Review of rev30g's queued-answer check: it must read the ledger as the ledger reads
a redelivered STOP (``ConsentLedger._replayed_stop``): "still opted out" only after a
revocation of every purpose."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from smskit.consent import Purpose
from smskit.messenger import SendOutcome
from smskit.providers import ErrorCategory

from .conftest import ALICE, OURS, T0, Rig, build_rig, consent, outbox_of

M = timedelta(minutes=1)
KINDS = ["memory", "sqlite", "postgres"]


def _queued_stop(rig: Rig) -> str:
    rig.provider.fail_next(ErrorCategory.RATE_LIMITED)
    result = rig.messenger.handle_inbound(
        "u", rig.provider.inbound_params(ALICE, OURS, "STOP"), {}, T0)
    assert result.reply is not None
    assert result.reply.queued
    return f"reply:{result.message.message_id}"


@pytest.mark.parametrize("kind", KINDS)
def test_a_stop_confirmation_after_start_then_a_partial_revoke_is_not_sent(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # STOP (confirmation queued), START (resubscribed), then an agent withdraws
    # marketing alone: the person is subscribed to the rest, so "you are unsubscribed
    # and will receive no more messages" is false (the ledger's rule: only a revocation
    # of every purpose keeps a STOP's confirmation true).
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        key = _queued_stop(rig)
        rig.messenger.handle_inbound(
            "u", rig.provider.inbound_params(ALICE, OURS, "START"), {}, T0 + M)
        rig.ledger.revoke(ALICE, scope="acme", purposes={Purpose.MARKETING}, at=T0 + 2 * M)
        results = rig.messenger.send_due(T0 + 3 * M)
        assert [(r.key, r.outcome) for r in results] == [(key, SendOutcome.CANCELLED)]
