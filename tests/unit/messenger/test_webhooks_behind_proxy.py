"""A STOP reaching the messenger through a TLS-terminating proxy (user37).

Twilio signs ``https://crm.example.com/hooks/sms``; the application sees
``http://internal:8000/hooks/sms``. The STOP was refused with "check the auth token and
that the URL is exactly the one the provider requested", the opt-out never recorded on
any of Twilio's retries. With ``TwilioSignatureVerifier(public_url=...)`` it is
recorded; without it the error names the URL Twilio signed and the setting.
"""

from __future__ import annotations

import pytest

from smskit.errors import WebhookSignatureError
from smskit.messenger import MemoryOutbox, Messenger
from smskit.providers import TwilioSignatureVerifier, TwilioWebhookParser

from .conftest import ALICE, OURS, T0, build_rig, consent

validator_module = pytest.importorskip("twilio.request_validator")
TOKEN = "0123456789abcdef0123456789abcdef"


def _messenger(public_url: str | None) -> Messenger:
    rig = build_rig()
    consent(rig)
    return Messenger(
        rig.provider, rig.messenger.pipeline, rig.ledger, rig.history, MemoryOutbox(),
        senders=[rig.sender], parser=TwilioWebhookParser(),
        verifier=TwilioSignatureVerifier(TOKEN, public_url=public_url),
    )


def _stop() -> tuple[dict[str, str], dict[str, str]]:
    params = {"From": ALICE, "To": OURS, "Body": "STOP", "MessageSid": "SM" + "1" * 32,
              "SmsStatus": "received", "NumMedia": "0"}
    signature = validator_module.RequestValidator(TOKEN).compute_signature(
        "https://crm.example.com/hooks/sms", params)
    headers = {"X-Twilio-Signature": signature, "Host": "internal:8000",
               "X-Forwarded-Proto": "https", "X-Forwarded-Host": "crm.example.com"}
    return params, headers


def test_a_stop_through_the_proxy_is_recorded_with_public_url() -> None:
    messenger = _messenger("https://crm.example.com")
    params, headers = _stop()
    done = messenger.handle_inbound("http://internal:8000/hooks/sms", params, headers, T0)
    assert done.outcome is not None
    assert done.outcome.event is not None
    assert done.outcome.event.kind.value == "revoked"


def test_without_it_the_error_names_the_signed_url_and_the_setting() -> None:
    messenger = _messenger(None)
    params, headers = _stop()
    with pytest.raises(WebhookSignatureError, match="public_url=") as caught:
        messenger.handle_inbound("http://internal:8000/hooks/sms", params, headers, T0)
    assert "'https://crm.example.com/hooks/sms'" in str(caught.value)
    assert "nothing was recorded" in str(caught.value)
    assert [event.kind.value for event in messenger.ledger.history(ALICE)] == ["granted"]


def test_a_forwarded_host_urllib_cannot_parse_is_a_signature_error() -> None:
    # Review: an unsigned request with "X-Forwarded-Host: [" raised ValueError ("Invalid
    # IPv6 URL") from urllib while the error was being explained: a 500, not a 403.
    messenger = _messenger(None)
    params, headers = _stop()
    headers["X-Forwarded-Host"] = "["
    with pytest.raises(WebhookSignatureError, match="nothing was recorded"):
        messenger.handle_inbound("http://internal:8000/hooks/sms", params, headers, T0)
