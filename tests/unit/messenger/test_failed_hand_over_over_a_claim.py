"""A hand-over that failed unsent must not queue a key another worker is sending (rev27m).

Worker A's provider call stalls past the in-flight lease. Worker B's ``reconcile``
then finds nothing at the provider, queues the key and takes it to send it (``reserved``,
B's hand-over under way). A's call now fails certainly unsent (a transport error, a
refusal that may be retried). A's move to ``deferred`` was a plain update, and
``reserved -> deferred`` is a move, so it wrote over B's claim: the key was due again,
and worker C's ``send_due`` sent it while B's text was going out, twice to the person
(A's own text never went out: without A's write, one text only). The key is B's: A
leaves it as it is and answers ``pending``, and C sends nothing.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from smskit.errors import ErrorCategory
from smskit.messenger import Messenger, OutboxState

from .conftest import Rig, build_rig, consent, outbox_of
from .test_hand_over_conflicts import KINDS, MORNING, NIGHT, _offer, _Racing

B_AT = MORNING + timedelta(minutes=3)  # past A's two-minute lease: B may take the key
C_AT = MORNING + timedelta(minutes=4)  # past A's retry wait: the key would be due


def _b_takes_the_key(rig: Rig) -> None:
    """What B's reconcile does before its own hand-over: queue the key (nothing at the
    provider), then take it (the compare-and-set ``send_due`` and ``reconcile`` use)."""
    [queued] = rig.messenger.reconcile(B_AT, resend=False)
    assert queued.outcome.value == "deferred"
    entry = rig.outbox.get("promo-1")
    assert entry is not None
    rig.outbox.update("promo-1", OutboxState.RESERVED, at=B_AT, expected=entry)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("failure", ["transport", "retryable", "last retry"])
def test_a_failure_leaves_a_key_another_worker_is_sending_to_it(
    kind: str, failure: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        assert rig.messenger.send(_offer("promo-1"), rig.sender, NIGHT, queue=True).queued

        def fail() -> None:
            if failure == "transport":
                rig.provider.time_out_next()  # certainly not sent
            else:
                rig.provider.fail_next(ErrorCategory.RATE_LIMITED)  # a 429: retryable

        worker_a = Messenger(_Racing(rig.provider, lambda: _b_takes_the_key(rig), fail),  # type: ignore[arg-type]
                             rig.messenger.pipeline, rig.ledger, rig.history, rig.outbox,
                             senders=[rig.sender],
                             max_attempts=1 if failure == "last retry" else 8)
        [result] = worker_a.send_due(MORNING)
        assert result.outcome.value == "pending"
        assert not result.queued
        assert "another worker holds this key (reserved)" in (result.reason or "")
        entry = rig.outbox.get("promo-1")
        assert entry is not None
        assert (entry.state, entry.updated_at) == (OutboxState.RESERVED, B_AT)  # B's claim
        # C finds nothing due: B is sending it (before, C sent it a second time).
        assert rig.messenger.send_due(C_AT) == ()
        assert rig.provider.messages == ()  # A's failed, B's is still on its way
