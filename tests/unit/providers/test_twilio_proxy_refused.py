"""TwilioProvider behind an HTTP proxy that refuses the CONNECT tunnel: nothing was sent.

An https API is reached through ``CONNECT``; a proxy that answers it with anything but
200 has been sent nothing of the message (the POST would travel inside the tunnel
that was never opened). The SDK raises requests' ``ProxyError`` wrapping http.client's
"Tunnel connection failed: 407 ...", which TwilioProvider took for a dropped
connection after sending: looked up (refused the same way) and raised as
``ProviderAmbiguousError`` ("Twilio may have taken the message ... do not resend").
TelnyxProvider, its twin, already reads the proxy's status: a 4xx is final, a 5xx,
408 or 429 is retried like a connection never made.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fake_proxy import FakeProxy
from fake_twilio_api import ACCOUNT, TOKEN
from smskit.errors import ProviderAmbiguousError, ProviderTransportError
from smskit.providers import OutboundMessage, RetryPolicy, TwilioProvider
from smskit.testing import FixedClock

from .conftest import NOW

twilio_rest = pytest.importorskip("twilio.rest")
twilio_http = pytest.importorskip("twilio.http.http_client")

MSG = OutboundMessage(to="+14155550123", sender="+14155550199", body="Hi", idempotency_key="k")


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeProxy]:
    fake = FakeProxy().start()
    for name in ("NO_PROXY", "no_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{fake.port}")
    try:
        yield fake
    finally:
        fake.stop()


def _provider(sleeps: list[float]) -> TwilioProvider:
    client = twilio_rest.Client(
        ACCOUNT, TOKEN, http_client=twilio_http.TwilioHttpClient(timeout=1)
    )
    # Never resolved: the proxy answers the CONNECT itself.
    client.api.base_url = "https://api.twilio.example"
    return TwilioProvider(
        client, retry=RetryPolicy(attempts=3), sleep=sleeps.append, clock=FixedClock(NOW)
    )


def _answer(status: str) -> bytes:
    return f"HTTP/1.1 {status}\r\nContent-Length: 0\r\n\r\n".encode("ascii")


@pytest.mark.parametrize(
    ("status", "hint"),
    [("407 Proxy Authentication Required", "user and password"), ("403 Forbidden", "policy")],
)
def test_a_4xx_to_connect_is_final_and_not_sent(proxy: FakeProxy, status: str, hint: str) -> None:
    proxy.script.extend([_answer(status)] * 6)
    sleeps: list[float] = []
    with pytest.raises(ProviderTransportError) as caught:
        _provider(sleeps).send(MSG)
    assert not isinstance(caught.value, ProviderAmbiguousError)
    assert caught.value.retryable is False  # the same proxy gives the same answer
    text = str(caught.value)
    assert "nothing was sent" in text
    assert status[:3] in text
    assert hint in text
    # One CONNECT and nothing else; HTTP/1.0 from Python 3.11's tunnel, 1.1 from 3.12's.
    assert len(proxy.heads) == 1
    assert proxy.heads[0].line.startswith("CONNECT api.twilio.example:443 HTTP/1.")
    assert sleeps == []


def test_a_502_to_connect_is_retried_then_reported_as_not_sent(proxy: FakeProxy) -> None:
    proxy.script.extend([_answer("502 Bad Gateway")] * 6)
    sleeps: list[float] = []
    with pytest.raises(ProviderTransportError) as caught:
        _provider(sleeps).send(MSG)
    assert not isinstance(caught.value, ProviderAmbiguousError)
    assert caught.value.retryable is True
    assert "nothing was sent" in str(caught.value)
    assert len(proxy.heads) == 3  # every attempt, and no lookup (a GET) in between
    assert all(h.line.startswith("CONNECT ") for h in proxy.heads)
    assert len(sleeps) == 2
