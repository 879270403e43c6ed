"""Two tenants (two messengers, two providers: two Twilio subaccounts) whose outboxes are
one table. Tenant B's STOP confirmation, queued after a provider outage, was sent by
tenant A's ``send_due``: through A's provider, from B's number (user34). A queued answer
to a reply now names the consent scope it answers in, and only a messenger whose replies
to that number go to that scope sends it."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from smskit import (
    CompliancePipeline,
    ConfigurationError,
    ConsentLedger,
    Evidence,
    MemoryMessageHistory,
    MemoryOutbox,
    MemoryProvider,
    MemoryStore,
    Messenger,
    Registration,
    SenderProfile,
    SendRequest,
    default_policies,
)
from smskit.testing import FixedClock

AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
CUSTOMER = "+12125550123"
SALON = "+12125550101"
DENTAL = "+13125550201"


def _tenant(outbox: MemoryOutbox, number: str, scope: str) -> tuple[Messenger, MemoryProvider]:
    ledger = ConsentLedger(MemoryStore())
    history = MemoryMessageHistory()
    pipeline = CompliancePipeline(default_policies(store=ledger.store, history=history),
                                  history=history)
    provider = MemoryProvider(clock=FixedClock(AT))
    profile = SenderProfile(sender_id=number, registration=Registration.APPROVED,
                            consent_scope=scope, brand=scope.title())
    ledger.grant(CUSTOMER, scope=scope, purposes="informational", kind="express",
                 source="web_form", at=AT - timedelta(days=1),
                 evidence=Evidence(consent_text=f"Reminders from {scope}"))
    return Messenger(provider, pipeline, ledger, history, outbox, senders=[profile]), provider


def test_a_queued_stop_confirmation_goes_out_through_its_own_tenant_only() -> None:
    outbox = MemoryOutbox()
    salon, salon_provider = _tenant(outbox, SALON, "salon")
    dental, dental_provider = _tenant(outbox, DENTAL, "dental")
    dental_provider.fail_next("temporary")  # the confirmation is queued to retry
    stop = dental.handle_inbound(
        "https://sms.example/dental", dental_provider.inbound_params(CUSTOMER, DENTAL, "STOP"),
        {}, AT)
    assert stop.reply is not None
    assert [e.sender for e in outbox.due(AT + timedelta(hours=1))] == [DENTAL]  # queued
    later = AT + timedelta(minutes=2)

    by_salon = salon.send_due(later)
    assert [r.outcome.value for r in by_salon] == ["pending"]
    assert salon_provider.messages == ()

    by_dental = dental.send_due(later)
    assert [r.outcome.value for r in by_dental] == ["sent"]
    assert [(m.sender, m.to) for m in dental_provider.messages] == [(DENTAL, CUSTOMER)]


def test_an_answer_queued_by_an_older_smskit_still_goes_out() -> None:
    # Rows written before the scope was kept have none: sent as before.
    outbox = MemoryOutbox()
    dental, provider = _tenant(outbox, DENTAL, "dental")
    provider.fail_next("temporary")
    dental.handle_inbound("https://sms.example/dental",
                          provider.inbound_params(CUSTOMER, DENTAL, "HELP"), {}, AT)
    (entry,) = outbox.due(AT + timedelta(hours=1))
    data = json.loads(entry.payload)
    assert data.pop("scope") == "dental"
    older = MemoryOutbox()
    older.reserve(replace(entry, payload=json.dumps(data)))
    restarted, provider = _tenant(older, DENTAL, "dental")
    assert [r.outcome.value for r in restarted.send_due(AT + timedelta(minutes=2))] == ["sent"]
    assert [m.sender for m in provider.messages] == [DENTAL]


def test_a_profile_without_a_number_is_refused_saying_so() -> None:
    # user34: a tenant set up for a Messaging Service (a profile with no sender_id) got
    # "an OutboundMessage needs a sender or a messaging_service", which send() takes no
    # way to give.
    outbox = MemoryOutbox()
    salon, provider = _tenant(outbox, SALON, "salon")
    numberless = SenderProfile(registration=Registration.APPROVED, consent_scope="salon",
                               brand="Salon")
    request = SendRequest(CUSTOMER, body="Salon: see you Tuesday. Reply STOP to opt out",
                          purpose="informational", idempotency_key="appt-1")
    with pytest.raises(ConfigurationError, match="no sender_id") as caught:
        salon.send(request, numberless, AT)
    assert caught.value.field == "sender"
    assert outbox.get("appt-1") is None
    assert provider.messages == ()


def test_reconcile_leaves_another_tenants_answer_to_its_own_provider() -> None:
    # Dental's STOP confirmation timed out after its provider took it. Looked up at the
    # salon's provider (where it is not) it was queued again, and dental's worker then
    # sent the confirmation a second time.
    outbox = MemoryOutbox()
    salon, salon_provider = _tenant(outbox, SALON, "salon")
    dental, dental_provider = _tenant(outbox, DENTAL, "dental")
    dental_provider.time_out_next(processed=True)
    dental.handle_inbound(
        "https://sms.example/dental", dental_provider.inbound_params(CUSTOMER, DENTAL, "STOP"),
        {}, AT)
    (unresolved,) = outbox.unresolved()
    later = AT + timedelta(minutes=10)

    assert salon.reconcile(later) == ()
    assert outbox.get(unresolved.key) == unresolved  # untouched
    assert [r.outcome.value for r in dental.reconcile(later)] == ["sent"]
    assert salon_provider.messages == ()
    assert len(dental_provider.messages) == 1
