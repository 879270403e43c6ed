"""Regression tests from the adversarial review of the messenger."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest

from smskit.errors import ProviderAmbiguousError
from smskit.messenger import OutboxState, SendOutcome
from smskit.policy import SendRequest
from smskit.providers import OutboundMessage, SendReceipt
from smskit.purpose import Purpose

from .conftest import ALICE, OURS, T0, Rig, consent


class _DiedError(Exception):
    """Stands for the process being killed inside the provider call."""


def _dying(message: OutboundMessage) -> SendReceipt:
    raise _DiedError


def test_a_retried_help_after_a_crash_mid_reply_is_answered_once_and_recorded(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first delivery of a HELP dies while the answer is being handed over,
    # before the provider took it: the reservation stays and the webhook is not
    # marked processed, so the provider retries it.
    provider = rig.provider
    sid = "SM" + "1" * 32
    params = provider.inbound_params(ALICE, OURS, "HELP", message_id=sid)
    with monkeypatch.context() as patch, contextlib.suppress(_DiedError):
        patch.setattr(provider, "send", _dying)
        rig.messenger.handle_inbound("u", params, {}, T0)
    entry = rig.outbox.get(f"reply:{sid}")
    assert entry is not None
    assert entry.state is OutboxState.RESERVED
    # The retry comes after the in-flight allowance: the lookup finds nothing,
    # so the answer goes now, and is recorded as sent (not left queued).
    later = T0 + timedelta(minutes=5)
    result = rig.messenger.handle_inbound("u", params, {}, later)
    assert result.reply is not None
    assert result.reply.outcome is SendOutcome.SENT
    assert len(provider.messages) == 1
    stored = rig.outbox.get(f"reply:{sid}")
    assert stored is not None
    assert stored.state is OutboxState.SENT
    assert rig.messenger.send_due(later + timedelta(hours=1)) == ()
    assert len(provider.messages) == 1


def _request(key: str = "k1") -> SendRequest:
    return SendRequest(
        recipient=ALICE,
        body="Acme: your order shipped",
        purpose=Purpose.TRANSACTIONAL,
        idempotency_key=key,
    )


def _ambiguous(message: OutboundMessage) -> SendReceipt:
    raise ProviderAmbiguousError("timed out after sending", provider="memory")


def test_an_ambiguous_entry_the_provider_never_got_is_resent_once_by_reconcile(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    consent(rig)
    with monkeypatch.context() as patch:
        patch.setattr(rig.provider, "send", _ambiguous)
        first = rig.messenger.send(_request(), rig.sender, T0)
    assert first.outcome is SendOutcome.PENDING
    entry = rig.outbox.get("k1")
    assert entry is not None
    assert entry.state is OutboxState.AMBIGUOUS
    [resent] = rig.messenger.reconcile(T0 + timedelta(minutes=5))
    assert resent.outcome is SendOutcome.SENT
    assert len(rig.provider.messages) == 1
