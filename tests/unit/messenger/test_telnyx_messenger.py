"""A Messenger over TelnyxProvider (loopback send endpoint) with Telnyx's signed JSON webhooks.

The same Messenger that runs Twilio's form webhooks takes Telnyx's through
``telnyx_form``: a signed STOP is recorded and confirmed through Telnyx, a forged
one changes nothing, and a finalized delivery event is recorded against the message.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from _services import require_module
from fake_telnyx_api import API_KEY, Action, FakeTelnyxApi
from smskit.consent import ConsentLedger, MemoryStore
from smskit.errors import ConfigurationError, ProviderResponseError, WebhookSignatureError
from smskit.messenger import MemoryMessageHistory, MemoryOutbox, Messenger, SendOutcome
from smskit.policy import CompliancePipeline, SendRequest, default_policies
from smskit.providers import (
    MessageStatus,
    RetryPolicy,
    TelnyxProvider,
    TelnyxSignatureVerifier,
    TelnyxWebhookParser,
    telnyx_form,
)
from smskit.testing import FixedClock

from .conftest import ALICE, OURS, T0, build_rig

ed25519 = require_module("cryptography.hazmat.primitives.asymmetric.ed25519", "telnyx")
serialization = require_module("cryptography.hazmat.primitives.serialization", "telnyx")

KEY = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
PUBLIC = base64.b64encode(
    KEY.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
).decode()
URL = "https://hooks.acme.example/telnyx"


def _signed(body: bytes, at_offset: int = 0) -> dict[str, str]:
    stamp = str(int(T0.timestamp()) + at_offset)
    signature = KEY.sign(stamp.encode() + b"|" + body)
    return {"telnyx-signature-ed25519": base64.b64encode(signature).decode(),
            "telnyx-timestamp": stamp}  # fmt: skip


def _event(event_type: str, payload: dict[str, Any]) -> bytes:
    document = {"data": {"event_type": event_type, "id": "ev-9", "payload": payload}}
    return json.dumps(document).encode()


@pytest.fixture
def api() -> Iterator[FakeTelnyxApi]:
    fake = FakeTelnyxApi().start()
    yield fake
    fake.stop()


def _messenger(api: FakeTelnyxApi, **options: Any) -> Messenger:
    rig = build_rig()  # its ledger, stores and sender profile; Telnyx in place of memory
    clock = FixedClock(T0)
    provider = TelnyxProvider(
        API_KEY, base_url=api.base_url, clock=clock, sleep=lambda _: None,
        retry=RetryPolicy(attempts=2), timeout=2.0,
    )  # fmt: skip
    ledger = ConsentLedger(MemoryStore(), clock=clock)
    history = MemoryMessageHistory()
    pipeline = CompliancePipeline(
        default_policies(store=ledger.store, history=history), history=history
    )
    return Messenger(
        provider, pipeline, ledger, history, MemoryOutbox(),
        verifier=TelnyxSignatureVerifier(PUBLIC, tolerance=timedelta(minutes=5), clock=clock),
        parser=TelnyxWebhookParser(), senders=[rig.sender], **options,
    )  # fmt: skip


STOP = _event("message.received", {
    "id": "in-7", "text": "STOP", "from": {"phone_number": ALICE},
    "to": [{"phone_number": OURS, "status": "webhook_delivered"}],
})  # fmt: skip


def test_a_signed_stop_is_recorded_and_confirmed_through_telnyx(api: FakeTelnyxApi) -> None:
    messenger = _messenger(api)
    result = messenger.handle_inbound(URL, telnyx_form(STOP), _signed(STOP), T0)
    assert not result.duplicate
    assert result.message.body == "STOP"
    assert result.outcome is not None
    assert result.outcome.event is not None
    assert result.reply is not None
    assert result.reply.receipt is not None
    assert result.reply.receipt.provider == "telnyx"
    (request,) = api.requests
    assert request.json["to"] == ALICE
    assert request.json["from"] == OURS
    again = messenger.handle_inbound(URL, telnyx_form(STOP), _signed(STOP), T0)
    assert again.duplicate
    assert len(api.requests) == 1


def test_a_forged_or_stale_stop_changes_nothing(api: FakeTelnyxApi) -> None:
    messenger = _messenger(api)
    forged = STOP.replace(b"in-7", b"in-8")
    with pytest.raises(WebhookSignatureError):
        messenger.handle_inbound(URL, telnyx_form(forged), _signed(STOP), T0)
    with pytest.raises(WebhookSignatureError):
        messenger.handle_inbound(URL, telnyx_form(STOP), _signed(STOP, at_offset=-600), T0)
    assert api.requests == []
    assert not messenger.history.processed("in-7:received")


def test_a_finalized_event_is_read_and_recorded_once(api: FakeTelnyxApi) -> None:
    messenger = _messenger(api)
    body = _event("message.finalized", {
        "id": "4031938a-0000-4000-8000-00000000beef", "from": {"phone_number": OURS},
        "to": [{"phone_number": ALICE, "status": "delivered"}], "errors": [],
    })  # fmt: skip
    result = messenger.handle_status(URL, telnyx_form(body), _signed(body), T0)
    assert result.status.status is MessageStatus.DELIVERED
    assert result.status.message_id == "4031938a-0000-4000-8000-00000000beef"
    assert not result.duplicate
    assert messenger.handle_status(URL, telnyx_form(body), _signed(body), T0).duplicate


def test_a_refused_telnyx_webhook_says_why_not_the_twilio_reason(api: FakeTelnyxApi) -> None:
    # A stale timestamp (clock skew, a replay) was reported as "check the auth token
    # and the URL": Telnyx signs neither.
    messenger = _messenger(api)
    with pytest.raises(WebhookSignatureError) as stale:
        messenger.handle_inbound(URL, telnyx_form(STOP), _signed(STOP, at_offset=-600), T0)
    assert "600 s from the time checked" in str(stale.value)
    assert "auth token" not in str(stale.value)
    with pytest.raises(WebhookSignatureError) as parsed:
        messenger.handle_inbound(URL, {"data": "{}"}, _signed(STOP), T0)
    assert "telnyx_form" in str(parsed.value)
    with pytest.raises(WebhookSignatureError) as forged:
        messenger.handle_inbound(URL, telnyx_form(STOP + b" "), _signed(STOP), T0)
    assert "public key" in str(forged.value)
    assert api.requests == []


def _reply(text: str, message_id: str) -> bytes:
    return _event("message.received", {
        "id": message_id, "text": text, "from": {"phone_number": ALICE},
        "to": [{"phone_number": OURS, "status": "webhook_delivered"}],
    })  # fmt: skip


@pytest.mark.parametrize("text", ["HELP", "info", "REVOKE", "optout"])
def test_with_keyword_replies_provider_telnyx_leaves_unanswered_words_to_us(
    api: FakeTelnyxApi, text: str
) -> None:
    # Telnyx's default handling answers none of these (Twilio's does): leaving them
    # to the provider would leave a guest's HELP with no answer at all.
    messenger = _messenger(api, keyword_replies="provider")
    body = _reply(text, "in-40")
    result = messenger.handle_inbound(URL, telnyx_form(body), _signed(body), T0)
    assert result.reply is not None
    assert len(api.requests) == 1


@pytest.mark.parametrize("text", ["STOP", "stop all", "CANCEL", "quit"])
def test_with_keyword_replies_provider_telnyx_answers_its_own_words(
    api: FakeTelnyxApi, text: str
) -> None:
    messenger = _messenger(api, keyword_replies="provider")
    body = _reply(text, "in-41")
    result = messenger.handle_inbound(URL, telnyx_form(body), _signed(body), T0)
    assert result.outcome is not None
    assert result.outcome.event is not None
    assert result.reply is None
    assert api.requests == []


def test_a_send_telnyx_may_have_taken_does_not_promise_a_reconcile(api: FakeTelnyxApi) -> None:
    # A 5xx: Telnyx may hold the message and has no lookup, so "reconcile() will
    # tell" sent the user to a call that can only answer "resolve by hand".
    messenger = _messenger(api)
    rig = build_rig()
    consent_given = messenger.ledger.grant(
        ALICE, scope=rig.sender.consent_scope, purposes=["transactional"], kind="express",
        source="verbal", at=T0 - timedelta(minutes=5))  # fmt: skip
    assert consent_given is not None
    api.script.append(Action(status=503, body={"errors": [{"code": "10007"}]}))
    request = SendRequest(recipient=ALICE, body="Your order is ready", purpose="transactional",
                          idempotency_key="pickup-1")  # fmt: skip
    result = messenger.send(request, rig.sender, T0)
    assert result.outcome is SendOutcome.PENDING
    assert "reconcile() will tell" not in result.reason
    assert "cannot look messages up" in result.reason


def test_a_telnyx_messenger_without_a_parser_is_told_to_pass_telnyxs(api: FakeTelnyxApi) -> None:
    # It named TwilioWebhookParser, which would refuse every Telnyx event.
    messenger = _messenger(api)
    with pytest.raises(ConfigurationError) as raised:
        Messenger(messenger.provider, messenger.pipeline, messenger.ledger,
                  messenger.history, MemoryOutbox())  # fmt: skip
    assert "TelnyxWebhookParser()" in str(raised.value)
    assert "Twilio" not in str(raised.value)


def test_a_cancel_telnyx_blocks_is_recorded_though_the_sender_dropped_the_word(
    api: FakeTelnyxApi,
) -> None:
    # A restaurant drops CANCEL ("cancel my table") from its keywords; Telnyx's
    # default handling still blocks the guest on a bare CANCEL and posts no
    # OptOutType, so the ledger kept allowing sends Telnyx refuses with 40300.
    from dataclasses import replace

    from smskit.keywords import KeywordSet

    rig = build_rig()
    table = replace(rig.sender, keywords=KeywordSet.default().without("cancel", outside_us=True))
    messenger = _messenger(api)
    messenger = Messenger(
        messenger.provider, messenger.pipeline, messenger.ledger, messenger.history,
        MemoryOutbox(), verifier=TelnyxSignatureVerifier(PUBLIC, clock=FixedClock(T0)),
        parser=TelnyxWebhookParser(), senders=[table],
    )  # fmt: skip
    scope = table.consent_scope
    messenger.ledger.grant(ALICE, scope=scope, purposes=["transactional"], kind="express",
                           source="verbal", at=T0 - timedelta(minutes=5))  # fmt: skip
    words = _reply("cancel my table", "in-50")
    kept = messenger.handle_inbound(URL, telnyx_form(words), _signed(words), T0)
    assert not kept.opted_out
    bare = _reply("Cancel", "in-51")
    result = messenger.handle_inbound(URL, telnyx_form(bare), _signed(bare), T0)
    assert result.opted_out
    kinds = [e.kind.value for e in messenger.ledger.history(ALICE)]
    assert kinds == ["granted", "revoked"]
    assert api.requests == []


@pytest.mark.parametrize("given", [STOP, STOP.decode()])
def test_a_raw_body_given_to_the_messenger_is_told_to_use_telnyx_form(
    api: FakeTelnyxApi, given: bytes | str
) -> None:
    # It was told to pass request.form or parse_qs(body): Twilio's advice, which
    # cannot work for Telnyx's signed JSON.
    messenger = _messenger(api)
    with pytest.raises(ProviderResponseError) as raised:
        messenger.handle_inbound(URL, given, _signed(STOP), T0)  # type: ignore[arg-type]
    assert "telnyx_form" in str(raised.value)
    assert "parse_qs" not in str(raised.value)


def _table_messenger(api: FakeTelnyxApi, provider: Any = None) -> Messenger:
    """A restaurant's messenger whose keywords leave out CANCEL, with consent given."""
    from dataclasses import replace

    from smskit.keywords import KeywordSet

    # outside_us: a set lacking CANCEL, as a profile changed at Telnyx may be.
    without_cancel = KeywordSet.default().without("cancel", outside_us=True)
    table = replace(build_rig().sender, keywords=without_cancel)
    base = _messenger(api)
    messenger = Messenger(
        provider or base.provider, base.pipeline, base.ledger, base.history, MemoryOutbox(),
        verifier=TelnyxSignatureVerifier(PUBLIC, clock=FixedClock(T0)),
        parser=TelnyxWebhookParser(), senders=[table],
    )  # fmt: skip
    messenger.ledger.grant(
        ALICE, scope=table.consent_scope, purposes=["transactional"], kind="express",
        source="verbal", at=T0 - timedelta(minutes=5),
    )  # fmt: skip
    return messenger


