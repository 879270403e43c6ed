"""Sending through a Twilio Messaging Service on PostgreSQL stores (the real server): the
SID (34 characters) is the sender of the outbox row, the history records and the send
history; a deferred send goes later by the SID; a report from a pool number and a STOP to
another pool number come back to the service's scope."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import _services
from smskit.consent import ConsentLedger, ConsentState
from smskit.messenger import Messenger, PostgresMessageHistory, PostgresOutbox, SendOutcome
from smskit.policy import CompliancePipeline, default_policies
from smskit.providers import MemoryProvider
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
    _stop_params,
)

_services.require_module("psycopg", "postgres")


def test_a_service_send_its_report_and_a_stop_on_postgres(
    postgres_dsn: str, pg_schema: str
) -> None:
    from smskit.consent.postgres import PostgresConsentStore

    night = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)  # 02:00 in New York
    clock = FixedClock(night)
    with PostgresConsentStore(postgres_dsn, schema=pg_schema) as store, \
            PostgresOutbox(postgres_dsn, schema=pg_schema) as outbox, \
            PostgresMessageHistory(postgres_dsn, schema=pg_schema) as history:
        for made in (store, outbox, history):
            made.create_schema()
        ledger = ConsentLedger(store, clock=clock)
        pipeline = CompliancePipeline(
            default_policies(store=store, history=history), history=history
        )
        provider = MemoryProvider(clock=clock)
        messenger = Messenger(provider, pipeline, ledger, history, outbox,
                              senders=[SERVICE_PROFILE], scope="front-desk")
        _grant(ledger)
        deferred = messenger.send(_request("offer-1", "marketing"), SERVICE_PROFILE, night,
                                  queue=True)
        assert deferred.outcome is SendOutcome.DEFERRED
        queued = outbox.get("offer-1")
        assert queued is not None
        assert queued.sender == SERVICE
        clock.set(AT)
        (sent,) = messenger.send_due(AT)
        assert sent.outcome is SendOutcome.SENT
        assert sent.receipt is not None
        (message,) = provider.messages
        assert (message.sender, message.messaging_service) == (None, SERVICE)
        (record,) = history.messages(since=night, until=AT, sender=SERVICE)
        assert record.provider_id == sent.receipt.message_id
        assert len(history.sent_at(since=night, until=AT, recipient=ALICE, sender=SERVICE)) == 1

        report = {**provider.status_params(sent.receipt.message_id, "delivered"),
                  "From": POOL_A}
        later = AT + timedelta(minutes=1)
        messenger.handle_status("https://sms.example.com/status", report, {}, later)
        (delivery,) = history.deliveries(since=AT, until=later, sender=SERVICE)
        assert delivery.status == "delivered"

        messenger.handle_inbound("https://sms.example.com/in", _stop_params(provider, POOL_B),
                                 {}, later)
        after = later + timedelta(minutes=1)
        status = ledger.status(ALICE, "marketing", scope="acme", at=after)
        assert status.state is ConsentState.REVOKED
        blocked = messenger.send(_request("offer-2", "marketing"), SERVICE_PROFILE, after)
        assert blocked.outcome is SendOutcome.BLOCKED
        assert len(provider.messages) == 2  # the text and the answer to the STOP
