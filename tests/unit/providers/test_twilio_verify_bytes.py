"""TwilioSignatureVerifier given the raw body as bytes, as async frameworks hand it over.

``await request.body()`` (Starlette, FastAPI) and ``await request.read()`` (aiohttp) give
bytes. Passed to ``verify`` they were iterated as a mapping of small integers and refused
as "webhook parameter '70' has a int name that is not text", naming a parameter the
webhook does not have; with a JSON webhook's ``bodySHA256`` URL they gave a silent
False, and ``failure`` told the user to pass "the request body as text" without saying
the bytes were the problem. Now both say what to pass.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from smskit.errors import ProviderResponseError
from smskit.providers import TwilioSignatureVerifier

TOKEN = "12345"
FORM_URL = "https://example.com/sms"
JSON_URL = "https://example.com/sms?bodySHA256=" + hashlib.sha256(b'{"a":1}').hexdigest()


def _signed(text: str) -> dict[str, str]:
    mac = hmac.new(TOKEN.encode(), text.encode(), hashlib.sha1).digest()
    return {"X-Twilio-Signature": base64.b64encode(mac).decode()}


@pytest.mark.parametrize(
    ("url", "body"),
    [(FORM_URL, b"From=%2B14155550123&Body=hi"), (JSON_URL, b'{"a":1}'),
     (JSON_URL, bytearray(b'{"a":1}'))],
)  # fmt: skip
def test_bytes_are_refused_saying_what_to_pass(url: str, body: bytes) -> None:
    verifier = TwilioSignatureVerifier(TOKEN)
    for check in (verifier.verify, verifier.failure):
        with pytest.raises(ProviderResponseError) as caught:
            check(url, body, _signed(url))  # type: ignore[arg-type]
        text = str(caught.value)
        assert f"given as {type(body).__name__}" in text
        assert "request.form()" in text
        assert ".decode('utf-8')" in text
        assert "'70'" not in text


def test_the_decoded_json_body_still_verifies() -> None:
    verifier = TwilioSignatureVerifier(TOKEN)
    assert verifier.verify(JSON_URL, b'{"a":1}'.decode("utf-8"), _signed(JSON_URL)) is True


class URL:
    """Stands in for Starlette's ``request.url`` (a URL object; ``str()`` gives the text)."""

    def __str__(self) -> str:
        return FORM_URL


def test_a_url_object_is_refused_saying_to_pass_its_text() -> None:
    # Was "must be text, not URL (decode it)": a URL object has nothing to decode.
    form = {"Body": "hi"}
    with pytest.raises(ProviderResponseError) as caught:
        TwilioSignatureVerifier(TOKEN).verify(URL(), form, _signed(FORM_URL))  # type: ignore[arg-type]
    assert "str(request.url)" in str(caught.value)
    assert "decode" not in str(caught.value)
    with pytest.raises(ProviderResponseError, match="decode"):
        TwilioSignatureVerifier(TOKEN).verify(b"/sms", form, {})  # type: ignore[arg-type]
