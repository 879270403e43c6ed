"""An inbound webhook retried after a crash mid-reply is counted once in usage.

The inbound message is recorded before the auto-reply is sent and the webhook
is marked processed after it, so a crash in the reply makes the provider post
the webhook again and the message is recorded twice. The provider billed it
once; usage (and a bundle drawn on inbound segments) must count it once.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest

from smskit.pricing import Direction
from smskit.providers import OutboundMessage, SendReceipt

from .conftest import ALICE, OURS, T0, Rig, consent


class _DiedError(Exception):
    """Stands for the process being killed inside the provider call."""


def _dying(message: OutboundMessage) -> SendReceipt:
    raise _DiedError


def test_an_inbound_message_recorded_twice_by_a_retried_webhook_counts_once(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    consent(rig)
    params = rig.provider.inbound_params(ALICE, OURS, "HELP", message_id="SM" + "8" * 32)
    with monkeypatch.context() as patch, contextlib.suppress(_DiedError):
        patch.setattr(rig.provider, "send", _dying)
        rig.messenger.handle_inbound("u", params, {}, T0)
    rig.messenger.handle_inbound("u", params, {}, T0 + timedelta(minutes=3))
    since, until = T0 - timedelta(hours=1), T0 + timedelta(hours=1)
    recorded = rig.history.messages(since=since, until=until, direction=Direction.INBOUND)
    assert len(recorded) == 2  # the retry recorded it again: what usage must see through
    used = rig.messenger.usage(OURS, since=since, until=until)
    assert (used.messages_in, used.segments_in) == (1, 1)
    assert (used.messages_out, used.segments_out) == (1, 1)  # the HELP answer, once
