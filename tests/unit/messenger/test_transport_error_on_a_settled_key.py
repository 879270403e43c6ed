"""A hand-over that fails without sending, on a key another worker settled meanwhile.

Worker A's provider call stalls past the in-flight lease; another worker's ``reconcile``
takes the key and sends it (or, the person having sent STOP meanwhile, fails it). Then
A's call fails certainly unsent (a transport error, or a refusal that may be retried).
A cannot queue the final entry for a retry, and nobody else will retry it either, yet A
answered ``pending`` ("the provider may have it; reconcile will tell"): a caller
waiting on that answer waited for ever. A now answers the key's real state: sent by the
other worker (``duplicate``, with its provider id), or failed (``failed``, with the
other worker's reason).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from smskit.errors import ErrorCategory, OutboxConflictError
from smskit.messenger import Messenger, OutboxState

from .conftest import ALICE, OURS, Rig, build_rig, consent, outbox_of, stalled
from .test_hand_over_conflicts import KINDS, MORNING, NIGHT, _offer, _Racing


def _worker(rig: Rig, before: Callable[[], None], fail: Callable[[], None]) -> Messenger:
    consent(rig)
    assert rig.messenger.send(_offer("promo-1"), rig.sender, NIGHT, queue=True).queued
    return Messenger(_Racing(rig.provider, before, fail),  # type: ignore[arg-type]
                     rig.messenger.pipeline, rig.ledger, rig.history, rig.outbox,
                     senders=[rig.sender])


def _transport(rig: Rig) -> Callable[[], None]:
    return lambda: rig.provider.time_out_next()  # certainly not sent


def _too_many(rig: Rig) -> Callable[[], None]:
    return lambda: rig.provider.fail_next(ErrorCategory.RATE_LIMITED)  # a 429: retryable


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("failure", [_transport, _too_many])
def test_a_key_the_other_worker_sent_answers_duplicate_not_pending(
    kind: str, failure: Callable[[Rig], Callable[[], None]], tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        worker = _worker(rig, lambda: stalled(rig).reconcile(MORNING), failure(rig))
        [result] = worker.send_due(MORNING)
        entry = rig.outbox.get("promo-1")
        assert entry is not None
        assert entry.state is OutboxState.SENT  # B's send, as B wrote it
        sent_by_b = rig.provider.receipts[0].message_id
        assert entry.provider_id == sent_by_b
        assert result.outcome.value == "duplicate"
        assert not result.queued
        assert sent_by_b in result.reason
        assert "another worker sent this key" in result.reason
        assert len(rig.provider.messages) == 1  # B's text only: A's never went out
        assert worker.send_due(MORNING) == ()  # nothing left to retry


def _stop_then_reconcile(rig: Rig) -> Callable[[], None]:
    def run() -> None:
        # The person opts out while A's call hangs: B's resend decides again and fails it.
        rig.messenger.handle_inbound(
            "https://sms.example.com/in", rig.provider.inbound_params(ALICE, OURS, "STOP"),
            {}, MORNING)
        stalled(rig).reconcile(MORNING)
    return run


@pytest.mark.parametrize("kind", KINDS)
def test_a_key_the_other_worker_failed_answers_failed_not_pending(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        worker = _worker(rig, _stop_then_reconcile(rig), _transport(rig))
        [result] = worker.send_due(MORNING)
        entry = rig.outbox.get("promo-1")
        assert entry is not None
        assert entry.state is OutboxState.FAILED
        assert result.outcome.value == "failed"
        assert not result.queued
        assert "another worker failed this key" in result.reason
        assert (entry.error or "") in result.reason
        assert "use a new key" in result.reason
        # Only the STOP confirmation went out; promo-1 never did.
        assert [m for m in rig.provider.messages if m.idempotency_key == "promo-1"] == []


def test_a_key_still_held_by_an_outbox_stricter_than_the_moves_stays_pending() -> None:
    """An outbox of one's own may refuse more moves than the state machine: the key then
    stays the other worker's, and ``pending`` says so."""
    rig = build_rig()
    consent(rig)
    assert rig.messenger.send(_offer("promo-1"), rig.sender, NIGHT, queue=True).queued
    inner = rig.provider

    def refuse_deferred() -> None:
        original = rig.outbox.update

        def update(key: str, state: OutboxState, **kw: object) -> None:
            if state is OutboxState.DEFERRED:
                raise OutboxConflictError("held by another worker")
            original(key, state, **kw)  # type: ignore[arg-type]

        rig.outbox.update = update  # type: ignore[method-assign]
        inner.time_out_next()

    worker = Messenger(_Racing(inner, lambda: None, refuse_deferred),  # type: ignore[arg-type]
                       rig.messenger.pipeline, rig.ledger, rig.history, rig.outbox,
                       senders=[rig.sender])
    [result] = worker.send_due(MORNING)
    assert result.outcome.value == "pending"
    assert "another worker holds this key (reserved)" in result.reason
    assert rig.provider.messages == ()
