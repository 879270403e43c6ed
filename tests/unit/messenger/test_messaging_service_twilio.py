"""Sending through a Twilio Messaging Service with the real Twilio adapter, against the
loopback Messages API: sent by SID without From, then a report from the pool number
Twilio picked and a STOP to another pool number come back to the service's profile."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from fake_twilio_api import TOKEN, FakeMessagesApi
from smskit.consent import ConsentLedger, SQLiteStore
from smskit.messenger import Messenger, SendOutcome, SQLiteMessageHistory, SQLiteOutbox
from smskit.policy import CompliancePipeline, default_policies
from smskit.providers import MessageStatus, TwilioSignatureVerifier, TwilioWebhookParser
from smskit.testing import FixedClock

from .test_messaging_service import (
    ALICE,
    AT,
    POOL_A,
    POOL_B,
    SERVICE,
    SERVICE_PROFILE,
    _grant,
    _request,
)
from .twilio_rig import start_fake, stop_fake, twilio_provider


@pytest.fixture
def api() -> Iterator[tuple[FakeMessagesApi, FixedClock]]:
    clock = FixedClock(AT)
    fake = start_fake(clock)
    try:
        yield fake, clock
    finally:
        stop_fake(fake)


def _signed(url: str, params: dict[str, str]) -> dict[str, str]:
    validator = pytest.importorskip("twilio.request_validator").RequestValidator(TOKEN)
    return {"X-Twilio-Signature": validator.compute_signature(url, params)}


def test_twilio_adapter_sends_by_service_and_matches_pool_number_webhooks(
    api: tuple[FakeMessagesApi, FixedClock], tmp_path: Path
) -> None:
    fake, clock = api
    ledger = ConsentLedger(SQLiteStore(tmp_path / "consent.db"), clock=clock)
    history = SQLiteMessageHistory(tmp_path / "history.db")
    outbox = SQLiteOutbox(tmp_path / "outbox.db")
    pipeline = CompliancePipeline(
        default_policies(store=ledger.store, history=history), history=history
    )
    messenger = Messenger(
        twilio_provider(fake.base_url, clock), pipeline, ledger, history, outbox,
        verifier=TwilioSignatureVerifier(TOKEN), parser=TwilioWebhookParser(),
        senders=[SERVICE_PROFILE], scope="front-desk",
        status_callback="https://sms.example.com/status",
    )
    try:
        _grant(ledger)
        sent = messenger.send(_request("table-1"), SERVICE_PROFILE, AT)
        assert sent.outcome is SendOutcome.SENT
        (form,) = fake.posts
        assert form["MessagingServiceSid"] == SERVICE
        assert "From" not in form
        assert sent.receipt is not None
        assert sent.receipt.status is MessageStatus.ACCEPTED
        assert sent.receipt.segments is None  # Twilio's 0 before a number is picked
        sid = sent.receipt.message_id
        (record,) = history.messages(since=AT - timedelta(1), until=AT, sender=SERVICE)
        assert (record.provider_id, record.segments) == (sid, 1)  # the engine's count

        url = "https://sms.example.com/status"
        report = {
            "MessageSid": sid, "MessageStatus": "delivered", "To": ALICE, "From": POOL_A,
            "MessagingServiceSid": SERVICE, "AccountSid": "AC" + "0" * 32,
        }
        later = AT + timedelta(minutes=1)
        messenger.handle_status(url, report, _signed(url, report), later)
        (delivery,) = history.deliveries(since=AT, until=later, sender=SERVICE)
        assert (delivery.provider_id, delivery.status) == (sid, "delivered")

        inbound_url = "https://sms.example.com/in"
        stop = {
            "MessageSid": "SM" + "9" * 32, "From": ALICE, "To": POOL_B, "Body": "STOP",
            "NumMedia": "0", "MessagingServiceSid": SERVICE, "AccountSid": "AC" + "0" * 32,
        }
        answered = messenger.handle_inbound(
            inbound_url, stop, _signed(inbound_url, stop), later
        )
        assert answered.reply is not None
        assert answered.reply.outcome is SendOutcome.SENT
        assert fake.posts[-1]["From"] == POOL_B  # confirmed from the number texted
        after = later + timedelta(minutes=1)
        blocked = messenger.send(_request("table-2"), SERVICE_PROFILE, after)
        assert blocked.outcome is SendOutcome.BLOCKED
        assert len(fake.posts) == 2
    finally:
        for store in (history, outbox, ledger.store):
            store.close()