def _inbound(messenger: Messenger, text: str, message_id: str, **extra: Any) -> Any:
    body = _event("message.received", {
        "id": message_id, "text": text, "from": {"phone_number": ALICE},
        "to": [{"phone_number": OURS, "status": "webhook_delivered"}], **extra,
    })  # fmt: skip
    return messenger.handle_inbound(URL, telnyx_form(body), _signed(body), T0)


@pytest.mark.parametrize(
    "text", ["Cancel.", "CANCEL!!", "cancel my table", "cancel table 4", "CANCEL\u00a0", "can cel"]
)
def test_a_reply_telnyx_does_not_block_on_revokes_nothing(api: FakeTelnyxApi, text: str) -> None:
    # Telnyx matches its words only as the whole message: a guessed block on any of
    # these would cost the restaurant a guest who only cancelled a table.
    messenger = _table_messenger(api)
    result = _inbound(messenger, text, "in-60")
    assert not result.opted_out
    assert [e.kind.value for e in messenger.ledger.history(ALICE)] == ["granted"]


def test_a_bare_cancel_is_revoked_once_and_says_it_was_inferred(api: FakeTelnyxApi) -> None:
    messenger = _table_messenger(api)
    assert _inbound(messenger, " CANCEL\r\n", "in-61").opted_out
    # A retry of the same event, and the same message posted again as another event
    # after de-duplication was lost (two workers): one revocation.
    assert _inbound(messenger, " CANCEL\r\n", "in-61").duplicate
    messenger.history = MemoryMessageHistory()
    _inbound(messenger, " CANCEL\r\n", "in-61")
    events = messenger.ledger.history(ALICE)
    assert [e.kind.value for e in events] == ["granted", "revoked"]
    assert events[-1].evidence is not None
    assert "inferred" in (events[-1].evidence.reference or "")
    assert api.requests == []


