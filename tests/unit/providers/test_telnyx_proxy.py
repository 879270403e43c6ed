"""TelnyxProvider behind an HTTP proxy: a real loopback proxy in front of the fake API.

The proxy (tests/fake_proxy.py) tunnels CONNECT and forwards absolute-URL requests, and
records every request head, so each test can check what crossed it: the tunnel's
target, the credentials, and that a refused tunnel carried nothing of the message.
"""

from __future__ import annotations

import asyncio
import base64
import gc
import http.client
import inspect
import socket
import ssl
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fake_proxy import FakeProxy
from fake_telnyx_api import API_KEY, FakeTelnyxApi
from smskit.errors import ConfigurationError, ProviderTransportError
from smskit.providers import (
    AsyncTelnyxProvider,
    OutboundMessage,
    RetryPolicy,
    TelnyxProvider,
)
from smskit.testing import FixedClock

from .conftest import NOW

MSG = OutboundMessage(to="+14155550123", sender="+14155550199", body="Your code is 4821")
SECRET = "p@ss:w"  # percent-encoded in URLs below
CREDENTIALS = "ops%20user:p%40ss%3Aw"
BASIC = "Basic " + base64.b64encode(b"ops user:p@ss:w").decode()
PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "ALL_PROXY")


def _tunnel_leaks() -> bool:
    try:
        source = inspect.getsource(http.client.HTTPConnection._tunnel)
    except (OSError, TypeError):
        return True
    return "response.close()" not in source


# CPython releases whose http.client._tunnel does not close its response (Debian's
# 3.11.2, job 3; 3.11.7 closes it) leave the proxy's answer to a refused
# CONNECT open when _tunnel raises: its socket is closed only when the
# collector finds the traceback's cycle, with a ResourceWarning that the project's
# warnings-as-errors turns into a failure of whichever test runs then. The leak is
# CPython's (later releases close the answer); each test here collects its own cycles,
# and only on those releases is that warning let go.
_TUNNEL_LEAKS = _tunnel_leaks()


@pytest.fixture(autouse=True)
def cpython_tunnel_answers_collected() -> Iterator[None]:
    yield
    if _TUNNEL_LEAKS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()


@pytest.fixture(autouse=True)
def no_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    # The machine running the tests may sit behind a proxy of its own.
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def api() -> Iterator[FakeTelnyxApi]:
    fake = FakeTelnyxApi().start()
    yield fake
    fake.stop()


@pytest.fixture
def proxy() -> Iterator[FakeProxy]:
    fake = FakeProxy().start()
    yield fake
    fake.stop()


def _provider(sleeps: list[float], **kwargs: object) -> TelnyxProvider:
    options: dict[str, object] = {
        "retry": RetryPolicy(attempts=3, base_delay=0.5, jitter=0.0),
        "sleep": sleeps.append,
        "random": lambda: 0.5,
        "clock": FixedClock(NOW),
        "timeout": 2.0,
    }
    options.update(kwargs)
    return TelnyxProvider(API_KEY, **options)  # type: ignore[arg-type]


