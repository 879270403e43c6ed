"""TelnyxProvider over real HTTP against a loopback stand-in for Telnyx's send endpoint.

Each test counts the requests the server received: a retry must show as a second
POST, and an ambiguous failure must leave exactly one (never resent).
"""

from __future__ import annotations

import asyncio
import socket
import sys
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from fake_telnyx_api import API_KEY, Action, FakeTelnyxApi
from smskit.errors import (
    ConfigurationError,
    MissingExtraError,
    ProviderAmbiguousError,
    ProviderRejectedError,
    ProviderTransportError,
    install_hint,
)
from smskit.providers import (
    ENTRY_POINT_GROUP,
    AsyncTelnyxProvider,
    ErrorCategory,
    MessageStatus,
    OutboundMessage,
    RetryPolicy,
    TelnyxProvider,
    TelnyxSignatureVerifier,
)
from smskit.testing import FixedClock

from .conftest import NOW

PYPROJECT = Path(__file__).resolve().parents[3] / "pyproject.toml"
MSG = OutboundMessage(
    to="+14155550123", sender="+14155550199", body="Your code is 4821", idempotency_key="k-1"
)


@pytest.fixture
def api() -> Iterator[FakeTelnyxApi]:
    fake = FakeTelnyxApi().start()
    yield fake
    fake.stop()


def _provider(api: FakeTelnyxApi, sleeps: list[float], **kwargs: object) -> TelnyxProvider:
    options: dict[str, object] = {
        "base_url": api.base_url,
        "retry": RetryPolicy(attempts=3, base_delay=0.5, jitter=0.0),
        "sleep": sleeps.append,
        "random": lambda: 0.5,
        "clock": FixedClock(NOW),
        "timeout": 2.0,
    }
    options.update(kwargs)
    return TelnyxProvider(API_KEY, **options)  # type: ignore[arg-type]


def test_send_posts_the_documented_json_and_reads_the_record(api: FakeTelnyxApi) -> None:
    message = OutboundMessage(
        to="+14155550123", sender="+14155550199", body="Hi", media_urls=("https://e.x/a.png",),
        status_callback="https://hooks.example/telnyx", idempotency_key="k-9",
    )  # fmt: skip
    receipt = _provider(api, [], messaging_profile_id="prof-1").send(message)
    (request,) = api.requests
    assert request.path == "/v2/messages"
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.headers["Content-Type"] == "application/json"
    assert request.json == {
        "to": "+14155550123", "from": "+14155550199", "messaging_profile_id": "prof-1",
        "text": "Hi", "media_urls": ["https://e.x/a.png"],
        "webhook_url": "https://hooks.example/telnyx",
    }  # fmt: skip
    assert receipt.provider == "telnyx"
    assert receipt.message_id == "4031938a-0000-4000-8000-00000000beef"
    assert receipt.status is MessageStatus.QUEUED
    assert receipt.segments == 2
    assert receipt.accepted_at == datetime(2026, 3, 1, 12, 0, 5, 250000, tzinfo=UTC)
    assert receipt.idempotency_key == "k-9"
    assert not receipt.recovered


def test_message_service_wins_over_the_default_profile(api: FakeTelnyxApi) -> None:
    message = OutboundMessage(to="+14155550123", body="Hi", messaging_service="pool-7")
    _provider(api, [], messaging_profile_id="prof-1").send(message)
    assert api.requests[0].json["messaging_profile_id"] == "pool-7"
    assert "from" not in api.requests[0].json


def test_unknown_status_is_kept_and_missing_date_uses_the_clock(api: FakeTelnyxApi) -> None:
    api.script.append(Action(body={"data": {"id": "m-1", "to": [{"status": "Brand_New"}]}}))
    receipt = _provider(api, []).send(MSG)
    assert receipt.status is MessageStatus.UNKNOWN
    assert receipt.raw_status == "brand_new"
    assert receipt.accepted_at == NOW
    assert receipt.segments is None


def test_429_is_retried_after_the_servers_wait(api: FakeTelnyxApi) -> None:
    api.script.append(Action(status=429, body={"errors": [{"code": "10011"}]},
                             headers={"Retry-After": "3"}))  # fmt: skip
    sleeps: list[float] = []
    receipt = _provider(api, sleeps).send(MSG)
    assert len(api.requests) == 2
    assert sleeps == [3.0]
    assert receipt.message_id.startswith("4031938a")


