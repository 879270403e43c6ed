"""Sending through a Twilio Messaging Service: the profile names the service (MG...),
Twilio picks the pool number; replies and reports naming a pool number and the service
come back to the service's profile, its consent scope and its history records."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from smskit.consent import ConsentLedger, ConsentState, Evidence, MemoryStore
from smskit.consent.sender import Registration, SenderProfile
from smskit.errors import ConfigurationError
from smskit.messenger import (
    MemoryMessageHistory,
    MemoryOutbox,
    Messenger,
    SendOutcome,
)
from smskit.policy import CompliancePipeline, Requirement, SendRequest, default_policies
from smskit.providers import (
    MemoryProvider,
    MessageStatus,
)
from smskit.testing import FixedClock

# Friday 2026-11-20, 10:00 in New York.
AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
ALICE = "+12125550123"
POOL_A = "+12125550177"  # two numbers of the service's pool, in no profile
POOL_B = "+12125550178"
SERVICE = "MG" + "0123456789abcdef" * 2
SERVICE_PROFILE = SenderProfile(
    messaging_service=SERVICE, registration=Registration.APPROVED, consent_scope="acme",
    brand="Acme",
)
BODY = "Acme: your table is ready. Reply STOP to opt out"


def _request(key: str, purpose: str = "informational") -> SendRequest:
    return SendRequest(ALICE, body=BODY, purpose=purpose, idempotency_key=key)


def _grant(ledger: ConsentLedger) -> None:
    ledger.grant(
        ALICE, scope="acme", purposes=["informational", "marketing"], kind="express_written",
        source="web_form", at=AT - timedelta(days=1),
        evidence=Evidence(consent_text="Texts from Acme", form_url="https://acme.example/join"),
    )


def _memory_messenger(clock: FixedClock) -> tuple[Messenger, MemoryProvider]:
    ledger = ConsentLedger(MemoryStore(), clock=clock)
    history = MemoryMessageHistory()
    pipeline = CompliancePipeline(
        default_policies(store=ledger.store, history=history), history=history
    )
    provider = MemoryProvider(clock=clock)
    # scope= names a scope that is not the service's: only a reply or report that the
    # messenger ties to the service is recorded in "acme", where sends are judged.
    messenger = Messenger(
        provider, pipeline, ledger, history, MemoryOutbox(), senders=[SERVICE_PROFILE],
        scope="front-desk",
    )
    _grant(ledger)
    return messenger, provider


def _stop_params(provider: MemoryProvider, pool_number: str) -> dict[str, str]:
    return {**provider.inbound_params(ALICE, pool_number, "STOP"), "MessagingServiceSid": SERVICE}


# -- the id ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given",
    [
        "MG123",
        "MG" + "0123456789ABCDEF" * 2,  # Twilio writes SIDs in lower case
        "mg" + "0123456789abcdef" * 2,
        "PN" + "0123456789abcdef" * 2,  # a phone number's SID, not a service's
        SERVICE + " ",
        "40017612-5b6d-4a3c-9b2e-4b6f1d5e7c8a",  # a Telnyx messaging profile id
        "+12125550199",  # a pool number pasted in the wrong field
    ],
)
def test_a_malformed_service_id_is_refused_without_echoing_it(given: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        SenderProfile(messaging_service=given, consent_scope="acme")
    assert caught.value.field == "messaging_service"
    assert "MG" in str(caught.value)
    assert "2125550199" not in str(caught.value)
    with pytest.raises(ConfigurationError) as loaded:
        SenderProfile.from_dict({"messaging_service": given})
    assert loaded.value.field == "messaging_service"


def test_a_number_and_a_service_together_are_refused() -> None:
    with pytest.raises(ConfigurationError, match="not both") as caught:
        SenderProfile(sender_id="+12125550199", messaging_service=SERVICE)
    assert caught.value.field == "messaging_service"


def test_the_profile_loads_and_shows_its_service() -> None:
    profile = SenderProfile.from_dict({"messaging_service": SERVICE, "consent_scope": "acme"})
    assert profile.messaging_service == SERVICE
    assert f"messaging_service='{SERVICE}'" in repr(profile)


# -- through the in-memory provider ---------------------------------------------------------


def test_send_goes_by_service_id_without_a_from() -> None:
    clock = FixedClock(AT)
    messenger, provider = _memory_messenger(clock)
    result = messenger.send(_request("table-1"), SERVICE_PROFILE, AT)
    assert result.outcome is SendOutcome.SENT
    (message,) = provider.messages
    assert message.messaging_service == SERVICE
    assert message.sender is None
    assert result.receipt is not None
    assert result.receipt.status is MessageStatus.ACCEPTED  # Twilio's first status with one
    entry = messenger.outbox.get("table-1")
    assert entry is not None
    assert entry.sender == SERVICE
    (record,) = messenger.history.messages(since=AT - timedelta(1), until=AT, sender=SERVICE)
    assert record.provider_id == result.receipt.message_id
    assert record.contact == ALICE


def test_a_service_profile_is_refused_by_a_telnyx_messenger_before_anything_is_reserved(
) -> None:
    clock = FixedClock(AT)
    ledger = ConsentLedger(MemoryStore(), clock=clock)
    history = MemoryMessageHistory()
    pipeline = CompliancePipeline(
        default_policies(store=ledger.store, history=history), history=history
    )
    provider = MemoryProvider(clock=clock, name="telnyx")
    outbox = MemoryOutbox()
    messenger = Messenger(provider, pipeline, ledger, history, outbox,
                          senders=[SERVICE_PROFILE])
    _grant(ledger)
    with pytest.raises(ConfigurationError, match="Telnyx") as caught:
        messenger.send(_request("table-1"), SERVICE_PROFILE, AT)
    assert caught.value.field == "sender"
    assert outbox.get("table-1") is None
    assert provider.attempts == 0


def test_a_stop_to_any_pool_number_blocks_the_next_send_through_the_service() -> None:
    clock = FixedClock(AT)
    messenger, provider = _memory_messenger(clock)
    assert messenger.send(_request("table-1"), SERVICE_PROFILE, AT).outcome is SendOutcome.SENT
    stop = messenger.handle_inbound(
        "https://sms.example.com/in", _stop_params(provider, POOL_B), {},
        AT + timedelta(minutes=1),
    )
    assert stop.reply is not None
    assert stop.reply.outcome is SendOutcome.SENT
    # The confirmation goes from the number Alice texted.
    assert provider.messages[-1].sender == POOL_B
    later = AT + timedelta(minutes=2)
    status = messenger.ledger.status(ALICE, "informational", scope="acme", at=later)
    assert status.state is ConsentState.REVOKED
    blocked = messenger.send(_request("table-2"), SERVICE_PROFILE, later)
    assert blocked.outcome is SendOutcome.BLOCKED
    assert len(provider.messages) == 2  # the first text and the STOP confirmation
    # The reply is kept under the service's id, as its sends are.
    inbound = [
        m for m in messenger.history.messages(since=AT, until=later, sender=SERVICE)
        if m.direction.value == "inbound"
    ]
    assert [m.contact for m in inbound] == [ALICE]


def test_a_stop_naming_another_service_is_not_this_ones() -> None:
    clock = FixedClock(AT)
    messenger, provider = _memory_messenger(clock)
    other = {**_stop_params(provider, POOL_B), "MessagingServiceSid": "MG" + "f" * 32}
    messenger.handle_inbound("https://sms.example.com/in", other, {}, AT)
    later = AT + timedelta(minutes=1)
    status = messenger.ledger.status(ALICE, "informational", scope="acme", at=later)
    assert status.state is ConsentState.GRANTED  # recorded in scope= ("front-desk")
    assert messenger.send(_request("t"), SERVICE_PROFILE, later).outcome is SendOutcome.SENT


def test_a_report_from_the_pool_number_updates_the_services_record() -> None:
    clock = FixedClock(AT)
    messenger, provider = _memory_messenger(clock)
    sent = messenger.send(_request("table-1"), SERVICE_PROFILE, AT)
    assert sent.receipt is not None
    sid = sent.receipt.message_id
    # Twilio's report names the pool number it picked as From, and the service.
    params = {**provider.status_params(sid, "undelivered", error_code=21610), "From": POOL_A}
    assert params["MessagingServiceSid"] == SERVICE
    later = AT + timedelta(minutes=1)
    result = messenger.handle_status("https://sms.example.com/status", params, {}, later)
    assert result.opted_out
    (delivery,) = messenger.history.deliveries(since=AT, until=later, sender=SERVICE)
    assert (delivery.provider_id, delivery.contact, delivery.code) == (sid, ALICE, "21610")
    assert messenger.history.deliveries(since=AT, until=later, sender=POOL_A) == ()
    # 21610 is the service's opt-out: recorded in its scope, so the engine blocks.
    blocked = messenger.send(_request("table-2"), SERVICE_PROFILE, later)
    assert blocked.outcome is SendOutcome.BLOCKED
    assert messenger.health(SERVICE_PROFILE, later).opted_out == 1


def test_a_send_deferred_by_quiet_hours_goes_through_the_service_later() -> None:
    night = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)  # 02:00 in New York
    clock = FixedClock(night)
    messenger, provider = _memory_messenger(clock)
    # Marketing: quiet hours are the telephone-solicitation rule.
    request = _request("offer-1", "marketing")
    deferred = messenger.send(request, SERVICE_PROFILE, night, queue=True)
    assert deferred.outcome is SendOutcome.DEFERRED
    morning = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    clock.set(morning)
    (result,) = messenger.send_due(morning)
    assert result.outcome is SendOutcome.SENT
    (message,) = provider.messages
    assert (message.sender, message.messaging_service) == (None, SERVICE)


def test_a_queued_stop_confirmation_from_a_pool_number_is_sent_by_send_due() -> None:
    # The confirmation waits out a failed hand-over: its pool number is in no profile and
    # its scope ("acme") is not scope= ("front-desk"), yet it is this messenger's answer.
    clock = FixedClock(AT)
    messenger, provider = _memory_messenger(clock)
    provider.time_out_next()
    stop = messenger.handle_inbound(
        "https://sms.example.com/in", _stop_params(provider, POOL_A), {}, AT
    )
    assert stop.reply is not None
    assert stop.reply.outcome is SendOutcome.FAILED
    queued = messenger.outbox.get(stop.reply.key)
    assert queued is not None
    assert queued.state.value == "deferred"
    later = AT + timedelta(minutes=2)
    clock.set(later)
    (result,) = messenger.send_due(later)
    assert result.outcome is SendOutcome.SENT
    assert [m.sender for m in provider.messages] == [POOL_A]


def test_a_first_message_through_the_service_counts_the_services_own_sends() -> None:
    # As for a number: "first from this sender" is first through this service, whatever
    # another of our numbers sent before.
    clock = FixedClock(AT)
    ledger = ConsentLedger(MemoryStore(), clock=clock)
    history = MemoryMessageHistory()
    pipeline = CompliancePipeline(
        default_policies(store=ledger.store, history=history), history=history
    )
    number = SenderProfile(sender_id="+12125550199", registration=Registration.APPROVED,
                           consent_scope="acme", brand="Acme")
    service = SenderProfile(
        messaging_service=SERVICE, registration=Registration.APPROVED, consent_scope="acme",
        brand="Acme", footer="Reply STOP to opt out",
        footer_when=Requirement(first_message=True),
    )
    provider = MemoryProvider(clock=clock)
    messenger = Messenger(provider, pipeline, ledger, history, MemoryOutbox(),
                          senders=[number, service])
    _grant(ledger)

    def send(key: str, sender: SenderProfile, minutes: int) -> str:
        request = SendRequest(ALICE, body="Acme: your table is ready.",
                              purpose="informational", idempotency_key=key)
        result = messenger.send(request, sender, AT + timedelta(minutes=minutes))
        assert result.outcome is SendOutcome.SENT
        return provider.messages[-1].body

    assert send("n-1", number, 0) == "Acme: your table is ready."
    assert send("s-1", service, 1).endswith("Reply STOP to opt out")
    assert send("s-2", service, 2) == "Acme: your table is ready."


# -- a pool number that also has a profile of its own ---------------------------------------


def _service_and_own_number(clock: FixedClock) -> tuple[Messenger, MemoryProvider, SenderProfile]:
    """The service (scope "acme") and POOL_A's own profile (scope "care", which "acme"
    does not cover): Twilio blocks the whole service after a STOP to any of its
    numbers, POOL_A sent From included."""
    ledger = ConsentLedger(MemoryStore(), clock=clock)
    history = MemoryMessageHistory()
    pipeline = CompliancePipeline(
        default_policies(store=ledger.store, history=history), history=history
    )
    own = SenderProfile(sender_id=POOL_A, registration=Registration.APPROVED,
                        consent_scope="care", brand="Acme")
    provider = MemoryProvider(clock=clock)
    messenger = Messenger(provider, pipeline, ledger, history, MemoryOutbox(),
                          senders=[SERVICE_PROFILE, own], scope="front-desk")
    _grant(ledger)
    ledger.grant(
        ALICE, scope="care", purposes=["informational", "marketing"], kind="express_written",
        source="web_form", at=AT - timedelta(days=1),
        evidence=Evidence(consent_text="Texts from Acme", form_url="https://acme.example/join"),
    )
    return messenger, provider, own


def test_a_stop_through_the_service_to_a_number_with_its_own_profile_blocks_both() -> None:
    clock = FixedClock(AT)
    messenger, provider, own = _service_and_own_number(clock)
    assert messenger.send(_request("care-1"), own, AT).outcome is SendOutcome.SENT
    # Alice answers the number that texted her; it is in the service's pool.
    params = _stop_params(provider, POOL_A)
    messenger.handle_inbound("https://sms.example.com/in", params, {}, AT)
    later = AT + timedelta(minutes=1)
    for scope in ("acme", "care"):
        status = messenger.ledger.status(ALICE, "informational", scope=scope, at=later)
        assert status.state is ConsentState.REVOKED, scope
    assert messenger.send(_request("care-2"), own, later).outcome is SendOutcome.BLOCKED
    assert messenger.send(_request("s-2"), SERVICE_PROFILE, later).outcome is SendOutcome.BLOCKED
    revoked = [e for e in messenger.ledger.store.events(ALICE) if e.kind.value == "revoked"]
    assert sorted(str(e.scope) for e in revoked) == ["acme", "care"]
    # The number's own STOP is held for it as a STOP to it (received_by).
    assert [e.received_by for e in revoked if str(e.scope) == "care"] == [POOL_A]


def test_a_21610_from_a_service_number_with_its_own_profile_blocks_both() -> None:
    clock = FixedClock(AT)
    messenger, provider, own = _service_and_own_number(clock)
    sent = messenger.send(_request("s-1"), SERVICE_PROFILE, AT)
    assert sent.receipt is not None
    params = {**provider.status_params(sent.receipt.message_id, "undelivered",
                                       error_code=21610), "From": POOL_A}
    later = AT + timedelta(minutes=1)
    assert messenger.handle_status("https://sms.example.com/status", params, {}, later).opted_out
    assert messenger.send(_request("care-1"), own, later).outcome is SendOutcome.BLOCKED
    assert messenger.send(_request("s-2"), SERVICE_PROFILE, later).outcome is SendOutcome.BLOCKED


def test_a_provider_matched_opt_out_through_the_service_blocks_the_numbers_profile_too(
) -> None:
    # A word of the service's Advanced Opt-Out that smskit's keywords do not know.
    clock = FixedClock(AT)
    messenger, provider, own = _service_and_own_number(clock)
    params = {**provider.inbound_params(ALICE, POOL_A, "BASTA"),
              "MessagingServiceSid": SERVICE, "OptOutType": "STOP"}
    assert messenger.handle_inbound("https://sms.example.com/in", params, {}, AT).opted_out
    later = AT + timedelta(minutes=1)
    assert messenger.send(_request("care-1"), own, later).outcome is SendOutcome.BLOCKED
    assert messenger.send(_request("s-1"), SERVICE_PROFILE, later).outcome is SendOutcome.BLOCKED


def test_a_stop_through_the_service_to_an_own_number_it_covers_is_recorded_once() -> None:
    clock = FixedClock(AT)
    ledger = ConsentLedger(MemoryStore(), clock=clock)
    history = MemoryMessageHistory()
    pipeline = CompliancePipeline(
        default_policies(store=ledger.store, history=history), history=history
    )
    own = SenderProfile(sender_id=POOL_A, registration=Registration.APPROVED,
                        consent_scope="acme/care", brand="Acme")
    provider = MemoryProvider(clock=clock)
    messenger = Messenger(provider, pipeline, ledger, history, MemoryOutbox(),
                          senders=[SERVICE_PROFILE, own])
    _grant(ledger)
    messenger.handle_inbound("https://sms.example.com/in", _stop_params(provider, POOL_A), {}, AT)
    revoked = [e for e in ledger.store.events(ALICE) if e.kind.value == "revoked"]
    assert [str(e.scope) for e in revoked] == ["acme"]  # "acme" covers "acme/care"
    later = AT + timedelta(minutes=1)
    assert messenger.send(_request("care-1"), own, later).outcome is SendOutcome.BLOCKED


def test_send_due_survives_a_queued_answer_whose_service_is_not_text() -> None:
    # A row edited by hand or by another program: "service" a list. Reading it must not
    # stop send_due (one bad row would hold every queued send behind it).
    clock = FixedClock(AT)
    messenger, provider = _memory_messenger(clock)
    provider.time_out_next()
    stop = messenger.handle_inbound(
        "https://sms.example.com/in", _stop_params(provider, POOL_A), {}, AT
    )
    assert stop.reply is not None
    entry = messenger.outbox.get(stop.reply.key)
    assert entry is not None
    data = json.loads(entry.payload)
    assert data["service"] == SERVICE
    data["service"] = [SERVICE]
    messenger.outbox.update(entry.key, entry.state, at=AT, payload=json.dumps(data))
    later = AT + timedelta(minutes=2)
    clock.set(later)
    messenger.send_due(later)  # no TypeError


def test_a_key_queued_from_a_number_is_not_replaced_by_a_send_through_the_service() -> None:
    # send_due finds the profile by the row's sender: replaced, the service's message
    # would go From the number, judged in the number's scope.
    night = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)  # 02:00 in New York
    clock = FixedClock(night)
    messenger, _provider, own = _service_and_own_number(clock)
    first = messenger.send(_request("offer-1", "marketing"), own, night, queue=True)
    assert first.outcome is SendOutcome.DEFERRED
    again = messenger.send(_request("offer-1", "marketing"), SERVICE_PROFILE, night, queue=True)
    assert again.outcome is SendOutcome.DEFERRED
    assert "another sending number" in again.reason
    entry = messenger.outbox.get("offer-1")
    assert entry is not None
    assert entry.sender == POOL_A
    queued = json.loads(entry.payload)
    assert (queued["sender"], queued["messaging_service"]) == (POOL_A, None)


# -- several profiles through one service ---------------------------------------------------


def _two_programs(first: str, second: str) -> tuple[Messenger, MemoryProvider, SenderProfile,
                                                     SenderProfile]:
    clock = FixedClock(AT)
    ledger = ConsentLedger(MemoryStore(), clock=clock)
    history = MemoryMessageHistory()
    pipeline = CompliancePipeline(
        default_policies(store=ledger.store, history=history), history=history
    )
    one, two = (
        SenderProfile(messaging_service=SERVICE, registration=Registration.APPROVED,
                      consent_scope=scope, brand="Acme")
        for scope in (first, second)
    )
    provider = MemoryProvider(clock=clock)
    messenger = Messenger(provider, pipeline, ledger, history, MemoryOutbox(),
                          senders=[one, two])
    for scope in (first, second):
        ledger.grant(
            ALICE, scope=scope, purposes=["informational", "marketing"],
            kind="express_written", source="web_form", at=AT - timedelta(days=1),
            evidence=Evidence(consent_text="Texts from Acme",
                              form_url="https://acme.example/join"),
        )
    return messenger, provider, one, two


@pytest.mark.parametrize("order", [("acme/promo", "acme/alerts"), ("acme", "acme/alerts"),
                                   ("acme/alerts", "acme")])
def test_two_programs_through_one_service_both_send_and_one_stop_stops_both(
    order: tuple[str, str],
) -> None:
    # Twilio's opt-out stops the whole service: recorded in a scope covering both.
    messenger, provider, one, two = _two_programs(*order)
    assert messenger.send(_request("one-1"), one, AT).outcome is SendOutcome.SENT
    assert messenger.send(_request("two-1"), two, AT).outcome is SendOutcome.SENT
    messenger.handle_inbound("https://sms.example.com/in", _stop_params(provider, POOL_A), {}, AT)
    later = AT + timedelta(minutes=1)
    assert messenger.send(_request("one-2"), one, later).outcome is SendOutcome.BLOCKED
    assert messenger.send(_request("two-2"), two, later).outcome is SendOutcome.BLOCKED


def test_two_programs_through_one_service_with_nothing_in_common_are_refused() -> None:
    with pytest.raises(ConfigurationError, match="whole service") as caught:
        _two_programs("acme", "bravo")
    assert caught.value.field == "senders"


def test_scope_for_a_service_that_is_not_text_is_the_numbers() -> None:
    messenger, _provider = _memory_messenger(FixedClock(AT))
    assert messenger.scope_for(POOL_A, service=[SERVICE]) == "front-desk"  # type: ignore[arg-type]


def test_a_start_to_another_pool_number_lifts_the_services_opt_out() -> None:
    clock = FixedClock(AT)
    messenger, provider = _memory_messenger(clock)
    url = "https://sms.example.com/in"
    messenger.handle_inbound(url, _stop_params(provider, POOL_A), {}, AT)
    later = AT + timedelta(minutes=1)
    assert messenger.send(_request("t-1"), SERVICE_PROFILE, later).outcome is SendOutcome.BLOCKED
    start = {**provider.inbound_params(ALICE, POOL_B, "START"), "MessagingServiceSid": SERVICE}
    messenger.handle_inbound(url, start, {}, later)
    after = later + timedelta(minutes=1)
    status = messenger.ledger.status(ALICE, "informational", scope="acme", at=after)
    assert status.state is ConsentState.GRANTED
    assert messenger.send(_request("t-2"), SERVICE_PROFILE, after).outcome is SendOutcome.SENT


def test_a_service_profile_whose_revocation_scope_misses_the_services_is_refused_up_front(
) -> None:
    # Replies through the service are recorded in "acme" (both programs); a
    # revocation_scope of "acme/promo" would make every STOP raise when it comes.
    one = SenderProfile(messaging_service=SERVICE, consent_scope="acme/promo",
                        revocation_scope="acme/promo")
    two = SenderProfile(messaging_service=SERVICE, consent_scope="acme/alerts")
    clock = FixedClock(AT)
    ledger = ConsentLedger(MemoryStore(), clock=clock)
    history = MemoryMessageHistory()
    pipeline = CompliancePipeline(
        default_policies(store=ledger.store, history=history), history=history
    )
    with pytest.raises(ConfigurationError, match="revocation_scope") as caught:
        Messenger(MemoryProvider(clock=clock), pipeline, ledger, history, MemoryOutbox(),
                  senders=[one, two])
    assert caught.value.field == "senders"