def test_autoresponse_type_null_means_telnyx_did_not_block(api: FakeTelnyxApi) -> None:
    # A profile whose opt-out words were changed at Telnyx (CANCEL taken out) posts
    # autoresponse_type null for a bare CANCEL: no guess overrides what Telnyx said.
    messenger = _table_messenger(api)
    result = _inbound(messenger, "CANCEL", "in-62", autoresponse_type=None)
    assert not result.opted_out
    assert [e.kind.value for e in messenger.ledger.history(ALICE)] == ["granted"]


def test_autoresponse_type_stop_revokes_a_word_smskit_does_not_know(api: FakeTelnyxApi) -> None:
    # A custom opt-out keyword set up at Telnyx: the event's autoresponse_type is the
    # provider's match, as Twilio's OptOutType is; Telnyx answered it, so smskit does not.
    messenger = _table_messenger(api)
    result = _inbound(messenger, "ENOUGH", "in-63", autoresponse_type="STOP")
    assert result.opted_out
    assert result.reply is None
    (event,) = [e for e in messenger.ledger.history(ALICE) if e.kind.value == "revoked"]
    assert event.evidence is not None
    assert "inferred" not in (event.evidence.reference or "")
    assert api.requests == []


def test_a_help_telnyx_answered_is_not_answered_twice(api: FakeTelnyxApi) -> None:
    messenger = _messenger(api)
    answered = _inbound(messenger, "HELP", "in-64", autoresponse_type="HELP")
    assert answered.reply is None
    assert api.requests == []
    unanswered = _inbound(messenger, "HELP", "in-65", autoresponse_type=None)
    assert unanswered.reply is not None
    assert len(api.requests) == 1


def test_a_bare_cancel_on_another_provider_is_no_telnyx_block(api: FakeTelnyxApi) -> None:
    from smskit.providers import MemoryProvider

    messenger = _table_messenger(api, provider=MemoryProvider())
    assert not _inbound(messenger, "CANCEL", "in-66").opted_out
    assert [e.kind.value for e in messenger.ledger.history(ALICE)] == ["granted"]
