"""A hand-over that failed unsent never moves another worker's hand-over (rev27m).

For any failure that certainly sent nothing, any attempt budget and any time the other
worker took the key after this one's lease ran out: the key stays as the other worker
left it (``reserved`` at its time, or ``ambiguous``), this call answers ``pending``, and
no ``send_due`` afterwards sends it while the other worker's text may be on its way.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st
from tests.unit.messenger.conftest import build_rig, consent
from tests.unit.messenger.test_hand_over_conflicts import NIGHT, _offer, _Racing

from smskit.errors import ErrorCategory
from smskit.messenger import Messenger, OutboxState

MORNING = NIGHT + timedelta(hours=5)  # 10:00 in New York: due


@given(
    failure=st.sampled_from(["transport", "rate_limited", "temporary", "landline"]),
    max_attempts=st.integers(1, 4),
    late=st.integers(120, 3600),  # seconds after A's claim that B takes the key
    then=st.integers(0, 86400),  # seconds after B's claim that C runs send_due
    ambiguous=st.booleans(),  # B's own hand-over already ended maybe sent
)
def test_a_failure_leaves_another_workers_hand_over(
    failure: str, max_attempts: int, late: int, then: int, ambiguous: bool
) -> None:
    rig = build_rig()
    consent(rig)
    assert rig.messenger.send(_offer("promo-1"), rig.sender, NIGHT, queue=True).queued
    b_at = MORNING + timedelta(seconds=late)

    def b_takes_it() -> None:
        [queued] = rig.messenger.reconcile(b_at, resend=False)
        assert queued.outcome.value == "deferred"
        entry = rig.outbox.get("promo-1")
        assert entry is not None
        rig.outbox.update("promo-1", OutboxState.RESERVED, at=b_at, expected=entry)
        if ambiguous:
            rig.outbox.update("promo-1", OutboxState.AMBIGUOUS, at=b_at, attempted=True)

    def fail() -> None:
        if failure == "transport":
            rig.provider.time_out_next()
        else:
            rig.provider.fail_next(ErrorCategory(failure))

    worker_a = Messenger(_Racing(rig.provider, b_takes_it, fail),  # type: ignore[arg-type]
                         rig.messenger.pipeline, rig.ledger, rig.history, rig.outbox,
                         senders=[rig.sender], max_attempts=max_attempts)
    [result] = worker_a.send_due(MORNING)
    assert result.outcome.value == "pending"
    entry = rig.outbox.get("promo-1")
    assert entry is not None
    held = OutboxState.AMBIGUOUS if ambiguous else OutboxState.RESERVED
    assert (entry.state, entry.updated_at) == (held, b_at)
    assert rig.messenger.send_due(b_at + timedelta(seconds=then)) == ()
    assert rig.provider.messages == ()
