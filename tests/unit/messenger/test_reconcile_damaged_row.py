"""A damaged unresolved row does not stop crash recovery for the rows after it.

``reconcile`` read each unresolved row's payload without a guard: one row damaged
in the store (a hand edit, a bad migration) raised ``JSONDecodeError`` out of it,
and every unresolved row after it stayed unresolved. The damaged row is now left
as it is (the provider may hold its message, so it is neither resent nor failed)
and answered ``pending``; the others are resolved.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from smskit import SendRequest
from smskit.messenger import OutboxState

from .conftest import ALICE, T0, build_rig, consent, outbox_of


@pytest.mark.parametrize("kind", ["memory", "sqlite", "postgres"])
def test_reconcile_goes_past_a_damaged_row(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        for key in ("damaged", "sound"):
            rig.provider.time_out_next(processed=True)  # taken; the answer lost
            sent = rig.messenger.send(
                SendRequest(recipient=ALICE, purpose="transactional", idempotency_key=key,
                            body=f"Acme: your technician is on the way ({key})"),
                rig.sender, T0)
            assert sent.outcome.value == "pending"
        rig.outbox.update("damaged", OutboxState.AMBIGUOUS, at=T0, payload="{not json")
        results = {r.key: r for r in rig.messenger.reconcile(T0 + timedelta(minutes=5))}
        assert results["sound"].outcome.value == "sent"
        assert results["damaged"].outcome.value == "pending"
        assert "cannot be read" in (results["damaged"].reason or "")
        damaged = rig.outbox.get("damaged")
        assert damaged is not None
        assert damaged.state is OutboxState.AMBIGUOUS
        assert damaged.payload == "{not json"
        assert len(rig.provider.messages) == 2  # each once: nothing resent
