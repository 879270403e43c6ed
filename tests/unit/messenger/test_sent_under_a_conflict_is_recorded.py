"""A message the provider took is recorded even when its key moved meanwhile (rev26u).

Worker A hands a queued text to the provider; while the provider holds the call, worker
B runs ``reconcile`` with a lease shorter than A's hand-over took (A stalled past
``in_flight``: ``conftest.stalled``), judges A's reservation stale, and either finds
nothing at the provider (the text is not there yet), queues the key again and sends it
itself, or finds A's text by lookup and marks it sent. A's own ``SENT`` move then
raised ``OutboxConflictError`` out of ``send_due`` before A wrote its history row: a
text that went out was missing from usage, from health and from the send history that
frequency caps count (and the rest of A's batch was not sent). Now A records it, unless
B already did under A's message id, and goes on with its batch.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit import SendRequest
from smskit.messenger import Messenger
from smskit.pricing import Direction
from smskit.providers import MemoryProvider

from .conftest import ALICE, Rig, build_rig, consent, outbox_of, stalled

NIGHT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # 05:00 in New York: queued
MORNING = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # 10:00 in New York: due
BOB = "+12125550124"


def _offer(key: str, to: str = ALICE) -> SendRequest:
    return SendRequest(recipient=to, body="Acme: 10% off a boiler check. Reply STOP to opt out",
                       idempotency_key=key)


class _Slow:
    """A provider that runs ``before`` or ``after`` its first hand-over takes the message."""

    def __init__(self, inner: MemoryProvider) -> None:
        self.inner = inner
        self.before: Callable[[], None] | None = None
        self.after: Callable[[], None] | None = None

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def send(self, message: object) -> object:
        before, self.before = self.before, None
        if before is not None:
            before()
        receipt = self.inner.send(message)  # type: ignore[arg-type]
        after, self.after = self.after, None
        if after is not None:
            after()
        return receipt


def _worker_a(rig: Rig) -> tuple[Messenger, _Slow]:
    slow = _Slow(rig.provider)
    worker = Messenger(slow, rig.messenger.pipeline, rig.ledger, rig.history,  # type: ignore[arg-type]
                       rig.outbox, senders=[rig.sender])
    return worker, slow


def _outbound(rig: Rig) -> list[str]:
    return [m.provider_id or "" for m in rig.history.messages(
        since=NIGHT, until=MORNING + timedelta(days=1), direction=Direction.OUTBOUND)]


KINDS = ["memory", "sqlite", "postgres"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_text_sent_while_another_worker_resent_its_key_is_recorded(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        consent(rig, BOB)
        assert rig.messenger.send(_offer("promo-1"), rig.sender, NIGHT, queue=True).queued
        assert rig.messenger.send(_offer("promo-2", BOB), rig.sender, NIGHT, queue=True).queued
        worker, slow = _worker_a(rig)
        slow.before = lambda: stalled(rig).reconcile(MORNING)
        results = worker.send_due(MORNING)  # raised OutboxConflictError before
        assert [r.key for r in results] == ["promo-1", "promo-2"]  # the batch went on
        assert results[0].outcome.value == "sent"
        assert results[1].outcome.value == "sent"
        # Three texts went out (promo-1 twice: B could not know A's was on its way),
        # and the history counts each one.
        assert len(rig.provider.messages) == 3
        assert sorted(_outbound(rig)) == sorted(r.message_id for _, r in rig.provider._sent)


@pytest.mark.parametrize("kind", KINDS)
def test_a_text_another_worker_found_by_lookup_is_recorded_once(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        assert rig.messenger.send(_offer("promo-1"), rig.sender, NIGHT, queue=True).queued
        worker, slow = _worker_a(rig)
        slow.after = lambda: stalled(rig).reconcile(MORNING)
        [result] = worker.send_due(MORNING)
        assert result.outcome.value == "sent"
        assert len(rig.provider.messages) == 1
        [(_, receipt)] = rig.provider._sent
        assert _outbound(rig) == [receipt.message_id]  # B recorded it; A did not again
