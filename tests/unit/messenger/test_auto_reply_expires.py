"""An auto-reply queued past its deadline is marked ``expired``, as a request past its
``send_by`` is: its time ran out, nothing failed. (It was marked ``failed``.)"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from smskit import CancelOutcome
from smskit.messenger import OutboxState, SendOutcome
from smskit.providers import ErrorCategory

from .conftest import ALICE, OURS, T0, build_rig, consent, outbox_of

KINDS = ["memory", "sqlite", "postgres"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_stop_confirmation_past_its_deadline_is_expired_not_failed(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        rig.provider.fail_next(ErrorCategory.RATE_LIMITED)  # the confirmation is queued
        result = rig.messenger.handle_inbound(
            "u", rig.provider.inbound_params(ALICE, OURS, "STOP"), {}, T0)
        assert result.reply is not None
        assert result.reply.queued
        assert result.outcome is not None
        assert result.outcome.reply is not None
        deadline = result.outcome.reply.send_by
        assert deadline is not None
        key = f"reply:{result.message.message_id}"
        queued = box.get(key)
        assert queued is not None
        assert queued.state is OutboxState.DEFERRED
        late = deadline + timedelta(minutes=1)
        [expired] = rig.messenger.send_due(late)
        assert expired.outcome is SendOutcome.EXPIRED
        assert "auto-reply deadline" in (expired.reason or "")
        kept = box.get(key)
        assert kept is not None
        assert kept.state is OutboxState.EXPIRED
        assert kept.error == f"auto-reply deadline {deadline.isoformat()} passed"
        assert kept.not_before == queued.not_before
        assert rig.provider.messages == ()
        assert rig.messenger.cancel(key, late) is CancelOutcome.EXPIRED