def test_429_on_the_last_attempt_is_a_retryable_rejection(api: FakeTelnyxApi) -> None:
    api.script.extend(Action(status=429, body={"errors": [{"code": "10011"}]}) for _ in range(3))
    sleeps: list[float] = []
    with pytest.raises(ProviderRejectedError) as caught:
        _provider(api, sleeps).send(MSG)
    assert len(api.requests) == 3
    assert sleeps == [0.5, 1.0]
    assert caught.value.category is ErrorCategory.RATE_LIMITED
    assert caught.value.retryable
    assert caught.value.provider_code == "10011"


def test_opt_out_code_is_unsubscribed_and_numbers_are_masked(api: FakeTelnyxApi) -> None:
    detail = "Messages cannot be sent from '+14155550199' to '+14155550123' (block rule)."
    # Telnyx answers 40300 with HTTP 409 (https://developers.telnyx.com/api/errors/40300).
    api.script.append(Action(status=409, body={"errors": [
        {"code": "40300", "title": "Blocked due to STOP message", "detail": detail}]}))  # fmt: skip
    with pytest.raises(ProviderRejectedError) as caught:
        _provider(api, []).send(MSG)
    error = caught.value
    assert len(api.requests) == 1
    assert error.category is ErrorCategory.UNSUBSCRIBED
    assert not error.retryable
    assert error.status == 409
    assert error.provider_code == "40300"
    assert error.detail is not None
    assert "Blocked due to STOP message" in error.detail
    for text in (str(error), error.detail):
        assert "4155550123" not in text
        assert "4155550199" not in text


def test_unknown_code_is_unknown_and_not_retried(api: FakeTelnyxApi) -> None:
    api.script.append(Action(status=422, body={"errors": [{"code": "77777"}]}))
    with pytest.raises(ProviderRejectedError) as caught:
        _provider(api, []).send(MSG)
    assert caught.value.category is ErrorCategory.UNKNOWN
    assert caught.value.provider_code == "77777"
    assert not caught.value.retryable
    assert len(api.requests) == 1


def test_401_without_a_code_is_an_account_problem(api: FakeTelnyxApi) -> None:
    api.script.append(Action(status=401, body="<html>nope</html>"))
    with pytest.raises(ProviderRejectedError) as caught:
        _provider(api, []).send(MSG)
    assert caught.value.category is ErrorCategory.ACCOUNT
    assert caught.value.provider_code is None


@pytest.mark.parametrize(
    "action",
    [
        Action(status=500, body={"errors": [{"code": "10007"}]}),
        Action(status=200, body="not json"),
        Action(status=200, body={"data": {"id": ""}}),
    ],
    ids=["5xx", "unreadable-2xx", "2xx-without-id"],
)
def test_ambiguous_answers_are_never_resent(api: FakeTelnyxApi, action: Action) -> None:
    api.script.append(action)
    sleeps: list[float] = []
    with pytest.raises(ProviderAmbiguousError) as caught:
        _provider(api, sleeps).send(MSG)
    assert len(api.requests) == 1
    assert sleeps == []
    assert caught.value.idempotency_key == "k-1"
    assert caught.value.since == NOW
    assert "4155550123" not in str(caught.value)


def test_a_read_timeout_is_ambiguous(api: FakeTelnyxApi) -> None:
    api.script.append(Action(hang=True))
    with pytest.raises(ProviderAmbiguousError):
        _provider(api, [], timeout=0.3).send(MSG)
    assert len(api.requests) == 1


def test_refused_connections_are_retried_then_a_transport_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps: list[float] = []
    provider = TelnyxProvider(
        API_KEY, base_url=f"http://127.0.0.1:{port}", sleep=sleeps.append,
        retry=RetryPolicy(attempts=3, base_delay=0.5, jitter=0.0), clock=FixedClock(NOW),
    )  # fmt: skip
    with pytest.raises(ProviderTransportError) as caught:
        provider.send(MSG)
    assert sleeps == [0.5, 1.0]
    assert caught.value.retryable


def test_async_twin_sends_through_the_same_path(api: FakeTelnyxApi) -> None:
    receipt = asyncio.run(AsyncTelnyxProvider(_provider(api, [])).send(MSG))
    assert receipt.message_id.startswith("4031938a")
    assert len(api.requests) == 1


