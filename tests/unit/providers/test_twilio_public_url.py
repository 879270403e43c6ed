"""Verifying Twilio webhooks behind a TLS-terminating proxy (user37).

Twilio signs the URL it called, ``https://crm.example.com/hooks/sms``; the application
behind the proxy sees ``http://internal:8000/hooks/sms``. Every genuine webhook failed
with "signature does not match", and smskit had no way to say the public address but
to rebuild each URL by hand (docs pointed at the example app). ``public_url=`` says it
once; request headers (``Host``, ``X-Forwarded-*``) never choose the URL, since anyone
can send them. A failure names the near URL Twilio did sign, without accepting it.

Expected signatures come from twilio-python's own ``RequestValidator``.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit.errors import ConfigurationError, ProviderResponseError
from smskit.providers import TwilioSignatureVerifier

validator_module = pytest.importorskip("twilio.request_validator")
TOKEN = "0123456789abcdef0123456789abcdef"
PARAMS = {"From": "+12125550121", "To": "+12125550199", "Body": "STOP", "MessageSid": "SM1"}
PUBLIC = "https://crm.example.com/hooks/sms"
INTERNAL = "http://internal:8000/hooks/sms"


def twilio_signs(url: str, params: dict[str, str] = PARAMS) -> dict[str, str]:
    signature = validator_module.RequestValidator(TOKEN).compute_signature(url, params)
    return {"X-Twilio-Signature": signature}


def test_the_internal_url_verifies_at_the_public_address() -> None:
    headers = twilio_signs(PUBLIC)
    assert not TwilioSignatureVerifier(TOKEN).verify(INTERNAL, PARAMS, headers)
    verifier = TwilioSignatureVerifier(TOKEN, public_url="https://crm.example.com")
    assert verifier.verify(INTERNAL, PARAMS, headers)
    assert verifier.verify("/hooks/sms", PARAMS, headers)  # an ASGI scope's path alone
    assert verifier.signed_url(INTERNAL) == PUBLIC


def test_a_trailing_slash_on_public_url_and_a_path_prefix() -> None:
    signed = "https://crm.example.com/crm/hooks/sms?tenant=7"
    verifier = TwilioSignatureVerifier(TOKEN, public_url="https://crm.example.com/crm/")
    assert verifier.verify("http://internal:8000/hooks/sms?tenant=7", PARAMS, twilio_signs(signed))
    assert not verifier.verify("http://internal:8000/hooks/sms?tenant=8", PARAMS,
                               twilio_signs(signed))


def test_the_default_port_twilio_may_sign_still_verifies() -> None:
    verifier = TwilioSignatureVerifier(TOKEN, public_url="https://crm.example.com")
    headers = twilio_signs("https://crm.example.com:443/hooks/sms")
    assert verifier.verify(INTERNAL, PARAMS, headers)


def test_headers_never_choose_the_url() -> None:
    # Without our token an attacker cannot sign; they can replay a request Twilio signed
    # for another host of ours (staging) and claim that host in the headers.
    headers = {
        **twilio_signs("https://staging.example.com/hooks/sms"),
        "Host": "staging.example.com",
        "X-Forwarded-Host": "staging.example.com",
        "X-Forwarded-Proto": "https",
        "Forwarded": "proto=https;host=staging.example.com",
    }
    assert not TwilioSignatureVerifier(TOKEN).verify(INTERNAL, PARAMS, headers)
    public = TwilioSignatureVerifier(TOKEN, public_url="https://crm.example.com")
    assert not public.verify(INTERNAL, PARAMS, headers)
    reason = public.failure(INTERNAL, PARAMS, headers)
    assert reason is not None
    assert "replayed" in reason  # public_url is set: not told to set it
    assert "give TwilioSignatureVerifier" not in reason


def test_failure_names_the_forwarded_url_twilio_signed_and_the_setting() -> None:
    headers = {**twilio_signs(PUBLIC), "X-Forwarded-Proto": "https",
               "X-Forwarded-Host": "crm.example.com"}
    verifier = TwilioSignatureVerifier(TOKEN)
    reason = verifier.failure(INTERNAL, PARAMS, headers)
    assert reason is not None
    assert "'https://crm.example.com/hooks/sms'" in reason
    assert "public_url=" in reason
    assert not verifier.verify(INTERNAL, PARAMS, headers)  # named, never accepted


def test_failure_names_a_trailing_slash_the_proxy_added() -> None:
    verifier = TwilioSignatureVerifier(TOKEN, public_url="https://crm.example.com")
    reason = verifier.failure(INTERNAL + "/", PARAMS, twilio_signs(PUBLIC))
    assert reason is not None
    assert "trailing slash" in reason
    assert "'https://crm.example.com/hooks/sms'" in reason
    assert not verifier.verify(INTERNAL + "/", PARAMS, twilio_signs(PUBLIC))


def test_failure_of_a_forged_request_names_no_url_and_no_number() -> None:
    headers = {"X-Twilio-Signature": "AAAA", "X-Forwarded-Proto": "https",
               "X-Forwarded-Host": "crm.example.com"}
    reason = TwilioSignatureVerifier(TOKEN).failure(INTERNAL + "?From=%2B12125550121", PARAMS,
                                                    headers)
    assert reason is not None
    assert reason.startswith("signature does not match")
    assert "2125550121" not in reason
    assert TwilioSignatureVerifier(TOKEN).failure(PUBLIC, PARAMS, twilio_signs(PUBLIC)) is None
    assert TwilioSignatureVerifier(TOKEN).failure(PUBLIC, PARAMS, {}) == (
        "no X-Twilio-Signature header"
    )


@pytest.mark.parametrize("bad", [
    "crm.example.com", "ftp://crm.example.com", "https://crm.example.com/?a=1",
    "https://crm.example.com/#top", "https://user:secret@crm.example.com", "https://",
    " https://crm.example.com", "https://crm.example.com:port", 42,
])
def test_a_public_url_that_is_no_address_is_refused(bad: object) -> None:
    with pytest.raises(ConfigurationError) as caught:
        TwilioSignatureVerifier(TOKEN, public_url=bad)  # type: ignore[arg-type]
    assert caught.value.field == "public_url"
    assert "secret" not in str(caught.value)  # credentials are not repeated into a log


segments = st.lists(st.from_regex(r"[A-Za-z0-9_.~-]{1,8}", fullmatch=True), max_size=3)
queries = st.lists(st.from_regex(r"[a-z]{1,5}=[A-Za-z0-9]{0,5}", fullmatch=True), max_size=2)
hosts = st.from_regex(r"[a-z][a-z0-9-]{0,8}\.(com|net|io)", fullmatch=True)


@given(segments, queries, hosts, hosts, st.sampled_from(["http", "https"]))
def test_only_the_configured_public_host_verifies(
    path: list[str], query: list[str], public_host: str, other_host: str, seen: str
) -> None:
    tail = "/" + "/".join(path) + ("?" + "&".join(query) if query else "")
    verifier = TwilioSignatureVerifier(TOKEN, public_url=f"https://{public_host}")
    seen_url = f"{seen}://internal:8000{tail}"
    assert verifier.verify(seen_url, PARAMS, twilio_signs(f"https://{public_host}{tail}"))
    if other_host != public_host:
        assert not verifier.verify(seen_url, PARAMS, twilio_signs(f"https://{other_host}{tail}"))


def test_a_named_url_masks_a_number_in_its_query() -> None:
    # A webhook set to GET carries its fields in the query: From in full.
    signed = PUBLIC + "?From=%2B12125550121"
    verifier = TwilioSignatureVerifier(TOKEN, public_url="https://crm.example.com")
    reason = verifier.failure(INTERNAL + "/?From=%2B12125550121", {}, twilio_signs(signed, {}))
    assert reason is not None
    assert "trailing slash" in reason
    assert "2125550121" not in reason


header_text = st.text(st.characters(exclude_categories=["Cc"]), max_size=40)  # lone surrogates too


@given(header_text, header_text, header_text)
def test_forwarded_headers_of_any_shape_explain_and_never_accept(
    proto: str, host: str, forwarded: str
) -> None:
    headers = {**twilio_signs("https://staging.example.com/hooks/sms"),
               "X-Forwarded-Proto": proto, "X-Forwarded-Host": host, "Forwarded": forwarded}
    for verifier in (TwilioSignatureVerifier(TOKEN),
                     TwilioSignatureVerifier(TOKEN, public_url="https://crm.example.com")):
        assert not verifier.verify(INTERNAL, PARAMS, headers)
        reason = verifier.failure(INTERNAL, PARAMS, headers)
        assert reason is not None
        assert "2125550121" not in reason


@pytest.mark.parametrize("public_url", [None, "https://crm.example.com"])
@pytest.mark.parametrize("url", [None, b"/hooks/sms"])
def test_a_url_that_is_not_text_says_so(public_url: str | None, url: object) -> None:
    # An ASGI scope's raw_path is bytes: it raised TypeError ("Cannot mix str and
    # non-str arguments") from deep in urllib.
    verifier = TwilioSignatureVerifier(TOKEN, public_url=public_url)
    with pytest.raises(ProviderResponseError, match="must be text"):
        verifier.verify(url, PARAMS, twilio_signs(PUBLIC))  # type: ignore[arg-type]


def test_a_path_alone_without_public_url_is_explained() -> None:
    reason = TwilioSignatureVerifier(TOKEN).failure("/hooks/sms", PARAMS, twilio_signs(PUBLIC))
    assert reason is not None
    assert "no scheme and host" in reason
    assert "public_url=" in reason
