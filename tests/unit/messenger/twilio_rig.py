"""A messenger over the real Twilio SDK, the loopback Messages API and SQLite files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from fake_twilio_api import ACCOUNT, TOKEN, FakeMessagesApi
from smskit.consent import ConsentLedger, Evidence, SQLiteStore
from smskit.consent.sender import Registration, SenderProfile
from smskit.messenger import Messenger, SQLiteMessageHistory, SQLiteOutbox
from smskit.policy import CompliancePipeline, default_policies
from smskit.providers import (
    RetryPolicy,
    TwilioProvider,
    TwilioSignatureVerifier,
    TwilioWebhookParser,
)
from smskit.testing import FixedClock

twilio_rest = pytest.importorskip("twilio.rest")
twilio_http = pytest.importorskip("twilio.http.http_client")

# Friday 2026-11-20, 10:00 in New York.
T0 = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
ALICE = "+12125550123"
OURS = "+12125550199"
SENDER = SenderProfile(
    sender_id=OURS, registration=Registration.APPROVED, consent_scope="acme", brand="Acme"
)


def twilio_provider(base_url: str, clock: FixedClock) -> TwilioProvider:
    http = twilio_http.TwilioHttpClient(timeout=2)
    client = twilio_rest.Client(ACCOUNT, TOKEN, http_client=http)
    client.api.base_url = base_url  # every Messages URL is built from this
    return TwilioProvider(client, retry=RetryPolicy(attempts=2), sleep=lambda _: None, clock=clock)


def twilio_messenger(folder: Path, base_url: str, clock: FixedClock) -> Messenger:
    """Everything durable in ``folder``: opening it again is a restart."""
    ledger = ConsentLedger(SQLiteStore(folder / "consent.db"), clock=clock)
    history = SQLiteMessageHistory(folder / "history.db")
    pipeline = CompliancePipeline(
        default_policies(store=ledger.store, history=history),
        history=history,
    )
    return Messenger(
        twilio_provider(base_url, clock),
        pipeline,
        ledger,
        history,
        SQLiteOutbox(folder / "outbox.db"),
        verifier=TwilioSignatureVerifier(TOKEN),
        parser=TwilioWebhookParser(),
        senders=[SENDER],
    )


def grant(messenger: Messenger, number: str) -> None:
    messenger.ledger.grant(
        number,
        scope="acme",
        purposes=["marketing", "informational"],
        kind="express_written",
        source="web_form",
        at=T0.replace(hour=9),
        evidence=Evidence(consent_text="Texts from Acme", form_url="https://acme.example/join"),
    )


def start_fake(now: FixedClock) -> FakeMessagesApi:
    api = FakeMessagesApi(now=now.now)
    api.thread.start()
    return api


def stop_fake(api: FakeMessagesApi) -> None:
    api.release.set()
    api.server.shutdown()
    api.server.server_close()


def recipient(i: int) -> str:
    """The i-th test recipient (New York numbers, distinct)."""
    return f"+1212555{1000 + i:04d}"


def close(messenger: Messenger) -> None:
    """Close the SQLite files a rig opened (the messenger does not own its stores)."""
    for store in (messenger.history, messenger.outbox, messenger.ledger.store):
        store.close()  # type: ignore[attr-defined]