def _certificate_authority(directory: Path, name: str) -> ssl.SSLContext:
    """A CA file in ``directory`` and the server context of a certificate it signed for ``name``."""
    pytest.importorskip("cryptography")
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    start = datetime.now(UTC) - timedelta(hours=1)  # certificates are checked on the wall clock
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "smskit test CA")])
    usage = dict.fromkeys(("content_commitment", "key_encipherment", "data_encipherment",
                           "key_agreement", "encipher_only", "decipher_only"), False)  # fmt: skip
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key()).serial_number(1)
        .not_valid_before(start).not_valid_after(start + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, key_cert_sign=True,
                                     crl_sign=True, **usage), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name).public_key(key.public_key()).serial_number(2)
        .not_valid_before(start).not_valid_after(start + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                       False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    pem = serialization.Encoding.PEM
    (directory / "ca.pem").write_bytes(ca.public_bytes(pem))
    (directory / "leaf.pem").write_bytes(
        leaf.public_bytes(pem)
        + key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(directory / "leaf.pem")
    return server


def test_https_goes_through_a_connect_tunnel_named_by_https_proxy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The name resolves only at the proxy, as outside names do behind a corporate one.
    tls = _certificate_authority(tmp_path, "api.telnyx.test")
    api = FakeTelnyxApi(tls=tls).start()
    proxy = FakeProxy(hosts={"api.telnyx.test": api.server.server_address[1]}).start()
    try:
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))  # as a corporate CA
        monkeypatch.setenv("HTTPS_PROXY", f"http://{CREDENTIALS}@127.0.0.1:{proxy.port}")
        monkeypatch.setenv("NO_PROXY", "localhost,.internal.example")
        provider = _provider([], base_url="https://api.telnyx.test:8443")
        receipt = provider.send(MSG)
    finally:
        proxy.stop()
        api.stop()
    assert receipt.message_id.startswith("4031938a")
    (head,) = proxy.heads
    assert head.line.startswith("CONNECT api.telnyx.test:8443 HTTP/1.")
    assert head.headers["Proxy-Authorization"] == BASIC
    (request,) = api.requests  # inside the tunnel: the key, not the proxy's credentials
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert "Proxy-Authorization" not in request.headers
    assert provider.proxy == f"http://127.0.0.1:{proxy.port}"
    assert "ops" not in repr(provider)
    assert "p%40ss" not in repr(provider)


def test_http_on_loopback_goes_through_an_explicit_proxy_with_the_whole_url(
    api: FakeTelnyxApi, proxy: FakeProxy
) -> None:
    url = f"http://{CREDENTIALS}@127.0.0.1:{proxy.port}"
    receipt = _provider([], base_url=api.base_url + "/tenant", proxy=url).send(MSG)
    assert receipt.message_id.startswith("4031938a")
    (head,) = proxy.heads
    assert head.line == f"POST {api.base_url}/tenant/v2/messages HTTP/1.1"
    assert head.headers["Proxy-Authorization"] == BASIC
    assert api.requests[0].path == "/tenant/v2/messages"
    assert api.requests[0].json["to"] == "+14155550123"


def test_the_async_twin_sends_through_the_proxy(api: FakeTelnyxApi, proxy: FakeProxy) -> None:
    provider = _provider([], base_url=api.base_url, proxy=f"127.0.0.1:{proxy.port}")
    receipt = asyncio.run(AsyncTelnyxProvider(provider).send(MSG))
    assert receipt.message_id.startswith("4031938a")
    assert len(proxy.heads) == 1
    assert len(api.requests) == 1


@pytest.mark.parametrize("status", [407, 403])
def test_a_refused_tunnel_names_the_proxy_and_is_not_retried(proxy: FakeProxy, status: int) -> None:
    proxy.script.append(
        f'HTTP/1.1 {status} Nope\r\nProxy-Authenticate: Basic realm="corp"\r\n'
        "Content-Length: 0\r\n\r\n".encode()
    )
    sleeps: list[float] = []
    provider = _provider(
        sleeps,
        base_url="https://api.telnyx.test",
        proxy=f"http://{CREDENTIALS}@127.0.0.1:{proxy.port}",
    )
    with pytest.raises(ProviderTransportError) as caught:
        provider.send(MSG)
    text = str(caught.value)
    assert not caught.value.retryable
    assert sleeps == []
    assert len(proxy.heads) == 1
    assert proxy.heads[0].line.startswith("CONNECT api.telnyx.test:443 ")
    assert proxy.heads[0].headers["Proxy-Authorization"] == BASIC  # also where no TLS test runs
    assert f"127.0.0.1:{proxy.port}" in text
    assert f"HTTP {status}" in text
    assert "nothing was sent" in text
    for secret in ("ops", "p%40ss", SECRET, BASIC):
        assert secret not in text


