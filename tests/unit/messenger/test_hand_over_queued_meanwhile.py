"""A hand-over whose key another worker's reconcile queued meanwhile (rev26o).

fix26o's tests race worker A's hand-over with a ``reconcile()`` that sends the key
itself. One run with ``resend=False`` (or whose resend has not reserved the key yet)
only queues it: the entry is ``deferred``, due, and A's "sent" or "maybe sent" cannot
follow it there (``deferred -> sent`` and ``deferred -> ambiguous`` are no moves). A
left the entry queued, so the next ``send_due`` sent A's text a second time: twice
to the customer, twice in the history, twice in usage; a maybe-sent one was resent
without the lookup the ``ambiguous`` state exists for, while its answer asked the
caller to check the provider's log by hand.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from smskit.messenger import Messenger, OutboxState

from .conftest import ALICE, build_rig, consent, outbox_of, stalled
from .test_hand_over_conflicts import KINDS, MORNING, NIGHT, _offer, _Racing

LATER = MORNING + timedelta(hours=1)


def _queued_meanwhile(kind_box: object, fail: str) -> tuple[object, Messenger]:
    rig = build_rig(kind_box)  # type: ignore[arg-type]
    consent(rig)
    assert rig.messenger.send(_offer("promo-1"), rig.sender, NIGHT, queue=True).queued

    def fail_as() -> None:
        if fail == "maybe":
            rig.provider.time_out_next(processed=True)

    racing = _Racing(
        rig.provider,
        lambda: stalled(rig).reconcile(MORNING, resend=False),
        fail_as,
    )
    worker = Messenger(racing, rig.messenger.pipeline, rig.ledger, rig.history,  # type: ignore[arg-type]
                       rig.outbox, senders=[rig.sender])
    return rig, worker


@pytest.mark.parametrize("kind", KINDS)
def test_a_text_sent_while_reconcile_queued_its_key_is_not_sent_again(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig, worker = _queued_meanwhile(box, "sent")
        first = worker.send_due(MORNING)
        assert [(r.key, r.outcome.value) for r in first] == [("promo-1", "sent")]
        entry = rig.outbox.get("promo-1")  # type: ignore[attr-defined]
        assert entry is not None
        assert entry.state is OutboxState.SENT
        assert worker.send_due(LATER) == ()  # nothing left queued to send again
        assert len(rig.provider.messages) == 1  # type: ignore[attr-defined]
        sent = list(rig.history.messages(since=NIGHT, until=LATER))  # type: ignore[attr-defined]
        assert len(sent) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_maybe_sent_text_while_reconcile_queued_its_key_is_looked_up_not_resent(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig, worker = _queued_meanwhile(box, "maybe")
        first = worker.send_due(MORNING)
        assert [(r.key, r.outcome.value) for r in first] == [("promo-1", "pending")]
        assert "by hand" not in (first[0].reason or "")  # reconcile will tell
        entry = rig.outbox.get("promo-1")  # type: ignore[attr-defined]
        assert entry is not None
        assert entry.state is OutboxState.AMBIGUOUS
        assert worker.send_due(LATER) == ()  # not resent blindly
        found = worker.reconcile(LATER)
        assert [(r.key, r.outcome.value) for r in found] == [("promo-1", "sent")]
        assert len(rig.provider.messages) == 1  # type: ignore[attr-defined]
        assert rig.provider.messages[0].to == ALICE  # type: ignore[attr-defined]
