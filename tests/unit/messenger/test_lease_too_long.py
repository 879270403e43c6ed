"""A very long ``older_than`` or ``in_flight`` means "leave every reservation alone".

Both are checked when given (a ``timedelta`` of 0 or more), yet ``at - older_than``
was computed per row: ``timedelta.max`` (or ten thousand years) passed every run while
nothing was unresolved, then raised a bare ``OverflowError`` out of ``reconcile`` (and
out of ``send`` of the key) the day a crash left a row to resolve. The row's age is
compared instead, which no lease can push out of range.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from smskit import SendRequest
from smskit.messenger import Messenger, OutboxState

from .conftest import ALICE, T0, Rig, build_rig, consent

LATER = T0 + timedelta(days=2)
LONG = [timedelta.max, timedelta(days=3_650_000)]
REQUEST = SendRequest(recipient=ALICE, purpose="transactional", idempotency_key="job-7",
                      body="Acme: your technician is on the way")


def _ambiguous() -> Rig:
    rig = build_rig()
    consent(rig)
    rig.provider.time_out_next(processed=True)  # taken; the answer lost
    assert rig.messenger.send(REQUEST, rig.sender, T0).outcome.value == "pending"
    return rig


@pytest.mark.parametrize("older_than", LONG)
def test_reconcile_leaves_every_row_younger_than_a_very_long_older_than(
    older_than: timedelta,
) -> None:
    rig = _ambiguous()
    assert rig.messenger.reconcile(LATER, older_than=older_than) == ()
    entry = rig.outbox.get("job-7")
    assert entry is not None
    assert entry.state is OutboxState.AMBIGUOUS


@pytest.mark.parametrize("in_flight", LONG)
def test_send_of_a_key_in_a_very_long_in_flight_answers_pending(in_flight: timedelta) -> None:
    rig = _ambiguous()
    messenger = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                          rig.outbox, senders=[rig.sender], in_flight=in_flight)
    result = messenger.send(REQUEST, rig.sender, LATER)
    assert result.outcome.value == "pending"
    assert "in flight" in (result.reason or "")
    assert len(rig.provider.messages) == 1
