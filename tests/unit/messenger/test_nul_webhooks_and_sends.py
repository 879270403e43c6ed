"""A NUL character reaching the Messenger (review rev29x), on a PostgreSQL history (the
real server) and the memory one alike: a customer's STOP with a NUL in its body is
recorded; a webhook whose identifying fields hold one is refused as a webhook
(ProviderResponseError, nothing recorded) on every store, not a ConfigurationError after
the ledger or before it; a send whose subject holds one is refused before the provider
is asked, where the PostgreSQL history used to refuse it after the text went out."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from smskit import SendRequest
from smskit.consent import ConsentLedger
from smskit.errors import ConfigurationError, ProviderResponseError
from smskit.messenger import (
    MemoryMessageHistory,
    MemoryOutbox,
    MessageHistory,
    Messenger,
    OutboxState,
    PostgresMessageHistory,
)
from smskit.policy import CompliancePipeline, default_policies
from smskit.pricing import Direction
from smskit.providers import MemoryProvider
from smskit.testing import FixedClock

from .conftest import ALICE, OURS, T0, build_rig, consent


@pytest.fixture(params=["memory", "postgres"])
def history(request: pytest.FixtureRequest) -> Iterator[MessageHistory]:
    if request.param == "memory":
        yield MemoryMessageHistory()
        return
    dsn = request.getfixturevalue("postgres_dsn")
    with PostgresMessageHistory(dsn, schema=request.getfixturevalue("pg_schema")) as store:
        store.create_schema()
        yield store


def _messenger(history: MessageHistory) -> tuple[Messenger, MemoryProvider, ConsentLedger]:
    """The rig's ledger and sender over ``history``."""
    rig = build_rig()
    clock = FixedClock(T0)
    provider = MemoryProvider(clock=clock)
    pipeline = CompliancePipeline(
        default_policies(store=rig.ledger.store, history=history), history=history
    )
    messenger = Messenger(provider, pipeline, rig.ledger, history, MemoryOutbox(),
                          senders=[rig.sender])
    consent(rig)
    return messenger, provider, rig.ledger


def _state(ledger: ConsentLedger) -> str:
    return ledger.status(ALICE, "informational", scope="acme", at=T0).state.value


WINDOW = {"since": T0.replace(hour=0), "until": T0.replace(hour=23)}


def test_a_stop_whose_body_holds_a_nul_is_recorded(history: MessageHistory) -> None:
    messenger, provider, ledger = _messenger(history)
    result = messenger.handle_inbound("u", provider.inbound_params(ALICE, OURS, "STOP\x00"),
                                      {}, T0)
    assert _state(ledger) == "revoked"
    assert result.outcome is not None
    [kept] = [m for m in history.messages(**WINDOW) if m.direction is Direction.INBOUND]
    assert kept.reply == "opt_out"


@pytest.mark.parametrize("field", ["MessageSid", "From", "To"])
def test_an_inbound_webhook_with_a_nul_in_a_kept_field_is_refused_as_a_webhook(
    history: MessageHistory, field: str
) -> None:
    messenger, provider, ledger = _messenger(history)
    params = provider.inbound_params(ALICE, OURS, "STOP", message_id="SM1")
    params[field] += "\x00"
    with pytest.raises(ProviderResponseError, match="holds a NUL character"):
        messenger.handle_inbound("u", params, {}, T0)
    # Refused before anything: the same on every store (a 400, not a 500 retried).
    assert _state(ledger) == "granted"
    assert history.messages(**WINDOW) == ()
    assert not history.processed("SM1:received")


def test_a_status_callback_with_a_nul_is_refused_as_a_webhook(history: MessageHistory) -> None:
    messenger, _, ledger = _messenger(history)
    params = {"MessageSid": "SM1", "MessageStatus": "undelivered", "ErrorCode": "21610",
              "From": OURS, "To": ALICE + "\x00"}
    with pytest.raises(ProviderResponseError, match="to holds a NUL character"):
        messenger.handle_status("u", params, {}, T0)
    assert history.deliveries(**WINDOW) == ()
    assert _state(ledger) == "granted"


@pytest.mark.parametrize(("field", "subject", "key"),
                         [("subject", "promo\x00", "k1"), ("idempotency_key", None, "k\x001")])
def test_a_send_whose_subject_or_key_holds_a_nul_is_refused_before_the_provider(
    history: MessageHistory, field: str, subject: str | None, key: str
) -> None:
    messenger, provider, _ = _messenger(history)
    sender = build_rig().sender
    request = SendRequest(recipient=ALICE, body="Your code is 1234", purpose="informational",
                          subject=subject, idempotency_key=key)
    with pytest.raises(ConfigurationError, match=f"request.{field} holds a NUL") as refused:
        messenger.send(request, sender, T0)
    assert refused.value.field == field
    assert provider.messages == ()  # PostgreSQL's refusal came after the send
    assert history.messages(**WINDOW) == ()


def test_a_row_queued_with_a_nul_subject_fails_alone_and_the_batch_goes_on() -> None:
    # Queued before the refusal (an older smskit): send_due marks that row failed with
    # the reason and sends the others, instead of raising mid-batch.
    rig = build_rig()
    consent(rig)
    night = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # 05:00 in New York: queued
    for n in range(2):
        offer = SendRequest(recipient=ALICE, body=f"Acme: offer {n}. Reply STOP to opt out",
                            subject="promo", idempotency_key=f"offer-{n}")
        assert rig.messenger.send(offer, rig.sender, night, queue=True).queued
    queued = rig.outbox.get("offer-0")
    assert queued is not None
    data = json.loads(queued.payload)
    data["request"]["subject"] = "promo\x00"
    rig.outbox.update("offer-0", OutboxState.DEFERRED, at=night, not_before=queued.not_before,
                      payload=json.dumps(data), expected=queued)
    bad, good = rig.messenger.send_due(T0)
    assert (bad.key, bad.outcome.value) == ("offer-0", "failed")
    assert "subject holds a NUL character" in (bad.reason or "")
    assert good.outcome.value == "sent"
    assert len(rig.provider.messages) == 1