def test_a_407_to_an_absolute_url_is_the_proxys_refusal(
    api: FakeTelnyxApi, proxy: FakeProxy
) -> None:
    proxy.script.append(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
    with pytest.raises(ProviderTransportError) as caught:
        _provider([], base_url=api.base_url, proxy=f"http://127.0.0.1:{proxy.port}").send(MSG)
    assert not caught.value.retryable
    assert "user and password" in str(caught.value)
    assert api.requests == []


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n",
        b"hello\r\n\r\n",
    ],
    ids=["502", "429", "408", "not-http"],
)
def test_a_tunnel_that_fails_to_open_is_retried_then_retryable(
    proxy: FakeProxy, answer: bytes
) -> None:
    proxy.script.extend([answer] * 3)
    sleeps: list[float] = []
    provider = _provider(
        sleeps, base_url="https://api.telnyx.test", proxy=f"127.0.0.1:{proxy.port}"
    )
    with pytest.raises(ProviderTransportError) as caught:
        provider.send(MSG)
    assert caught.value.retryable
    assert sleeps == [0.5, 1.0]
    assert len(proxy.heads) == 3
    assert f"through the proxy http://127.0.0.1:{proxy.port}" in str(caught.value)


def test_a_proxy_nobody_listens_on_is_a_retryable_transport_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps: list[float] = []
    provider = _provider(sleeps, proxy=f"http://127.0.0.1:{port}")
    with pytest.raises(ProviderTransportError) as caught:
        provider.send(MSG)
    assert caught.value.retryable
    assert sleeps == [0.5, 1.0]
    assert f"127.0.0.1:{port}" in str(caught.value)


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"HTTPS_PROXY": "http://proxy.corp:3128"}, "http://proxy.corp:3128"),
        ({"https_proxy": "proxy.corp:8080"}, "http://proxy.corp:8080"),
        ({"HTTPS_PROXY": "http://proxy.corp"}, "http://proxy.corp:80"),
        ({"HTTPS_PROXY": "http://proxy.corp:3128/"}, "http://proxy.corp:3128"),
        # lower case wins, as in urllib and requests
        ({"HTTPS_PROXY": "http://upper:1", "https_proxy": "http://lower:2"}, "http://lower:2"),
        ({"HTTP_PROXY": "http://proxy.corp:3128"}, None),  # names http sites only
        ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "*"}, None),
        ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "localhost, telnyx.com"}, None),
        ({"HTTPS_PROXY": "http://p:1", "no_proxy": ".telnyx.com"}, None),
        ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "api.telnyx.com"}, None),
        ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "xtelnyx.com,example.com"}, "http://p:1"),
        ({"HTTPS_PROXY": "http://[2001:db8::1]:3128"}, "http://[2001:db8::1]:3128"),
    ],
)
def test_the_environment_decides_when_proxy_is_left_out(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], expected: str | None
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert TelnyxProvider(API_KEY).proxy == expected


