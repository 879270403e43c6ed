"""A hand-over that outlives its lease, whose key is then cancelled, and went out anyway.

Worker A's provider call stalls past ``in_flight``. Worker B's reconcile looks the key
up, finds nothing yet, and queues it; the appointment is cancelled, and ``cancel``
marks the queued row ``cancelled``. Then A's provider answers: it took the text. The
row said ``cancelled`` for a reminder the customer got, and ``cancel`` kept answering
``CANCELLED``. The receipt now corrects the row to ``sent`` (the old state kept in
its ``error``), and ``cancel`` answers ``SENT``: too late.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from smskit import CancelOutcome
from smskit.messenger import Messenger, OutboxState, SendOutcome

from .conftest import build_rig, consent, outbox_of, stalled
from .test_hand_over_conflicts import KINDS, MORNING, NIGHT, _offer, _Racing

LATER = MORNING + timedelta(hours=1)


@pytest.mark.parametrize("kind", KINDS)
def test_a_cancelled_key_whose_stalled_hand_over_was_taken_ends_sent(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        assert rig.messenger.send(_offer("appt-7"), rig.sender, NIGHT, queue=True).queued
        answers: list[CancelOutcome] = []

        def requeued_then_cancelled() -> None:
            stalled(rig).reconcile(MORNING, resend=False)
            answers.append(rig.messenger.cancel("appt-7", MORNING, reason="appt cancelled"))

        racing = _Racing(rig.provider, requeued_then_cancelled, lambda: None)
        worker = Messenger(racing, rig.messenger.pipeline, rig.ledger, rig.history,  # type: ignore[arg-type]
                           box, senders=[rig.sender])
        [result] = worker.send_due(MORNING)
        assert answers == [CancelOutcome.CANCELLED]  # the row said "queued" then
        assert result.outcome is SendOutcome.SENT
        assert len(rig.provider.messages) == 1
        assert result.receipt is not None
        entry = box.get("appt-7")
        assert entry is not None
        assert entry.state is OutboxState.SENT
        assert entry.provider_id == result.receipt.message_id
        assert entry.error is not None
        assert "cancelled" in entry.error
        assert "appt cancelled" in entry.error
        assert rig.messenger.cancel("appt-7", LATER) is CancelOutcome.SENT
        assert worker.send_due(LATER) == ()
        assert len(list(rig.history.messages(since=NIGHT, until=LATER))) == 1


def test_a_late_receipt_over_a_key_another_worker_sent_changes_nothing() -> None:
    # B's reconcile sent the key itself (resend): two texts went out, and the row keeps
    # B's; A's receipt is no correction of a "not sent" row.
    rig = build_rig()
    consent(rig)
    assert rig.messenger.send(_offer("appt-8"), rig.sender, NIGHT, queue=True).queued

    def resent_meanwhile() -> None:
        stalled(rig).reconcile(MORNING)

    racing = _Racing(rig.provider, resent_meanwhile, lambda: None)
    worker = Messenger(racing, rig.messenger.pipeline, rig.ledger, rig.history,  # type: ignore[arg-type]
                       rig.outbox, senders=[rig.sender])
    [mine] = worker.send_due(MORNING)
    assert len(rig.provider.messages) == 2
    entry = rig.outbox.get("appt-8")
    assert entry is not None
    assert mine.receipt is not None
    assert entry.state is OutboxState.SENT
    assert entry.provider_id not in (None, mine.receipt.message_id)
    assert entry.error is None
