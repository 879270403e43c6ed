"""Review of rev30g's queued-answer check: it must read the ledger as the ledger reads
a redelivered STOP (``ConsentLedger._replayed_stop``): "still opted out" only after a
revocation of every purpose."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from smskit.consent import Purpose
from smskit.messenger import OutboxState, SendOutcome
from smskit.providers import ErrorCategory

from .conftest import ALICE, OURS, T0, Rig, build_rig, consent, outbox_of

M = timedelta(minutes=1)
KINDS = ["memory", "sqlite", "postgres"]
UNSUBSCRIBED = (
    "Acme: You are unsubscribed and will receive no more messages from us. Reply START "
    "to resubscribe."
)


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


def test_reconcile_does_not_resend_a_help_answer_a_later_stop_made_outdated() -> None:
    # A worker claimed the queued HELP answer and crashed before the provider took it;
    # the person texted STOP meanwhile. reconcile finds nothing at the provider and
    # resends "as send_due does": the queued answer is read against the ledger there too.
    rig = build_rig()
    consent(rig)
    rig.provider.time_out_next(processed=False)
    result = rig.messenger.handle_inbound(
        "u", rig.provider.inbound_params(ALICE, OURS, "HELP"), {}, T0)
    key = f"reply:{result.message.message_id}"
    entry = rig.outbox.get(key)
    assert entry is not None
    rig.outbox.update(key, OutboxState.RESERVED, at=T0, expected=entry)  # the crash
    rig.messenger.handle_inbound(
        "u", rig.provider.inbound_params(ALICE, OURS, "STOP"), {}, T0 + M)
    results = rig.messenger.reconcile(T0 + 5 * M)
    assert [(r.key, r.outcome) for r in results] == [(key, SendOutcome.CANCELLED)]
    assert [m.body for m in rig.provider.messages] == [UNSUBSCRIBED]


@pytest.mark.parametrize("kind", KINDS)
def test_a_stop_confirmation_after_a_redundant_partial_revoke_still_goes(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # STOP (confirmation queued), then an agent also withdraws marketing: the person is
    # still opted out of everything, and the FCC confirmation is still owed.
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        key = _queued_stop(rig)
        rig.ledger.revoke(ALICE, scope="acme", purposes={Purpose.MARKETING}, at=T0 + M)
        results = rig.messenger.send_due(T0 + 2 * M)
        assert [(r.key, r.outcome) for r in results] == [(key, SendOutcome.SENT)]
        assert [m.body for m in rig.provider.messages] == [UNSUBSCRIBED]
