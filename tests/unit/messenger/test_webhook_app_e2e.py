"""End to end: examples/webhook_app.py on loopback, a Twilio-signed STOP over real HTTP,
the confirmation through the Twilio SDK to the loopback Messages API."""

from __future__ import annotations

import http.client
import importlib.util
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

from fake_twilio_api import TOKEN, FakeMessagesApi
from smskit.consent import ConsentState
from smskit.messenger import Messenger, SendOutcome
from smskit.policy import SendRequest
from smskit.purpose import Purpose
from smskit.testing import FixedClock

from .twilio_rig import (
    ALICE,
    OURS,
    SENDER,
    T0,
    close,
    grant,
    start_fake,
    stop_fake,
    twilio_messenger,
)

request_validator = pytest.importorskip("twilio.request_validator")
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "webhook_app.py"


def _load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("webhook_app", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Messenger, FakeMessagesApi]]:
    clock = FixedClock(T0)
    api = start_fake(clock)
    messenger = twilio_messenger(tmp_path, api.base_url, clock)
    app = _load_example().make_app(messenger, now=clock.now)
    server = make_server("127.0.0.1", 0, app, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", messenger, api
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        stop_fake(api)
        close(messenger)


def _post(url: str, params: dict[str, str], signature: str) -> int:
    data = urllib.parse.urlencode(params).encode("ascii")
    request = urllib.request.Request(url, data=data, headers={"X-Twilio-Signature": signature})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def _stop_params() -> dict[str, str]:
    return {
        "MessageSid": "SM" + "a" * 32,
        "AccountSid": "AC" + "0" * 32,
        "From": ALICE,
        "To": OURS,
        "Body": "STOP",
        "NumMedia": "0",
    }


def test_a_signed_stop_over_http_revokes_confirms_once_and_blocks_marketing(
    served: tuple[str, Messenger, FakeMessagesApi],
) -> None:
    base, messenger, api = served
    grant(messenger, ALICE)
    url = f"{base}/sms/inbound"
    params = _stop_params()
    # Signed by the official SDK, not by the code under test.
    signature = request_validator.RequestValidator(TOKEN).compute_signature(url, params)
    assert _post(url, params, signature) == 200
    assert _post(url, params, signature) == 200  # Twilio retrying the same webhook
    status = messenger.ledger.status(
        ALICE, Purpose.MARKETING, scope="acme", channel="sms", at=T0 + timedelta(seconds=1)
    )
    assert status.state is ConsentState.REVOKED
    assert [(p["To"], p["From"], p["Body"]) for p in api.posts] == [
        (ALICE, OURS, "Acme: You are unsubscribed and will receive no more messages from us. "
         "Reply START to resubscribe.")
    ]
    blast = SendRequest(
        recipient=ALICE, body="Acme: sale today! Reply STOP to opt out", idempotency_key="blast-1"
    )
    result = messenger.send(blast, SENDER, T0 + timedelta(minutes=1))
    assert result.outcome is SendOutcome.BLOCKED
    assert len(api.posts) == 1


def test_a_forged_stop_is_refused_with_403_and_changes_nothing(
    served: tuple[str, Messenger, FakeMessagesApi],
) -> None:
    base, messenger, api = served
    grant(messenger, ALICE)
    url = f"{base}/sms/inbound"
    params = _stop_params()
    forged = request_validator.RequestValidator("not-the-token").compute_signature(url, params)
    assert _post(url, params, forged) == 403
    status = messenger.ledger.status(
        ALICE, Purpose.MARKETING, scope="acme", channel="sms", at=T0 + timedelta(seconds=1)
    )
    assert status.state is ConsentState.GRANTED
    assert api.posts == []


def test_a_signed_status_callback_with_21610_records_an_opt_out(
    served: tuple[str, Messenger, FakeMessagesApi],
) -> None:
    base, messenger, _api = served
    grant(messenger, ALICE)
    url = f"{base}/sms/status"
    params = {
        "MessageSid": "SM" + "b" * 32,
        "MessageStatus": "undelivered",
        "To": ALICE,
        "From": OURS,
        "ErrorCode": "21610",
        "AccountSid": "AC" + "0" * 32,
    }
    signature = request_validator.RequestValidator(TOKEN).compute_signature(url, params)
    assert _post(url, params, signature) == 204
    status = messenger.ledger.status(
        ALICE, Purpose.MARKETING, scope="acme", channel="sms", at=T0 + timedelta(seconds=1)
    )
    assert status.state is ConsentState.REVOKED


def _raw_post(base: str, headers: dict[str, str], body: bytes) -> int:
    """POST with headers exactly as given (a hostile client sets its own Content-Length)."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    try:
        connection.putrequest("POST", "/sms/inbound")
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("headers", "body", "expected"),
    [
        ({"Content-Length": "abc"}, b"Body=STOP", 400),
        ({"Content-Length": "-1"}, b"Body=STOP", 400),  # read(-1) would wait for EOF
        ({"Content-Length": "4"}, b"\xff\xfe\xfd\xfc", 400),  # not UTF-8
        ({"Content-Length": str(10**12)}, b"", 413),
        ({"Content-Length": "9"}, b"Body=STOP", 403),  # no signature at all
        ({"Content-Length": "16", "Content-Type": "application/json"}, b'{"Body": "STOP"}', 403),
    ],
    ids=["not-a-number", "negative", "not-utf8", "huge", "unsigned", "json"],
)
def test_a_hostile_request_gets_a_4xx_and_changes_nothing(
    served: tuple[str, Messenger, FakeMessagesApi],
    headers: dict[str, str],
    body: bytes,
    expected: int,
) -> None:
    base, messenger, api = served
    grant(messenger, ALICE)
    assert _raw_post(base, headers, body) == expected
    status = messenger.ledger.status(
        ALICE, Purpose.MARKETING, scope="acme", channel="sms", at=T0 + timedelta(seconds=1)
    )
    assert status.state is ConsentState.GRANTED
    assert api.posts == []


def test_the_example_main_builds_a_client_with_a_timeout_and_closes_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # docs/providers.md: "Give the client a timeout ... the SDK's HTTP client waits
    # forever by default"; the example's main() built Client(sid, token) without one
    # (TwilioProvider warned at start-up) and left its three SQLite files open.
    example = _load_example()
    served: list[object] = []

    class _Server:
        def __enter__(self) -> _Server:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

        def serve_forever(self) -> None:
            served.append(True)

    monkeypatch.setattr(example, "make_server", lambda host, port, app: _Server())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "AC" + "0" * 32)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv("SMSKIT_SENDER", OURS)
    with caplog.at_level("WARNING", logger="smskit.providers.twilio"):
        example.main()
    assert served == [True]
    assert not [r for r in caplog.records if "timeout" in r.getMessage()]
