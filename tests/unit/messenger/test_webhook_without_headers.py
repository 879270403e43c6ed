"""A webhook handed over without its headers, to a messenger that verifies signatures.

The docs' examples pass ``{}`` for the headers (the memory provider signs nothing);
copied into an app with a verifier, every webhook failed with "signature does not
match: check the auth token and that the URL is exactly the one...", pointing at the
token and the URL while the headers were never passed.
"""

from __future__ import annotations

import pytest

from smskit.errors import WebhookSignatureError
from smskit.messenger import MemoryOutbox, Messenger
from smskit.providers import TwilioSignatureVerifier, compute_twilio_signature

from .conftest import ALICE, OURS, T0, build_rig

URL = "https://sms.example.com/sms/inbound"


def _messenger() -> tuple[Messenger, dict[str, str]]:
    rig = build_rig()
    messenger = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                          MemoryOutbox(), senders=[rig.sender],
                          verifier=TwilioSignatureVerifier("auth-token"))
    return messenger, rig.provider.inbound_params(ALICE, OURS, "STOP")


def test_no_headers_at_all_is_named_as_such() -> None:
    messenger, params = _messenger()
    with pytest.raises(WebhookSignatureError, match="no headers were given") as caught:
        messenger.handle_inbound(URL, params, {}, T0)
    assert "nothing was recorded" in str(caught.value)


def test_a_wrong_signature_keeps_the_token_and_url_advice() -> None:
    messenger, params = _messenger()
    signature = compute_twilio_signature(URL, params, "another-token")
    with pytest.raises(WebhookSignatureError, match="check the auth token"):
        messenger.handle_inbound(URL, params, {"X-Twilio-Signature": signature}, T0)


def test_a_genuine_signature_passes() -> None:
    messenger, params = _messenger()
    signature = compute_twilio_signature(URL, params, "auth-token")
    done = messenger.handle_inbound(URL, params, {"X-Twilio-Signature": signature}, T0)
    assert not done.duplicate


@pytest.mark.parametrize(
    "headers",
    [{"Content-Type": "application/x-www-form-urlencoded"},
     {"HTTP_X_TWILIO_SIGNATURE": "abc", "REQUEST_METHOD": "POST"}],  # a WSGI environ
    ids=["no-signature-header", "wsgi-environ"],
)
def test_headers_without_the_signature_header_are_named(headers: dict[str, str]) -> None:
    # Headers were given, but none is X-Twilio-Signature: the advice pointed at the
    # token and the URL.
    messenger, params = _messenger()
    with pytest.raises(WebhookSignatureError, match="no X-Twilio-Signature header") as caught:
        messenger.handle_inbound(URL, params, headers, T0)
    assert "WSGI environ" in str(caught.value)
    assert "nothing was recorded" in str(caught.value)
