"""Regression tests from the adversarial review of the messenger."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from smskit.errors import ProviderAmbiguousError
from smskit.messenger import (
    MemoryOutbox,
    Messenger,
    OutboxEntry,
    OutboxState,
    SendOutcome,
    SendResult,
)
from smskit.policy import SendRequest
from smskit.providers import ErrorCategory, OutboundMessage, SendReceipt
from smskit.purpose import Purpose

from .conftest import ALICE, OURS, T0, Rig, consent
from .test_health_usage import CARD


class _DiedError(Exception):
    """Stands for the process being killed inside the provider call."""


def _dying(message: OutboundMessage) -> SendReceipt:
    raise _DiedError


def _dies(*args: object, **kwargs: object) -> None:
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


class _StaleDue:
    """An outbox whose ``due()`` answers what it read before another process
    took the entry (the window between reading the queue and taking an entry)."""

    def __init__(self, outbox: MemoryOutbox, snapshot: tuple[OutboxEntry, ...]) -> None:
        self._outbox = outbox
        self._snapshot = snapshot

    def due(
        self, at: datetime, *, limit: int | None = None, after: OutboxEntry | None = None
    ) -> tuple[OutboxEntry, ...]:
        return self._snapshot if after is None else ()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._outbox, name)


def test_two_workers_draining_one_queue_send_a_queued_reply_once(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = rig.provider
    provider.fail_next(ErrorCategory.RATE_LIMITED)  # the HELP answer is queued
    rig.messenger.handle_inbound("u", provider.inbound_params(ALICE, OURS, "HELP"), {}, T0)
    later = T0 + timedelta(minutes=2)
    snapshot = rig.outbox.due(later)
    assert len(snapshot) == 1
    other = Messenger(
        provider,
        rig.messenger.pipeline,
        rig.ledger,
        rig.history,
        _StaleDue(rig.outbox, snapshot),  # type: ignore[arg-type]
        senders=[rig.sender],
    )
    real_send = provider.send
    results: list[tuple[SendResult, ...]] = []
    raced: list[bool] = []

    def racing(message: OutboundMessage) -> SendReceipt:
        # While this worker hands the reply over, the other one, which read
        # the queue at the same moment, drains it too.
        if not raced:
            raced.append(True)
            results.append(other.send_due(later))
        return real_send(message)

    monkeypatch.setattr(provider, "send", racing)
    [mine] = rig.messenger.send_due(later)
    assert mine.outcome is SendOutcome.SENT
    [[theirs]] = results
    assert theirs.outcome is SendOutcome.PENDING
    assert len(provider.messages) == 1


def test_a_text_from_a_short_code_is_recorded_once_and_touches_no_consent(rig: Rig) -> None:
    # Carriers and other services text our number from short codes ("12345"):
    # nobody's consent is at stake, but the message is received (and billed).
    params = rig.provider.inbound_params("12345", OURS, "Your code is 0042")
    result = rig.messenger.handle_inbound("u", params, {}, T0)
    assert result.outcome is None
    assert result.reply is None
    assert rig.messenger.handle_inbound("u", params, {}, T0).duplicate
    [received] = rig.history.messages(since=T0 - timedelta(days=1), until=T0)
    assert (received.contact, received.segments) == ("12345", 1)
    assert rig.provider.messages == ()


def test_a_text_from_a_short_code_is_logged_with_the_code_shown(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    # A short code is a public name, shown as it is everywhere else (mask_sender).
    params = rig.provider.inbound_params("12345", OURS, "Your code is 0042")
    with caplog.at_level("INFO", logger="smskit"):
        rig.messenger.handle_inbound("u", params, {}, T0)
    assert "inbound message from a non-phone sender 12345" in caplog.text


@pytest.mark.parametrize("body", ["Your parts order 7781 is ready for pickup", "STOP"])
def test_a_text_from_a_toll_free_number_is_recorded_and_touches_no_consent(
    rig: Rig, body: str
) -> None:
    # user31: a supplier texts the shop's number from its toll-free line. The ledger
    # holds no consent for a toll-free number (it refuses one), so handle_inbound raised
    # ConsentError: a 500 on every retry of the webhook, the message never recorded.
    params = rig.provider.inbound_params("+18005550123", OURS, body)
    result = rig.messenger.handle_inbound("u", params, {}, T0)
    assert result.outcome is None
    assert result.reply is None
    assert rig.messenger.handle_inbound("u", params, {}, T0).duplicate
    [received] = rig.history.messages(since=T0 - timedelta(days=1), until=T0)
    assert received.contact == "+18005550123"
    assert rig.provider.messages == ()
    assert rig.messenger.ledger.store.count() == 0


def test_usage_prices_a_text_from_a_short_code_in_our_numbers_country(rig: Rig) -> None:
    params = rig.provider.inbound_params("12345", OURS, "Your code is 0042")
    rig.messenger.handle_inbound("u", params, {}, T0)
    used = rig.messenger.usage(OURS, since=T0 - timedelta(days=1), until=T0, rates=CARD)
    assert (used.messages_in, used.segments_in) == (1, 1)
    assert used.cost == Decimal("0.0079")  # the card's US inbound rate, one segment


def _several(message: OutboundMessage, since: datetime, until: datetime | None = None) -> None:
    raise ProviderAmbiguousError("2 messages could be this one", provider="memory")


def test_reconcile_keeps_an_entry_pending_when_the_lookup_finds_several_candidates(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    consent(rig)
    with monkeypatch.context() as patch:
        patch.setattr(rig.provider, "send", _ambiguous)
        rig.messenger.send(_request(), rig.sender, T0)
    monkeypatch.setattr(rig.provider, "lookup", _several)
    for minutes in (5, 60):
        [result] = rig.messenger.reconcile(T0 + timedelta(minutes=minutes))
        assert result.outcome is SendOutcome.PENDING
        assert "2 messages could be this one" in result.reason
    entry = rig.outbox.get("k1")
    assert entry is not None
    assert entry.state is OutboxState.AMBIGUOUS
    assert rig.provider.messages == ()
    assert rig.messenger.send_due(T0 + timedelta(days=1)) == ()


def _stop_dying_after_the_ledger_write(
    rig: Rig, monkeypatch: pytest.MonkeyPatch, sid: str
) -> dict[str, str]:
    consent(rig)
    params = rig.provider.inbound_params(ALICE, OURS, "STOP", message_id=sid)
    with monkeypatch.context() as patch, contextlib.suppress(_DiedError):
        patch.setattr(rig.history, "record_message", _dying)  # dies after the ledger write
        rig.messenger.handle_inbound("u", params, {}, T0)
    assert rig.provider.messages == ()
    return params


def _revocations(rig: Rig) -> list[str | None]:
    return [
        e.evidence.reference for e in rig.ledger.store.events(ALICE) if e.kind.value == "revoked"
    ]


def test_a_stop_retried_after_a_crash_before_the_reply_was_reserved_is_confirmed_once(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = "SM" + "2" * 32
    params = _stop_dying_after_the_ledger_write(rig, monkeypatch, sid)
    retried = rig.messenger.handle_inbound("u", params, {}, T0 + timedelta(seconds=30))
    assert retried.reply is not None
    assert retried.reply.outcome is SendOutcome.SENT
    rig.messenger.reconcile(T0 + timedelta(minutes=5))
    # The default confirmation, led by the sender's brand (it does not name it).
    assert [m.body for m in rig.provider.messages] == [
        "Acme: You are unsubscribed and will receive no more messages from us. "
        "Reply START to resubscribe."
    ]
    assert _revocations(rig) == [sid]  # the STOP recorded once
    # A third delivery of the same webhook (it was processed now) changes nothing.
    again = rig.messenger.handle_inbound("u", params, {}, T0 + timedelta(minutes=1))
    assert again.duplicate
    assert len(rig.provider.messages) == 1


@pytest.mark.parametrize(("after", "confirmed"), [
    (timedelta(minutes=5), True),  # the last instant ConfirmationPolicy allows
    (timedelta(minutes=5, microseconds=1), False),
    (timedelta(hours=2), False),
])
def test_a_retried_stop_is_confirmed_only_within_5_minutes_of_the_opt_out(
    rig: Rig, monkeypatch: pytest.MonkeyPatch, after: timedelta, confirmed: bool
) -> None:
    sid = "SM" + "3" * 32
    params = _stop_dying_after_the_ledger_write(rig, monkeypatch, sid)
    retried = rig.messenger.handle_inbound("u", params, {}, T0 + after)
    assert retried.outcome is not None
    assert retried.outcome.event is not None
    assert retried.outcome.event.occurred_at == T0  # the opt-out, not the retry
    assert (retried.reply is not None) is confirmed
    assert len(rig.provider.messages) == (1 if confirmed else 0)
    assert _revocations(rig) == [sid]
    rig.messenger.reconcile(T0 + timedelta(hours=3))
    assert rig.messenger.send_due(T0 + timedelta(hours=3)) == ()
    assert len(rig.provider.messages) == (1 if confirmed else 0)


def test_a_retried_stop_from_someone_already_opted_out_gets_no_confirmation(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    consent(rig)
    first = rig.provider.inbound_params(ALICE, OURS, "STOP", message_id="SM" + "4" * 32)
    rig.messenger.handle_inbound("u", first, {}, T0)
    assert len(rig.provider.messages) == 1
    sid = "SM" + "5" * 32
    second = rig.provider.inbound_params(ALICE, OURS, "STOP", message_id=sid)
    with monkeypatch.context() as patch, contextlib.suppress(_DiedError):
        patch.setattr(rig.history, "record_message", _dying)
        rig.messenger.handle_inbound("u", second, {}, T0 + timedelta(seconds=10))
    retried = rig.messenger.handle_inbound("u", second, {}, T0 + timedelta(seconds=20))
    assert retried.reply is None
    assert len(rig.provider.messages) == 1
    assert _revocations(rig) == ["SM" + "4" * 32, sid]


def test_a_delivery_report_retried_after_a_partial_failure_counts_once(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 21610 (unsubscribed): the report is recorded, then the ledger write dies,
    # so the webhook is not marked processed and the provider posts it again.
    from smskit.providers import MessageStatus

    consent(rig)
    sent = rig.messenger.send(_request(), rig.sender, T0)
    assert sent.receipt is not None
    params = rig.provider.status_params(
        sent.receipt.message_id, MessageStatus.UNDELIVERED, error_code=21610
    )
    with monkeypatch.context() as patch, contextlib.suppress(_DiedError):
        patch.setattr(rig.ledger, "revoke_once", _dies)
        rig.messenger.handle_status("u", params, {}, T0 + timedelta(minutes=1))
    retried = rig.messenger.handle_status("u", params, {}, T0 + timedelta(minutes=2))
    assert retried.opted_out
    health = rig.messenger.health(OURS, T0 + timedelta(hours=1))
    assert (health.sent, health.recipients, health.opted_out) == (1, 1, 1)
    assert dict(health.failures) == {"unsubscribed": 1}
    assert health.error_rate == Decimal(1)
    assert health.opt_out_rate == Decimal(1)
