"""Webhook parameters handed over as the raw body instead of the parsed form.

``request.get_data(as_text=True)`` passed as ``params`` failed with "signature does
not match" (pointing at the token and URL) behind a verifier, and with a bare
``TypeError: string indices must be integers`` without one; bytes and ``None`` gave a
``TypeError`` or a message about a parameter named ``'84'``.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

import pytest

from smskit.errors import ProviderResponseError
from smskit.messenger import MemoryOutbox, Messenger
from smskit.providers import (
    TwilioSignatureVerifier,
    TwilioWebhookParser,
    compute_twilio_signature,
    parse_twilio_inbound,
    parse_twilio_status,
)

from .conftest import ALICE, OURS, T0, build_rig

URL = "https://sms.example.com/sms/inbound"
BODY = urlencode({"From": ALICE, "To": OURS, "Body": "C", "MessageSid": "SM" + "1" * 32})
SIGNED = {"X-Twilio-Signature": compute_twilio_signature(
    URL, parse_qs(BODY, keep_blank_values=True), "auth-token")}


def _messenger(*, verify: bool) -> Messenger:
    rig = build_rig()
    return Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                     MemoryOutbox(), senders=[rig.sender], parser=TwilioWebhookParser(),
                     verifier=TwilioSignatureVerifier("auth-token") if verify else None)


@pytest.mark.parametrize("params", [BODY, BODY.encode(), None], ids=["str", "bytes", "None"])
@pytest.mark.parametrize("verify", [True, False], ids=["verifier", "no-verifier"])
def test_a_raw_body_is_named_with_the_fix(params: object, verify: bool) -> None:
    messenger = _messenger(verify=verify)
    for handle in (messenger.handle_inbound, messenger.handle_status):
        with pytest.raises(ProviderResponseError, match=r"parse_qs\(body, keep_blank_"):
            handle(URL, params, SIGNED, T0)  # type: ignore[arg-type]


@pytest.mark.parametrize("parse", [parse_twilio_inbound, parse_twilio_status])
def test_the_parsers_name_a_raw_body_too(parse: object) -> None:
    with pytest.raises(ProviderResponseError, match="not the parsed form"):
        parse(BODY)  # type: ignore[operator]


def test_the_parsed_form_still_passes() -> None:
    done = _messenger(verify=True).handle_inbound(
        URL, parse_qs(BODY, keep_blank_values=True), SIGNED, T0)
    assert done.message.body == "C"
