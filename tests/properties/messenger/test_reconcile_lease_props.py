"""``reconcile`` touches an unresolved row only once it is as old as the lease (fix27m).

For any in-flight lease, ``older_than`` and row age: a reservation the provider never
got is left alone (not looked up, not sent) while younger than the longer of the two,
and sent exactly once from then on. A row younger than the lease may be another
worker's send in flight; ``older_than`` can lengthen the wait, never shorten it.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from hypothesis import given
from hypothesis import strategies as st
from tests.unit.messenger.conftest import ALICE, OURS, T0, build_rig, consent

from smskit import SendRequest
from smskit.messenger import Messenger, OutboxEntry, OutboxState

SECONDS = st.integers(0, 900)


@cache
def _payload() -> str:
    """The payload ``send`` writes for the request, from a real send on a scratch rig."""
    scratch = build_rig()
    consent(scratch)
    request = SendRequest(recipient=ALICE, idempotency_key="k1", purpose="transactional",
                          body="Acme: your technician is on the way")
    scratch.messenger.send(request, scratch.sender, T0)
    entry = scratch.outbox.get("k1")
    assert entry is not None
    assert entry.payload is not None
    return entry.payload


@given(in_flight=SECONDS, older_than=SECONDS, age=SECONDS)
def test_a_row_is_resolved_only_from_the_longer_of_lease_and_older_than(
    in_flight: int, older_than: int, age: int
) -> None:
    rig = build_rig()
    consent(rig)
    # Reserved at T0, never handed over (a crash, or a worker still on its way).
    rig.outbox.reserve(OutboxEntry("k1", ALICE, OURS, OutboxState.RESERVED, T0, T0,
                                   payload=_payload()))
    messenger = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                          rig.outbox, senders=[rig.sender],
                          in_flight=timedelta(seconds=in_flight))
    at = T0 + timedelta(seconds=age)
    results = messenger.reconcile(at, older_than=timedelta(seconds=older_than))
    entry = rig.outbox.get("k1")
    assert entry is not None
    if age >= in_flight and age >= older_than:
        assert [r.outcome.value for r in results] == ["sent"]
        assert len(rig.provider.messages) == 1
        assert entry.state is OutboxState.SENT
    else:
        assert results == ()
        assert rig.provider.messages == ()
        assert entry == OutboxEntry("k1", ALICE, OURS, OutboxState.RESERVED, T0, T0,
                                    payload=_payload())
    # Again at the same instant: nothing left, or still too young.
    assert messenger.reconcile(at, older_than=timedelta(seconds=older_than)) == ()
    assert len(rig.provider.messages) <= 1
