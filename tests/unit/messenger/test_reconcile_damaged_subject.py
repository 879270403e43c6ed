"""An unresolved row whose payload reads but whose subject is not text.

``reconcile`` guarded reading the payload, yet a row that parsed with a subject that
is not a non-empty text (a list, a number, ``""``: a hand edit) got as far as a
lookup, was marked ``sent``, and raised ``ConfigurationError`` from recording it in
the send history: the history lacked the message (caps did not count it) and every
unresolved row after it stayed unresolved. Such a row is now unreadable like any
other damaged one: answered ``pending``, left as it is.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from smskit import SendRequest
from smskit.messenger import OutboxState

from .conftest import ALICE, T0, build_rig, consent


@pytest.mark.parametrize("subject", [["spring"], 5, ""])
def test_reconcile_goes_past_a_row_with_a_damaged_subject(subject: object) -> None:
    rig = build_rig()
    consent(rig)
    for key in ("damaged", "sound"):
        rig.provider.time_out_next(processed=True)  # taken; the answer lost
        sent = rig.messenger.send(
            SendRequest(recipient=ALICE, purpose="transactional", idempotency_key=key,
                        body=f"Acme: your technician is on the way ({key})", subject="visit"),
            rig.sender, T0)
        assert sent.outcome.value == "pending"
    stored = rig.outbox.get("damaged")
    assert stored is not None
    payload = json.dumps({**json.loads(stored.payload), "subject": subject})
    rig.outbox.update("damaged", OutboxState.AMBIGUOUS, at=T0, payload=payload)

    results = {r.key: r for r in rig.messenger.reconcile(T0 + timedelta(minutes=5))}
    assert results["sound"].outcome.value == "sent"
    assert results["damaged"].outcome.value == "pending"
    assert "cannot be read" in (results["damaged"].reason or "")
    damaged = rig.outbox.get("damaged")
    assert damaged is not None
    assert damaged.state is OutboxState.AMBIGUOUS
    recorded = rig.history.messages(since=T0 - timedelta(days=1), until=T0 + timedelta(days=1))
    assert [m.key for m in recorded] == ["sound"]