def test_validity_period_is_refused_before_any_request(api: FakeTelnyxApi) -> None:
    message = OutboundMessage(to="+14155550123", sender="+14155550199", body="x",
                              validity_period=60)  # fmt: skip
    with pytest.raises(ConfigurationError) as caught:
        _provider(api, []).send(message)
    assert caught.value.field == "validity_period"
    assert api.requests == []


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"api_key": ""}, "api_key"),
        ({"api_key": "KEY\n"}, "api_key"),
        ({"api_key": b"KEY"}, "api_key"),
        ({"base_url": "http://api.telnyx.com"}, "base_url"),
        ({"base_url": "ftp://127.0.0.1"}, "base_url"),
        ({"base_url": "https://"}, "base_url"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": float("nan")}, "timeout"),
        ({"timeout": 1e300}, "timeout"),  # overflowed the socket at send time
        ({"timeout": 10_000}, "timeout"),  # milliseconds given as seconds
        ({"messaging_profile_id": " "}, "messaging_profile_id"),
        # Each of these raised from http.client at send time, naming the key or
        # passing a refused URL off as an ambiguous send.
        ({"api_key": "KEY\r\nX-Evil: 1"}, "api_key"),
        ({"api_key": "KEY\u201d"}, "api_key"),
        ({"api_key": "KEY\x00"}, "api_key"),
        ({"base_url": "https://api.telnyx.com/a b"}, "base_url"),
        ({"base_url": "https://api.telnyx.com/\u00e9"}, "base_url"),
        ({"base_url": "https://user:pw@api.telnyx.com"}, "base_url"),
        ({"base_url": "https://api.telnyx.com#x"}, "base_url"),
        ({"base_url": "https://[api.telnyx.com"}, "base_url"),  # was urlsplit's ValueError
    ],
)
def test_setup_mistakes_are_configuration_errors(kwargs: dict[str, object], field: str) -> None:
    options: dict[str, object] = {"api_key": API_KEY, **kwargs}
    with pytest.raises(ConfigurationError) as caught:
        TelnyxProvider(**options)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert "KEY" not in str(caught.value).replace("API key", "")
    assert "pw@" not in str(caught.value)


def test_a_base_url_with_a_path_prefix_is_kept(api: FakeTelnyxApi) -> None:
    _provider(api, [], base_url=api.base_url + "/proxy/").send(MSG)
    assert api.requests[0].path == "/proxy/v2/messages"


@pytest.mark.parametrize("status", [302, 307, 404])
def test_a_redirect_or_404_is_not_followed_and_names_base_url(
    api: FakeTelnyxApi, status: int
) -> None:
    moved = {"Location": "https://elsewhere.example/v2/messages"}
    api.script.append(Action(status=status, body="<html>moved</html>", headers=moved))
    with pytest.raises(ProviderRejectedError) as caught:
        _provider(api, []).send(MSG)
    assert len(api.requests) == 1
    assert caught.value.category is ErrorCategory.UNKNOWN
    assert not caught.value.retryable
    assert "base_url" in str(caught.value)


def test_repr_never_shows_the_key() -> None:
    assert API_KEY not in repr(TelnyxProvider(API_KEY))


def test_the_declared_entry_point_names_the_provider() -> None:
    # Read from pyproject.toml, not the installed metadata: a shared editable install
    # made before this entry point existed would not list it.
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    value = project["entry-points"][ENTRY_POINT_GROUP]["telnyx"]
    assert EntryPoint("telnyx", value, ENTRY_POINT_GROUP).load() is TelnyxProvider


def test_retry_after_date_counts_from_the_clock(api: FakeTelnyxApi) -> None:
    later = NOW + timedelta(seconds=7)
    api.script.append(Action(status=429, headers={
        "Retry-After": later.strftime("%a, %d %b %Y %H:%M:%S GMT")}))  # fmt: skip
    sleeps: list[float] = []
    _provider(api, sleeps).send(MSG)
    assert sleeps == [7.0]


def test_signatures_without_the_extra_say_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Sending needs no extra; only the Ed25519 check does, and it says which one.
    monkeypatch.setitem(sys.modules, "cryptography.hazmat.primitives.asymmetric.ed25519", None)
    with pytest.raises(MissingExtraError) as caught:
        TelnyxSignatureVerifier("A" * 44)
    assert caught.value.extra == "telnyx"
    assert install_hint("telnyx") in str(caught.value)
