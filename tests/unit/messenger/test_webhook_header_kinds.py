"""Headers as web frameworks hand them over, and as they must not be handed over.

Flask's ``request.headers`` (Werkzeug ``EnvironHeaders``) is no ``Mapping``: iterated,
it yields ``(name, value)`` pairs, not names. A webhook with a wrong signature then
raised ``AttributeError: 'tuple' object has no attribute 'lower'`` instead of
``WebhookSignatureError``, so the docs' Flask route answered 500, not 403. ASGI's raw
``scope["headers"]`` (a list of byte pairs), ``None`` or byte values raised
``AttributeError`` from deep inside.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from smskit.errors import ProviderResponseError, WebhookSignatureError
from smskit.messenger import MemoryOutbox, Messenger
from smskit.providers import TwilioSignatureVerifier, compute_twilio_signature

from .conftest import ALICE, OURS, T0, Rig, build_rig

URL = "https://sms.example.com/sms/inbound"


class WerkzeugLikeHeaders:
    """The part of Werkzeug's ``Headers`` the messenger meets (werkzeug 3.1: not a
    ``Mapping``; ``__iter__`` yields ``(name, value)`` tuples; ``items``, ``keys`` and
    case-insensitive ``get``)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._pairs = pairs

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)

    def items(self) -> list[tuple[str, str]]:
        return list(self._pairs)

    def keys(self) -> list[str]:
        return [name for name, _ in self._pairs]

    def get(self, name: str, default: str | None = None) -> str | None:
        for key, value in self._pairs:
            if key.lower() == name.lower():
                return value
        return default


def _rig() -> tuple[Rig, Messenger, dict[str, str]]:
    rig = build_rig()
    messenger = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                          MemoryOutbox(), senders=[rig.sender],
                          verifier=TwilioSignatureVerifier("auth-token"))
    return rig, messenger, rig.provider.inbound_params(ALICE, OURS, "STOP")


def test_werkzeug_headers_with_a_genuine_signature_pass() -> None:
    _, messenger, params = _rig()
    signature = compute_twilio_signature(URL, params, "auth-token")
    headers = WerkzeugLikeHeaders([("Host", "sms.example.com"), ("X-Twilio-Signature", signature)])
    done = messenger.handle_inbound(URL, params, headers, T0)  # type: ignore[arg-type]
    assert done.outcome is not None


@pytest.mark.parametrize("signature", [None, "forged"], ids=["no-signature-header", "forged"])
def test_werkzeug_headers_with_a_bad_signature_are_a_signature_error(
    signature: str | None,
) -> None:
    rig, messenger, params = _rig()
    pairs = [("Host", "sms.example.com")]
    if signature is not None:
        pairs.append(("X-Twilio-Signature", signature))
    with pytest.raises(WebhookSignatureError):
        messenger.handle_inbound(URL, params, WerkzeugLikeHeaders(pairs), T0)  # type: ignore[arg-type]
    assert rig.ledger.history(ALICE) == ()


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param([(b"x-twilio-signature", b"abc")], id="asgi-scope-list"),
        pytest.param([("x-twilio-signature", "abc")], id="list-of-pairs"),
        pytest.param({b"x-twilio-signature": "abc"}, id="bytes-name"),
        pytest.param({"X-Twilio-Signature": b"abc"}, id="bytes-value"),
    ],
)
def test_headers_of_the_wrong_kind_say_what_to_pass(headers: object) -> None:
    rig, messenger, params = _rig()
    with pytest.raises(ProviderResponseError, match="headers") as caught:
        messenger.handle_inbound(URL, params, headers, T0)  # type: ignore[arg-type]
    assert "decode" in str(caught.value) or "mapping" in str(caught.value)
    assert rig.ledger.history(ALICE) == ()
    with pytest.raises(ProviderResponseError, match="headers"):
        TwilioSignatureVerifier("auth-token").verify(URL, params, headers)  # type: ignore[arg-type]


def test_no_headers_as_none_is_named_as_no_headers() -> None:
    _, messenger, params = _rig()
    with pytest.raises(WebhookSignatureError, match="no headers were given"):
        messenger.handle_inbound(URL, params, None, T0)  # type: ignore[arg-type]


def _environ() -> dict[str, object]:
    # What Flask's request.environ or Django's request.META hold besides the HTTP_*
    # headers: the WSGI server's own entries, which are no text.
    return {"REQUEST_METHOD": "POST", "SERVER_PORT": "443", "HTTP_X_TWILIO_SIGNATURE": "abc",
            "wsgi.input": io.BytesIO(b""), "wsgi.version": (1, 0), "wsgi.multithread": True}


def test_a_real_wsgi_environ_is_named_as_one_not_told_to_decode() -> None:
    # It failed naming X-Twilio-Signature and the environ; the check of header kinds
    # read wsgi.input's file object as a header to decode (latin-1), a wrong lead.
    rig, messenger, params = _rig()
    with pytest.raises(WebhookSignatureError, match="no X-Twilio-Signature header") as caught:
        messenger.handle_inbound(URL, params, _environ(), T0)  # type: ignore[arg-type]
    assert "WSGI environ" in str(caught.value)
    assert rig.ledger.history(ALICE) == ()
    assert not TwilioSignatureVerifier("auth-token").verify(URL, params, _environ())  # type: ignore[arg-type]


def test_without_a_verifier_the_headers_are_not_judged() -> None:
    # No signature to check: a webhook handed the environ was handled before the
    # header check came in, and must still be.
    rig = build_rig()
    done = rig.messenger.handle_inbound(
        URL, rig.provider.inbound_params(ALICE, OURS, "STOP"), _environ(), T0  # type: ignore[arg-type]
    )
    assert done.outcome is not None
    assert done.outcome.event is not None