def test_the_environment_is_read_once_when_built(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.corp:3128")
    provider = TelnyxProvider(API_KEY)
    monkeypatch.setenv("HTTPS_PROXY", "http://other:1")
    monkeypatch.setenv("NO_PROXY", "*")
    assert provider.proxy == "http://proxy.corp:3128"
    assert "proxy='http://proxy.corp:3128'" in repr(provider)


def test_a_send_goes_where_the_environment_said_when_built(
    proxy: FakeProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What send() does, not only what the property shows: a changed environment
    # (here: no proxy at all) must not reroute it.
    proxy.script.append(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{proxy.port}")
    provider = _provider([], base_url="https://api.telnyx.test")
    monkeypatch.setenv("NO_PROXY", "*")
    monkeypatch.delenv("HTTPS_PROXY")
    with pytest.raises(ProviderTransportError, match="HTTP 403"):
        provider.send(MSG)
    assert len(proxy.heads) == 1


def test_the_argument_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "socks5://proxy.corp:1080")  # would be refused
    monkeypatch.setenv("NO_PROXY", "*")
    assert TelnyxProvider(API_KEY, proxy=None).proxy is None
    assert TelnyxProvider(API_KEY, proxy="http://mine:3128").proxy == "http://mine:3128"


def test_a_loopback_api_ignores_the_environments_proxy(
    api: FakeTelnyxApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.corp:3128")
    provider = _provider([], base_url=api.base_url)
    assert provider.proxy is None
    provider.send(MSG)
    assert len(api.requests) == 1


@pytest.mark.parametrize(
    ("proxy", "words"),
    [
        ("socks5://user:s3cret@proxy.corp:1080", "SOCKS"),
        ("socks5h://proxy.corp:1080", "SOCKS"),
        ("https://user:s3cret@proxy.corp:8443", "TLS to the proxy"),
        ("ftp://proxy.corp:21", "'ftp'"),
        ("http://", "not an http://"),
        ("http://user:s3cret@proxy.corp:99999", "not an http://"),
        ("http://proxy.corp:3128/path", "not an http://"),
        ("http://proxy.corp:3128?x=1", "not an http://"),
        ("http://us er:s3cret@proxy.corp:3128", "percent-encode"),
        ("http://proxy.corp:3128\n", "not an http://"),
        (b"http://proxy.corp:3128", "not bytes"),
    ],
)
def test_proxy_mistakes_are_configuration_errors(proxy: object, words: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        TelnyxProvider(API_KEY, proxy=proxy)  # type: ignore[arg-type]
    assert caught.value.field == "proxy"
    assert words in str(caught.value)
    assert "s3cret" not in str(caught.value)


def _chain(exc: BaseException | None) -> str:
    """Every exception hanging off ``exc``, suppressed context included (a logger may walk it)."""
    texts = []
    while exc is not None:
        texts.append(f"{exc!s} {exc!r}")
        exc = exc.__cause__ or exc.__context__
    return " ".join(texts)


@pytest.mark.parametrize(
    "proxy",
    [
        "http://ops:Pw0rd/XYZ@proxy.corp:3128",  # "/" ends the host: port "Pw0rd"
        "http://ops:Pw0rd#XYZ@proxy.corp:3128",
        "http://ops:Pw0rd?XYZ@proxy.corp:3128",
        "Us3rQQ:Pw0rd@proxy.corp:3128/x://",  # no scheme: "Us3rQQ" is none either
    ],
)
def test_a_malformed_proxy_url_leaves_no_credentials_in_the_exception_chain(proxy: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        TelnyxProvider(API_KEY, proxy=proxy)
    assert caught.value.field == "proxy"
    assert "percent-encode" in str(caught.value)
    text = _chain(caught.value).lower()
    assert "pw0rd" not in text
    assert "us3rqq" not in text


def test_a_mistake_in_the_environment_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "socks5://user:s3cret@proxy.corp:1080")
    with pytest.raises(ConfigurationError) as caught:
        TelnyxProvider(API_KEY)
    assert "HTTPS_PROXY" in str(caught.value)
    assert "s3cret" not in str(caught.value)


def test_a_non_ascii_host_through_a_proxy_is_refused_when_built() -> None:
    with pytest.raises(ConfigurationError) as caught:
        TelnyxProvider(API_KEY, base_url="https://b\u00fccher.example", proxy="proxy.corp:3128")
    assert caught.value.field == "base_url"
    assert "xn--" in str(caught.value)


def test_plain_http_through_a_proxy_off_loopback_is_refused(api: FakeTelnyxApi) -> None:
    with pytest.raises(ConfigurationError) as caught:
        TelnyxProvider(API_KEY, base_url=api.base_url, proxy="http://proxy.corp:3128")
    assert caught.value.field == "proxy"
    assert "unencrypted" in str(caught.value)


@given(st.text(max_size=40))
def test_any_proxy_text_is_taken_or_refused_with_a_configuration_error(text: str) -> None:
    try:
        shown = TelnyxProvider(API_KEY, proxy=text).proxy
    except ConfigurationError as exc:
        shown = f"refused: {exc.field}"
    assert shown == "refused: proxy" or (shown is not None and shown.startswith("http://"))


@given(
    st.sampled_from(["http", "HTTP", "https", "socks5", "ftp", ""]),
    st.sampled_from(["Pw0rdXYZ", "Pw0rd/XYZ", "Pw0rd#XYZ", "Pw0rd?XYZ"]),  # unencoded too
    st.text(max_size=30),
)
def test_a_proxy_password_is_never_shown(scheme: str, password: str, rest: str) -> None:
    value = f"Us3rQQ:{password}@{rest}"
    value = f"{scheme}://{value}" if scheme else value
    try:
        shown = repr(TelnyxProvider(API_KEY, proxy=value))
    except ConfigurationError as exc:
        shown = _chain(exc)
    assert "pw0rd" not in shown.lower()
    assert "us3rqq" not in shown.lower()
