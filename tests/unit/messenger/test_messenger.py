"""Messenger.send, handle_inbound and handle_status over the memory provider."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from smskit.errors import ConfigurationError, WebhookSignatureError
from smskit.messenger import MemoryOutbox, OutboxEntry, OutboxState, SendOutcome
from smskit.policy import SendRequest
from smskit.pricing import Direction
from smskit.providers import ErrorCategory, MessageStatus, TwilioSignatureVerifier

from .conftest import ALICE, OURS, T0, Rig, build_rig, consent


def _request(
    key: str = "k1",
    body: str = "Acme: 20% off today. Reply STOP to opt out",
    purpose: str = "marketing",
) -> SendRequest:
    return SendRequest(
        recipient=ALICE,
        body=body,
        purpose=purpose,  # type: ignore[arg-type]
        idempotency_key=key,
    )


def test_an_allowed_send_goes_once_and_is_recorded(rig: Rig) -> None:
    consent(rig)
    result = rig.messenger.send(_request(), rig.sender, T0)
    assert result.outcome is SendOutcome.SENT, result.reason
    assert result.receipt is not None
    assert result.decision is not None
    assert len(rig.provider.messages) == 1
    assert rig.provider.messages[0].body == result.decision.body
    entry = rig.outbox.get("k1")
    assert entry is not None
    assert (entry.state, entry.provider_id) == (OutboxState.SENT, result.receipt.message_id)
    [record] = rig.history.messages(since=T0 - timedelta(1), until=T0)
    assert (record.direction, record.contact, record.key) == (Direction.OUTBOUND, ALICE, "k1")
    assert record.segments == result.decision.segments
    again = rig.messenger.send(_request(), rig.sender, T0 + timedelta(minutes=1))
    assert again.outcome is SendOutcome.DUPLICATE
    assert len(rig.provider.messages) == 1


def test_without_consent_nothing_is_reserved_or_sent(rig: Rig) -> None:
    result = rig.messenger.send(_request(), rig.sender, T0)
    assert result.outcome is SendOutcome.BLOCKED
    assert rig.provider.attempts == 0
    assert rig.outbox.get("k1") is None


def test_a_key_is_required(rig: Rig) -> None:
    with pytest.raises(ConfigurationError, match="idempotency_key"):
        rig.messenger.send(SendRequest(recipient=ALICE, body="hi"), rig.sender, T0)


def test_quiet_hours_defer_and_queue_then_send_due_sends_once(rig: Rig) -> None:
    consent(rig)
    night = T0 + timedelta(hours=13)  # 23:00 in New York
    result = rig.messenger.send(_request(), rig.sender, night, queue=True)
    assert result.outcome is SendOutcome.DEFERRED
    assert result.not_before is not None
    assert result.not_before > night
    assert result.queued
    assert rig.outbox.due(night) == ()
    sent = rig.messenger.send_due(result.not_before)
    assert [r.outcome for r in sent] == [SendOutcome.SENT]
    assert rig.messenger.send_due(result.not_before + timedelta(hours=1)) == ()
    assert len(rig.provider.messages) == 1


def test_an_ambiguous_failure_is_reconciled_not_resent(rig: Rig) -> None:
    consent(rig)
    rig.provider.time_out_next(processed=True)  # taken, answer lost
    result = rig.messenger.send(_request(), rig.sender, T0)
    assert result.outcome is SendOutcome.PENDING
    assert rig.outbox.get("k1").state is OutboxState.AMBIGUOUS  # type: ignore[union-attr]
    # Younger than the in-flight lease (2 minutes): left alone, it may be in flight.
    assert rig.messenger.reconcile(T0 + timedelta(minutes=1)) == ()
    [found] = rig.messenger.reconcile(T0 + timedelta(minutes=3))
    assert found.outcome is SendOutcome.SENT
    assert found.receipt is not None
    assert found.receipt.recovered
    assert len(rig.provider.messages) == 1
    assert rig.messenger.send(_request(), rig.sender, T0).outcome is SendOutcome.DUPLICATE
    assert len(rig.history.messages(since=T0 - timedelta(1), until=T0 + timedelta(1))) == 1


def test_a_reserved_entry_the_provider_never_got_is_sent_on_reconcile(rig: Rig) -> None:
    consent(rig)
    rig.provider.time_out_next(processed=True)
    rig.messenger.send(_request("a"), rig.sender, T0)
    # A crash between reserve and send: the entry is reserved, the provider has nothing.
    box = MemoryOutbox()
    rig2 = build_rig(box)
    consent(rig2)
    entry = rig.outbox.get("a")
    assert entry is not None
    box.reserve(
        entry.__class__(
            **{**{f: getattr(entry, f) for f in entry.__slots__}, "state": OutboxState.RESERVED}
        )
    )
    [resent] = rig2.messenger.reconcile(T0 + timedelta(minutes=5))
    assert resent.outcome is SendOutcome.SENT
    assert not resent.receipt.recovered  # type: ignore[union-attr]
    assert len(rig2.provider.messages) == 1


def test_an_in_flight_key_is_not_looked_up_or_sent_by_a_second_caller(rig: Rig) -> None:
    consent(rig)
    rig.provider.time_out_next(processed=True)
    rig.messenger.send(_request(), rig.sender, T0)
    early = rig.messenger.send(_request(), rig.sender, T0 + timedelta(seconds=30))
    assert early.outcome is SendOutcome.PENDING
    later = rig.messenger.send(_request(), rig.sender, T0 + timedelta(minutes=5))
    assert later.outcome is SendOutcome.SENT  # found by lookup, not sent again
    assert len(rig.provider.messages) == 1


def test_a_transport_failure_is_queued_for_retry(rig: Rig) -> None:
    consent(rig)
    rig.provider.time_out_next(processed=False)
    result = rig.messenger.send(_request(), rig.sender, T0)
    assert (result.outcome, result.queued) == (SendOutcome.FAILED, True)
    assert result.not_before == T0 + timedelta(minutes=1)
    [retry] = rig.messenger.send_due(T0 + timedelta(minutes=1))
    assert retry.outcome is SendOutcome.SENT
    assert len(rig.provider.messages) == 1


def test_a_final_rejection_fails_the_key_and_is_recorded(rig: Rig) -> None:
    consent(rig)
    rig.provider.fail_next(ErrorCategory.INVALID_NUMBER)
    result = rig.messenger.send(_request(), rig.sender, T0)
    assert (result.outcome, result.category) == (SendOutcome.FAILED, ErrorCategory.INVALID_NUMBER)
    assert rig.outbox.get("k1").state is OutboxState.FAILED  # type: ignore[union-attr]
    again = rig.messenger.send(_request(), rig.sender, T0 + timedelta(minutes=1))
    assert again.outcome is SendOutcome.FAILED
    assert rig.provider.attempts == 1
    [report] = rig.history.deliveries(since=T0 - timedelta(1), until=T0)
    assert report.category == "invalid_number"


def _stop(rig: Rig, sid: str = "SM" + "1" * 32, body: str = "STOP") -> dict[str, str]:
    return rig.provider.inbound_params(ALICE, OURS, body, message_id=sid)


def test_a_stop_revokes_consent_confirms_once_and_blocks_marketing(rig: Rig) -> None:
    consent(rig)
    url = "https://example.com/sms"
    result = rig.messenger.handle_inbound(url, _stop(rig), {}, T0)
    assert result.outcome is not None
    assert result.outcome.event is not None
    assert result.reply is not None
    assert result.reply.outcome is SendOutcome.SENT
    assert [m.to for m in rig.provider.messages] == [ALICE]
    assert "unsubscribed" in rig.provider.messages[0].body
    retried = rig.messenger.handle_inbound(url, _stop(rig), {}, T0 + timedelta(seconds=5))
    assert retried.duplicate
    second = rig.messenger.handle_inbound(
        url, _stop(rig, "SM" + "2" * 32), {}, T0 + timedelta(minutes=1)
    )
    assert second.reply is None  # already opted out: no second confirmation
    assert len(rig.provider.messages) == 1
    blocked = rig.messenger.send(_request("m2"), rig.sender, T0 + timedelta(minutes=2))
    assert blocked.outcome is SendOutcome.BLOCKED
    inbound = rig.history.messages(
        since=T0 - timedelta(1), until=T0 + timedelta(1), direction=Direction.INBOUND
    )
    assert [m.reply for m in inbound] == ["opt_out", "opt_out"]


def test_a_stop_is_recorded_even_when_the_confirmation_fails(rig: Rig) -> None:
    consent(rig)
    rig.provider.fail_next(ErrorCategory.ACCOUNT)
    result = rig.messenger.handle_inbound("https://example.com/sms", _stop(rig), {}, T0)
    assert result.reply is not None
    assert result.reply.outcome is SendOutcome.FAILED
    assert rig.messenger.send(_request(), rig.sender, T0).outcome is SendOutcome.BLOCKED


def test_a_bad_signature_is_refused_and_records_nothing() -> None:
    rig = build_rig()
    verifier = TwilioSignatureVerifier("secret-token")
    messenger = rig.messenger.__class__(
        rig.provider,
        rig.messenger.pipeline,
        rig.ledger,
        rig.history,
        rig.outbox,
        verifier=verifier,
    )
    with pytest.raises(WebhookSignatureError, match="nothing was recorded"):
        messenger.handle_inbound(
            "https://example.com/sms", _stop(rig), {"X-Twilio-Signature": "forged"}, T0
        )
    assert rig.ledger.history(ALICE) == ()
    assert rig.history.messages(since=T0 - timedelta(1), until=T0 + timedelta(1)) == ()


def test_unsubscribed_status_writes_an_opt_out_and_failures_suppress(rig: Rig) -> None:
    consent(rig)
    sent = rig.messenger.send(
        _request("a", purpose="informational", body="Your order shipped"), rig.sender, T0
    )
    assert sent.receipt is not None
    params = rig.provider.status_params(
        sent.receipt.message_id, MessageStatus.UNDELIVERED, error_code=21610
    )
    result = rig.messenger.handle_status("https://example.com/status", params, {}, T0)
    assert result.opted_out
    assert rig.messenger.handle_status("https://example.com/status", params, {}, T0).duplicate
    blocked = rig.messenger.send(_request("b"), rig.sender, T0 + timedelta(minutes=1))
    assert blocked.outcome is SendOutcome.BLOCKED
    assert rig.provider.attempts == 1  # blocked by the engine, not by the provider


def test_numbers_failing_as_invalid_are_suppressed_after_the_count(rig: Rig) -> None:
    consent(rig)
    for i, minutes in enumerate((0, 10)):
        sent = rig.messenger.send(
            _request(f"t{i}", purpose="transactional", body=f"Code {i}"),
            rig.sender,
            T0 + timedelta(minutes=minutes),
        )
        assert sent.receipt is not None
        params = rig.provider.status_params(
            sent.receipt.message_id, MessageStatus.UNDELIVERED, error_code=30006
        )
        status = rig.messenger.handle_status("u", params, {}, T0 + timedelta(minutes=minutes + 1))
    assert status.suppressed
    third = rig.messenger.send(
        _request("t9", purpose="transactional", body="Code 9"),
        rig.sender,
        T0 + timedelta(minutes=20),
    )
    assert third.outcome is SendOutcome.BLOCKED
    assert third.decision is not None
    assert "delivery.suppressed" in third.decision.codes


def test_reconcile_decides_again_before_resending(rig: Rig) -> None:
    consent(rig)
    # Reserved, never taken (a crash before the provider answered), then a STOP.
    rig.outbox.reserve(OutboxEntry("k9", ALICE, OURS, OutboxState.RESERVED, T0, T0,
                                   payload=_payload_of(rig)))
    rig.messenger.handle_inbound("u", rig.provider.inbound_params(ALICE, OURS, "STOP"), {}, T0)
    sent_before = len(rig.provider.messages)
    assert rig.messenger.reconcile(T0, older_than=timedelta(minutes=1)) == ()  # in flight
    [result] = rig.messenger.reconcile(T0 + timedelta(minutes=5))
    assert result.outcome is SendOutcome.BLOCKED
    assert len(rig.provider.messages) == sent_before
    assert rig.outbox.get("k9").state is OutboxState.FAILED  # type: ignore[union-attr]


def _payload_of(rig: Rig) -> str:
    """The payload send() writes, taken from a real send on a scratch rig."""
    scratch = build_rig()
    consent(scratch)
    scratch.messenger.send(_request("k9"), scratch.sender, T0)
    entry = scratch.outbox.get("k9")
    assert entry is not None
    return entry.payload


def test_a_stop_with_half_a_surrogate_pair_is_recorded_and_confirmed(rig: Rig) -> None:
    consent(rig)
    params = rig.provider.inbound_params(ALICE, OURS, "STOP \ud83d")
    result = rig.messenger.handle_inbound("u", params, {}, T0)
    assert result.reply is not None
    assert result.reply.outcome is SendOutcome.SENT
    [inbound] = rig.history.messages(since=T0 - timedelta(1), until=T0,
                                     direction=Direction.INBOUND)
    assert inbound.segments == 1


def test_sending_a_key_left_reserved_by_a_crash_looks_it_up_then_sends_once(rig: Rig) -> None:
    consent(rig)
    rig.outbox.reserve(OutboxEntry("k9", ALICE, OURS, OutboxState.RESERVED, T0, T0,
                                   payload=_payload_of(rig)))
    assert rig.messenger.send(_request("k9"), rig.sender, T0).outcome is SendOutcome.PENDING
    result = rig.messenger.send(_request("k9"), rig.sender, T0 + timedelta(minutes=5))
    assert result.outcome is SendOutcome.SENT, result.reason
    assert len(rig.provider.messages) == 1
    stored = rig.outbox.get("k9")
    assert stored is not None
    assert stored.state is OutboxState.SENT
    assert stored.attempts == 1


def test_a_queued_request_decided_again_stores_what_it_sends(rig: Rig) -> None:
    consent(rig)
    night = T0 + timedelta(hours=13)
    deferred = rig.messenger.send(_request("q", body="Big sale"), rig.sender, night, queue=True)
    assert deferred.not_before is not None
    # What was prepared at deferral time may differ from what goes out (a footer no
    # longer due, a template value changed): stand in an older text.
    stale = rig.outbox.get("q")
    assert stale is not None
    older = {**json.loads(stale.payload), "body": "Old text"}
    rig.outbox.update("q", OutboxState.DEFERRED, at=night, not_before=deferred.not_before,
                      payload=json.dumps(older))
    rig.provider.time_out_next(processed=True)
    [pending] = rig.messenger.send_due(deferred.not_before)
    assert pending.outcome is SendOutcome.PENDING
    after = rig.outbox.get("q")
    assert after is not None
    # The payload a lookup uses after a crash is the one of the message that went out.
    assert rig.provider.messages[0].body in after.payload
    assert "Old text" not in after.payload


def test_a_provider_configuration_error_fails_the_key_instead_of_leaving_it_reserved(
    rig: Rig,
) -> None:
    # EmailGatewayProvider.send raises ConfigurationError for a number missing
    # from its directory, before any SMTP traffic. The key stayed RESERVED: the
    # same key then answered "in flight", and later "cannot look messages up;
    # resolve this key by hand", for a message that was certainly not sent.
    from smskit.messenger import Messenger
    from smskit.providers import EmailGatewayProvider, TwilioWebhookParser

    consent(rig)
    gateway = EmailGatewayProvider(
        "127.0.0.1", 9, sender_address="alerts@example.com", directory={}, clock=rig.clock
    )
    messenger = Messenger(
        gateway, rig.messenger.pipeline, rig.ledger, rig.history, rig.outbox,
        senders=[rig.sender], parser=TwilioWebhookParser(),
    )  # fmt: skip
    with pytest.raises(ConfigurationError, match="directory"):
        messenger.send(_request(purpose="informational"), rig.sender, T0)
    entry = rig.outbox.get("k1")
    assert entry is not None
    assert entry.state is OutboxState.FAILED
    assert "directory" in (entry.error or "")
    again = messenger.send(_request(purpose="informational"), rig.sender, T0 + timedelta(hours=1))
    assert again.outcome is SendOutcome.FAILED
    assert "directory" in again.reason


def test_a_custom_keyword_the_provider_matched_as_stop_revokes_without_a_second_reply(
    rig: Rig,
) -> None:
    # Twilio's Advanced Opt-Out marks a custom keyword set up in its console with
    # OptOutType=STOP and blocks the number; the ledger does not know the word.
    consent(rig)
    params = rig.provider.inbound_params(ALICE, OURS, "QUITACME")
    params["OptOutType"] = "STOP"
    result = rig.messenger.handle_inbound("u", params, {}, T0)
    assert result.opted_out
    assert result.reply is None  # the provider answers its own keyword
    [revoked] = [e for e in rig.ledger.history(ALICE) if e.kind.value == "revoked"]
    assert revoked.revocation_method is not None
    assert "QUITACME" not in repr(revoked)
    later = rig.messenger.send(_request(), rig.sender, T0 + timedelta(minutes=5))
    assert later.outcome is SendOutcome.BLOCKED
    assert rig.provider.messages == ()


def test_a_stop_the_ledger_already_read_is_not_revoked_twice(rig: Rig) -> None:
    consent(rig)
    params = rig.provider.inbound_params(ALICE, OURS, "STOP")
    params["OptOutType"] = "STOP"
    result = rig.messenger.handle_inbound("u", params, {}, T0)
    assert not result.opted_out
    assert [e.kind.value for e in rig.ledger.history(ALICE)].count("revoked") == 1


def test_without_the_provider_match_an_unknown_word_is_an_ordinary_reply(rig: Rig) -> None:
    consent(rig)
    result = rig.messenger.handle_inbound(
        "u", rig.provider.inbound_params(ALICE, OURS, "QUITACME"), {}, T0
    )
    assert not result.opted_out
    assert "revoked" not in [e.kind.value for e in rig.ledger.history(ALICE)]
