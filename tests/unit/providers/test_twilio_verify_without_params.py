"""TwilioSignatureVerifier.verify with ``params=None``: no parameters, as Twilio's SDK reads it.

A GET webhook carries its fields in the URL's query, which the signature covers;
there are no form parameters, and code written for twilio-python's
``RequestValidator.validate(uri, None, signature)`` passes ``None``. smskit raised a
bare ``TypeError`` ('NoneType' object is not iterable) from inside the signed-string
builder: a 500 where a verdict was meant.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from smskit.providers import TwilioSignatureVerifier

URL = "https://example.com/sms?MessageSid=SM1&From=%2B14155550123&Body=STOP"
TOKEN = "12345"


def _signed(text: str) -> str:
    # Twilio's algorithm by hand: with no parameters the signed string is the URL alone.
    return base64.b64encode(hmac.new(TOKEN.encode(), text.encode(), hashlib.sha1).digest()).decode()


def test_none_params_verify_the_url_alone() -> None:
    verifier = TwilioSignatureVerifier(TOKEN)
    assert verifier.verify(URL, None, {"X-Twilio-Signature": _signed(URL)}) is True


def test_none_params_with_a_wrong_signature_fail() -> None:
    verifier = TwilioSignatureVerifier(TOKEN)
    forged = _signed(URL + "x")
    assert verifier.verify(URL, None, {"X-Twilio-Signature": forged}) is False


def test_none_params_do_not_pass_a_json_post_unchecked() -> None:
    # With bodySHA256 the HMAC covers the URL alone; twilio-python's validator reads
    # None as {} and skips the body hash. smskit holds the body to its hash, so a
    # correctly signed URL with no body to check is refused, never waved through.
    url = "https://example.com/hook?bodySHA256=" + hashlib.sha256(b'{"a":1}').hexdigest()
    verifier = TwilioSignatureVerifier(TOKEN)
    assert verifier.verify(url, None, {"X-Twilio-Signature": _signed(url)}) is False
    assert verifier.verify(url, '{"a":1}', {"X-Twilio-Signature": _signed(url)}) is True
