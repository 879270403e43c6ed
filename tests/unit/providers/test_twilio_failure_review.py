"""Review of user37's Twilio signature diagnostics (failure(), public_url).

1. A forwarded host, or a Host header a framework puts in the URL, holding a lone
   ``[`` (an IPv6 bracket never closed) made urllib raise ValueError: an unsigned
   request from anyone turned the messenger's 403 into a 500 traceback.
2. A JSON webhook (``bodySHA256`` in the URL) failed with "check the auth token and
   that the URL is exactly the one Twilio requested" when the URL and token were right
   and the body was the cause: parsed parameters given instead of the raw body, or a
   body re-serialized so its SHA-256 is not the one Twilio signed.

Expected signatures come from twilio-python's ``RequestValidator``; body hashes are
SHA-256 hex digests computed here with hashlib, as Twilio documents
(https://www.twilio.com/docs/usage/webhooks/webhooks-security).
"""

from __future__ import annotations

import hashlib

import pytest

from smskit.errors import ConfigurationError
from smskit.providers import TwilioSignatureVerifier

validator_module = pytest.importorskip("twilio.request_validator")
TOKEN = "0123456789abcdef0123456789abcdef"
PARAMS = {"From": "+12125550121", "Body": "STOP", "MessageSid": "SM1"}
INTERNAL = "http://internal:8000/hooks/sms"
BODY = '{"event":"message.received","to":"+12125550199"}'
SHA = hashlib.sha256(BODY.encode("utf-8")).hexdigest()
JSON_URL = f"https://crm.example.com/hooks/json?bodySHA256={SHA}"


def signs(url: str, params: dict[str, str] = PARAMS) -> dict[str, str]:
    return {"X-Twilio-Signature":
            validator_module.RequestValidator(TOKEN).compute_signature(url, params)}


@pytest.mark.parametrize("host", ["[", "evil][", "crm.example.com\r\n\x1b[2J", "[::1"])
@pytest.mark.parametrize("public_url", [None, "https://crm.example.com"])
def test_a_forwarded_host_urllib_cannot_parse_is_explained(
    host: str, public_url: str | None
) -> None:
    verifier = TwilioSignatureVerifier(TOKEN, public_url=public_url)
    headers = {**signs("https://staging.example.com/hooks/sms"),
               "X-Forwarded-Proto": "https", "X-Forwarded-Host": host}
    for url in (INTERNAL, INTERNAL + "/"):
        assert not verifier.verify(url, PARAMS, headers)
        reason = verifier.failure(url, PARAMS, headers)
        assert reason is not None
        assert "\x1b" not in reason
        assert "\r" not in reason


@pytest.mark.parametrize("seen", ["http://[evil/hooks/sms", "http://evil][:8000/hooks/sms"])
def test_a_url_with_a_host_urllib_cannot_parse(seen: str) -> None:
    # Starlette's request.url is built from the Host header, which anyone can send.
    plain = TwilioSignatureVerifier(TOKEN)
    assert not plain.verify(seen, PARAMS, signs("https://crm.example.com/hooks/sms"))
    reason = plain.failure(seen, PARAMS, signs("https://crm.example.com/hooks/sms"))
    assert reason is not None
    assert "not a valid URL" in reason
    # With public_url the host seen is replaced, so it does not matter what it was.
    public = TwilioSignatureVerifier(TOKEN, public_url="https://crm.example.com")
    assert public.verify(seen, PARAMS, signs("https://crm.example.com/hooks/sms"))
    assert public.signed_url(seen) == "https://crm.example.com/hooks/sms"


def test_the_json_webhook_verifies_as_written() -> None:
    assert TwilioSignatureVerifier(TOKEN).verify(JSON_URL, BODY, signs(JSON_URL, {}))


def test_a_json_webhook_given_parsed_params_says_to_pass_the_raw_body() -> None:
    reason = TwilioSignatureVerifier(TOKEN).failure(JSON_URL, {}, signs(JSON_URL, {}))
    assert reason is not None
    assert "raw body" in reason
    assert "auth token" not in reason


def test_a_json_body_changed_says_its_hash_is_not_the_signed_one() -> None:
    changed = BODY.replace(":", ": ")  # re-serialized by a framework
    reason = TwilioSignatureVerifier(TOKEN).failure(JSON_URL, changed, signs(JSON_URL, {}))
    assert reason is not None
    assert "bodySHA256" in reason
    assert "auth token" not in reason
    assert "2125550199" not in reason


def test_a_raw_body_without_body_hash_says_to_pass_the_form() -> None:
    url = "https://crm.example.com/hooks/sms"
    reason = TwilioSignatureVerifier(TOKEN).failure(url, "From=%2B12125550121", signs(url))
    assert reason is not None
    assert "form parameters" in reason


@pytest.mark.parametrize("pad", range(150, 200))
def test_a_long_url_cut_for_the_message_shows_no_part_of_a_number(pad: int) -> None:
    # The URL was cut at 200 characters before numbers were masked: a number across
    # the cut kept its first digits ("+121255"), too short to be masked.
    signed = "https://crm.example.com/hooks/sms?x=" + "a" * pad + "&From=%2B12125550121"
    verifier = TwilioSignatureVerifier(TOKEN)
    headers = signs(signed, {})
    for seen in (signed + "&", signed.replace("https://", "http://", 1)):
        reason = verifier.failure(seen, {}, headers)
        assert reason is not None
        assert "1212" not in reason


def test_a_path_starting_with_two_slashes_is_a_path_not_a_host() -> None:
    # An ASGI scope's path for "POST //hooks/sms" is "//hooks/sms". Read as a URL, its
    # "hooks" was a host that public_url replaced, so a request Twilio signed for
    # /sms verified on the path //hooks/sms.
    verifier = TwilioSignatureVerifier(TOKEN, public_url="https://crm.example.com")
    assert verifier.signed_url("//hooks/sms?a=1") == "https://crm.example.com//hooks/sms?a=1"
    assert not verifier.verify("//hooks/sms", PARAMS, signs("https://crm.example.com/sms"))
    assert verifier.verify("//hooks/sms", PARAMS, signs("https://crm.example.com//hooks/sms"))


@pytest.mark.parametrize("bad", ["https://crm.example.com/a b", "https://crm.example.com/\x1b[2J",
                                 "https://crm.exa\nmple.com", "https://crm.example.com/\t"])
def test_a_public_url_with_spaces_or_control_characters_is_refused(bad: str) -> None:
    # urllib drops a tab or newline anywhere and keeps the rest: Twilio calls no such URL,
    # and every webhook would fail with "signature does not match".
    with pytest.raises(ConfigurationError) as caught:
        TwilioSignatureVerifier(TOKEN, public_url=bad)
    assert caught.value.field == "public_url"
    assert "\x1b" not in str(caught.value)
