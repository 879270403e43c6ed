"""TwilioProvider: a request the HTTP client refuses to build was never sent.

requests raises some of its errors before any byte leaves (a SOCKS proxy in the
environment without PySocks, a proxy URL without a host, a URL it cannot parse).
They are ValueErrors as well as OSErrors, so they were taken for "a 2xx whose body
is not JSON": ambiguous, looked up (failing the same way), and reported as "Twilio
may have taken the message ... do not resend" though the loopback API received no
request at all. The messenger then left the text pending for a reconcile that
could never succeed.
"""

from __future__ import annotations

import gc
import warnings

import pytest

from fake_twilio_api import ACCOUNT, TOKEN, FakeMessagesApi
from smskit.errors import ProviderAmbiguousError, ProviderTransportError
from smskit.providers import OutboundMessage, RetryPolicy, TwilioProvider
from smskit.testing import FixedClock

from .conftest import NOW

twilio_rest = pytest.importorskip("twilio.rest")
twilio_http = pytest.importorskip("twilio.http.http_client")

MSG = OutboundMessage(to="+14155550123", sender="+14155550199", body="Hi", idempotency_key="k")


def _provider(base_url: str) -> TwilioProvider:
    client = twilio_rest.Client(
        ACCOUNT, TOKEN, http_client=twilio_http.TwilioHttpClient(timeout=0.5)
    )
    client.api.base_url = base_url
    return TwilioProvider(
        client, retry=RetryPolicy(attempts=2), sleep=lambda _s: None, clock=FixedClock(NOW)
    )


@pytest.mark.parametrize(
    "proxy",
    [
        pytest.param("socks5://127.0.0.1:9", id="socks-without-pysocks"),
        pytest.param("http://", id="proxy-without-host"),
        pytest.param("http://:3128", id="proxy-with-port-only"),
        # urllib3 refuses to look these up (its LocationParseError, "label empty or too
        # long") before it opens a socket; the lookup is refused the same way.
        pytest.param("http://proxy..example:3128", id="proxy-host-with-an-empty-label"),
        pytest.param(f"http://{'p' * 64}.example:3128", id="proxy-host-label-past-63"),
    ],
)
def test_a_request_refused_before_sending_is_not_sent_not_ambiguous(
    fake_api: FakeMessagesApi, monkeypatch: pytest.MonkeyPatch, proxy: str
) -> None:
    pytest.importorskip("requests")
    try:
        import socks  # noqa: F401
    except ImportError:
        pass
    else:  # pragma: no cover - with PySocks the SOCKS URL is a real (refused) proxy
        if proxy.startswith("socks"):
            pytest.skip("PySocks is installed")
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy)  # the loopback API is plain http
    provider = _provider(fake_api.base_url)
    with pytest.raises(ProviderTransportError) as caught:
        provider.send(MSG)
    assert not isinstance(caught.value, ProviderAmbiguousError)
    assert caught.value.retryable is False  # the same client refuses the same way
    assert "nothing was sent" in str(caught.value)
    assert "proxy" in str(caught.value)
    assert "+14155550123" not in str(caught.value)
    assert fake_api.posts == []
    assert fake_api.gets == []


@pytest.mark.parametrize(
    "base_url", ["https://api..twilio.example", f"https://{'a' * 64}.twilio.example"]
)
def test_an_api_host_no_resolver_can_encode_is_not_sent_not_ambiguous(
    monkeypatch: pytest.MonkeyPatch, base_url: str
) -> None:
    # The Twilio twin of TelnyxProvider's build-time check: the client's host is the
    # SDK's to build (base_url, region, edge), so it is caught when the request is.
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ProviderTransportError) as caught:
        _provider(base_url).send(MSG)
    assert not isinstance(caught.value, ProviderAmbiguousError)
    assert caught.value.retryable is False
    assert "nothing was sent" in str(caught.value)


def test_a_malformed_header_in_the_answer_is_ambiguous_not_unsent(
    fake_api: FakeMessagesApi,
) -> None:
    # requests' InvalidHeader also comes from the answer (urllib3 refuses a
    # Content-Length given twice with different values): the request had left and
    # the message was created, so it must be looked up, never reported unsent.
    from fake_twilio_api import Action

    fake_api.post_script.append(
        Action(status=201, headers={"Content-Length": "999999"}, create=True)
    )
    provider = _provider(fake_api.base_url)
    receipt = provider.send(MSG)
    assert receipt.recovered is True
    assert len(fake_api.posts) == 1
    # requests leaves that answer's socket open; collected here, its ResourceWarning
    # is not blamed on the next test.
    del provider
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
