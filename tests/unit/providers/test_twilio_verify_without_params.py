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
    assert verifier.verify(URL, None, {"X-Twilio-Signature": _signed(URL)}) is True  # type: ignore[arg-type]


def test_none_params_with_a_wrong_signature_fail() -> None:
    verifier = TwilioSignatureVerifier(TOKEN)
    forged = _signed(URL + "x")
    assert verifier.verify(URL, None, {"X-Twilio-Signature": forged}) is False  # type: ignore[arg-type]
