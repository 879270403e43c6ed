"""EmailGatewayProvider against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest

from smskit.errors import (
    ConfigurationError,
    GatewayClosedError,
    ProviderRejectedError,
    ProviderTransportError,
)
from smskit.providers import (
    CARRIER_GATEWAYS,
    CarrierGateway,
    EmailGatewayProvider,
    ErrorCategory,
    MessageStatus,
    OutboundMessage,
    gateway_for,
)
from smskit.testing import FixedClock

controller_module = pytest.importorskip("aiosmtpd.controller")
smtp_module = pytest.importorskip("aiosmtpd.smtp")

TO = "+14155550123"
SENDER = "alerts@example.com"
BEFORE_VERIZON = datetime(2026, 12, 3, 19, 0, tzinfo=UTC)


class Recorder:
    def __init__(self) -> None:
        self.envelopes: list[Any] = []
        self.connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # type: ignore[no-untyped-def]  # noqa: N802
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        self.envelopes.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, **kwargs: Any) -> None:
        self.recorder = Recorder()
        self.port = _free_port()
        self.controller = controller_module.Controller(
            self.recorder, hostname="127.0.0.1", port=self.port, **kwargs
        )

    def __enter__(self) -> Server:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


@pytest.fixture
def server() -> Iterator[Server]:
    with Server() as running:
        yield running


def provider(port: int, at: datetime = BEFORE_VERIZON, **kwargs: Any) -> EmailGatewayProvider:
    directory = kwargs.pop("directory", {TO: "vtext.com"})
    return EmailGatewayProvider(
        "127.0.0.1", port, sender_address=SENDER, directory=directory,
        clock=FixedClock(at), timeout=5, **kwargs,
    )  # fmt: skip


def msg(body: str = "Server room is hot", **kwargs: Any) -> OutboundMessage:
    return OutboundMessage(to=TO, sender=SENDER, body=body, **kwargs)


def test_sends_to_the_gateway_address(server: Server) -> None:
    receipt = provider(server.port).send(msg(idempotency_key="k1"))
    (envelope,) = server.recorder.envelopes
    assert envelope.mail_from == SENDER
    assert envelope.rcpt_tos == ["4155550123@vtext.com"]
    mail = message_from_bytes(envelope.content, policy=default_policy)
    assert mail["To"] == "4155550123@vtext.com"
    assert mail["Message-ID"] == receipt.message_id
    assert mail.get_content().strip() == "Server room is hot"
    assert receipt.status is MessageStatus.SENT
    assert receipt.accepted_at == BEFORE_VERIZON
    assert receipt.idempotency_key == "k1"


@pytest.mark.parametrize(
    ("domain", "closed_at", "since_text"),
    [
        ("txt.att.net", datetime(2025, 6, 17, tzinfo=UTC), "2025-06-17"),
        ("mms.att.net", datetime(2026, 1, 1, tzinfo=UTC), "2025-06-17"),
        ("tmomail.net", datetime(2024, 12, 1, tzinfo=UTC), "December 2024"),
        ("vtext.com", datetime(2027, 3, 31, tzinfo=UTC), "2027-03-31"),
        ("VZWPIX.com", datetime(2027, 4, 1, tzinfo=UTC), "2027-03-31"),
    ],
)
def test_closed_gateways_are_refused_before_any_smtp_traffic(
    server: Server, domain: str, closed_at: datetime, since_text: str
) -> None:
    gateway = provider(server.port, at=closed_at, directory={TO: domain})
    with pytest.raises(GatewayClosedError) as caught:
        gateway.send(msg())
    assert since_text in str(caught.value)
    assert "real SMS provider" in str(caught.value)
    assert caught.value.retryable is False
    assert caught.value.domain == domain.lower()
    assert TO not in str(caught.value)
    assert server.recorder.connections == 0
    assert server.recorder.envelopes == []


def test_the_day_before_closing_still_sends(server: Server) -> None:
    gateway = provider(server.port, at=datetime(2025, 6, 16, 23, 59, tzinfo=UTC),
                       directory={TO: "txt.att.net"})  # fmt: skip
    gateway.send(msg())
    assert server.recorder.envelopes[0].rcpt_tos == ["4155550123@txt.att.net"]


def test_suggests_the_mms_gateway_when_only_sms_closed(server: Server) -> None:
    gateways = (
        CarrierGateway("sms.example", "Carrier", "sms", date(2026, 1, 1), "day", "U", "https://s"),
        CarrierGateway("mms.example", "Carrier", "mms", None, "day", "U", "https://s"),
    )
    gateway = provider(server.port, directory={TO: "sms.example"}, gateways=gateways)
    with pytest.raises(GatewayClosedError, match=r"MMS gateway mms\.example"):
        gateway.send(msg())


@pytest.mark.parametrize(("status", "label"), [
    ("S", "secondary source, no carrier notice retrieved"),
    ("U", "unverified"),
])
def test_the_refusal_says_how_good_its_date_is(server: Server, status: str, label: str) -> None:
    # No carrier's own notice was retrieved for any shipped closure (docs/providers.md):
    # the refusal quoted its source as if it were one (review rev31m).
    gateways = (CarrierGateway("sms.example", "Carrier", "sms", date(2026, 1, 1), "day",
                               status, "https://s"),)  # type: ignore[arg-type]
    gateway = provider(server.port, directory={TO: "sms.example"}, gateways=gateways)
    with pytest.raises(GatewayClosedError) as caught:
        gateway.send(msg())
    assert f"({label}: https://s)" in str(caught.value)


def test_a_gateway_list_of_your_own_may_use_another_status(server: Server) -> None:
    # docs/providers.md: "If a carrier announces a date before smskit ships it, pass an
    # updated list as gateways=". Its status is the user's own (a carrier notice is
    # neither S nor U); the refusal raised KeyError there (review of rev31m).
    gateways = (CarrierGateway("sms.example", "Carrier", "sms", date(2026, 1, 1), "day",
                               "C", "https://carrier.example/notice"),)  # type: ignore[arg-type]
    gateway = provider(server.port, directory={TO: "sms.example"}, gateways=gateways)
    with pytest.raises(GatewayClosedError) as caught:
        gateway.send(msg())
    assert "(source: https://carrier.example/notice)" in str(caught.value)


def test_gateway_data_carries_sources_and_dates() -> None:
    assert {g.domain for g in CARRIER_GATEWAYS} == {
        "tmomail.net", "txt.att.net", "mms.att.net", "vtext.com", "vzwpix.com"
    }  # fmt: skip
    for gateway in CARRIER_GATEWAYS:
        assert gateway.source.startswith("https://")
        assert gateway.status in {"S", "U"}
    assert gateway_for("TXT.ATT.NET") == gateway_for("txt.att.net")
    assert gateway_for("example.org") is None


def test_body_cannot_add_headers_or_recipients(server: Server) -> None:
    body = "hi\r\nBcc: evil@example.org\r\n\r\n.\r\nRCPT TO:<evil@example.org>"
    provider(server.port, max_body_chars=500).send(msg(body))
    (envelope,) = server.recorder.envelopes
    assert envelope.rcpt_tos == ["4155550123@vtext.com"]
    mail = message_from_bytes(envelope.content, policy=default_policy)
    assert mail["Bcc"] is None
    assert "evil@example.org" in mail.get_content()  # stayed text


@pytest.mark.parametrize(
    "kwargs",
    [
        {"subject": "Alert\r\nBcc: evil@example.org"},
        {"subject": "Alert\nX: y"},
        {"sender_address": "a@example.com\r\nBcc: evil@example.org"},
    ],
)
def test_header_fields_reject_line_breaks(kwargs: dict[str, str]) -> None:
    args: dict[str, Any] = {"sender_address": SENDER, "directory": {}, **kwargs}
    with pytest.raises(ConfigurationError):
        EmailGatewayProvider("127.0.0.1", 25, **args)


@pytest.mark.parametrize(
    ("to", "domain"),
    [
        ("+14155550123\r\nBcc: evil@example.org", "vtext.com"),
        ("4155550123", "vtext.com"),
        (TO, "vtext.com\r\nBcc: evil@example.org"),
        (TO, "evil@example.org"),
    ],
)
def test_numbers_and_domains_cannot_inject(server: Server, to: str, domain: str) -> None:
    # A directory function answers any number: the send itself must refuse a bad `to`
    # (a mapping with such a key is refused already when built, below).
    gateway = provider(server.port, directory=lambda _number: domain)
    with pytest.raises(ConfigurationError):
        gateway.send(OutboundMessage(to=to, sender=SENDER, body="x"))
    assert server.recorder.connections == 0


def test_subject_is_sent_when_configured(server: Server) -> None:
    provider(server.port, subject="Alert").send(msg())
    mail = message_from_bytes(server.recorder.envelopes[0].content, policy=default_policy)
    assert mail["Subject"] == "Alert"


def test_text_only_and_length_limit(server: Server) -> None:
    gateway = provider(server.port)
    with pytest.raises(ProviderRejectedError) as media:
        gateway.send(msg(media_urls=("https://example.com/a.jpg",)))
    assert media.value.category is ErrorCategory.CONTENT_REJECTED
    with pytest.raises(ProviderRejectedError):
        gateway.send(msg("x" * 161))
    assert server.recorder.connections == 0
    assert gateway.capabilities.reports_delivery is False


def test_unknown_recipient_or_server_down() -> None:
    with pytest.raises(ConfigurationError, match="directory"):
        provider(_free_port(), directory={}).send(msg())
    with pytest.raises(ProviderTransportError):
        provider(_free_port()).send(msg())


def _authenticator(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
    ok = auth_data.login == b"robot" and auth_data.password == b"s3cret"
    # handled=False: aiosmtpd then answers 535 itself (its default, handled=True, sends nothing)
    return smtp_module.AuthResult(success=ok, handled=False)


# Plain AUTH is fine on loopback; aiosmtpd warns about it for real deployments.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_login_as_configured() -> None:
    with Server(authenticator=_authenticator, auth_require_tls=False, auth_required=True) as srv:
        provider(srv.port, username="robot", password="s3cret").send(msg())
        assert len(srv.recorder.envelopes) == 1
        with pytest.raises(ProviderRejectedError) as caught:
            provider(srv.port, username="robot", password="wrong").send(msg())
        assert caught.value.category is ErrorCategory.ACCOUNT
        assert len(srv.recorder.envelopes) == 1


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make a test cert")
def test_starttls(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    client_context = ssl.create_default_context(cafile=str(cert))
    with Server(tls_context=server_context, require_starttls=True) as srv:
        provider(srv.port, starttls=True, ssl_context=client_context).send(msg())
        assert len(srv.recorder.envelopes) == 1
        with pytest.raises(ProviderRejectedError):  # the server insists on STARTTLS
            provider(srv.port).send(msg())
        assert len(srv.recorder.envelopes) == 1


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x1c", "\x9b"])
@pytest.mark.parametrize("field", ["subject", "sender_address"])
def test_unicode_line_separators_are_refused_when_configured(field: str, separator: str) -> None:
    # str.splitlines() breaks lines at U+2028, U+2029, U+0085 and U+001C..1E;
    # the email package then refuses the header with a bare ValueError at every
    # send. Refuse them at construction, like CR and LF, saying which field.
    args: dict[str, Any] = {"sender_address": SENDER, "directory": {}}
    args[field] = f"{args.get(field, 'Alert')}{separator}Bcc: evil@example.org"
    with pytest.raises(ConfigurationError) as caught:
        EmailGatewayProvider("127.0.0.1", 25, **args)
    assert caught.value.field == field


@pytest.mark.parametrize("separator", ["\u2028", "\x85"])
def test_unicode_line_separators_in_a_directory_domain_are_refused(
    server: Server, separator: str
) -> None:
    gateway = provider(server.port, directory={TO: f"vtext.com{separator}evil.example.org"})
    with pytest.raises(ConfigurationError) as caught:
        gateway.send(msg())
    assert caught.value.field == "directory"
    assert server.recorder.connections == 0


def test_a_very_long_subject_is_folded_not_refused(server: Server) -> None:
    subject = "Alert " + "x" * 2000
    provider(server.port, subject=subject).send(msg())
    content = server.recorder.envelopes[0].content
    assert max(len(line) for line in content.split(b"\r\n")) <= 998  # RFC 5322 2.1.1
    mail = message_from_bytes(content, policy=default_policy)
    assert mail["Subject"] == subject


def test_a_fully_qualified_domain_with_its_trailing_dot_is_still_closed(server: Server) -> None:
    # "txt.att.net." names the same host as "txt.att.net" (DNS root dot).
    gateway = provider(
        server.port, at=datetime(2026, 1, 1, tzinfo=UTC), directory={TO: "TXT.ATT.NET."}
    )
    with pytest.raises(GatewayClosedError):
        gateway.send(msg())
    assert server.recorder.connections == 0


def test_a_custom_gateway_list_matches_domains_in_any_case(server: Server) -> None:
    closed = CarrierGateway(
        "Gateway.Example.COM", "Example", "sms", date(2026, 1, 1), "day", "U",
        "https://example.com/notice",
    )  # fmt: skip
    gateway = provider(server.port, directory={TO: "gateway.example.com"}, gateways=[closed])
    with pytest.raises(GatewayClosedError):
        gateway.send(msg())
    assert server.recorder.connections == 0


def test_the_closing_day_does_not_depend_on_the_clocks_time_zone(server: Server) -> None:
    # 2025-06-17 06:30 UTC: AT&T's gateway is closed (closes_on 2025-06-17). The
    # same instant on a clock that reports US Pacific time reads June 16.
    from zoneinfo import ZoneInfo

    instant = datetime(2025, 6, 17, 6, 30, tzinfo=UTC)
    pacific = instant.astimezone(ZoneInfo("America/Los_Angeles"))
    for at in (instant, pacific):
        gateway = provider(server.port, at=at, directory={TO: "txt.att.net"})
        with pytest.raises(GatewayClosedError):
            gateway.send(msg())
    assert server.recorder.connections == 0


class RefusesRecipients(Recorder):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]  # noqa: N802
        return f"550 5.1.1 <{address}>: no such user"


def test_a_refused_recipient_logged_with_its_traceback_does_not_show_the_number() -> None:
    import traceback

    port = _free_port()
    controller = controller_module.Controller(RefusesRecipients(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with pytest.raises(ProviderRejectedError) as caught:
            provider(port).send(msg())
    finally:
        controller.stop()
    assert caught.value.category is ErrorCategory.INVALID_NUMBER
    logged = "".join(traceback.format_exception(caught.value))
    assert "4155550123" not in logged


@pytest.mark.parametrize("entry", ["4155550123@vtext.com", "4155550123 vtext.com"])
def test_a_directory_entry_holding_the_whole_address_is_refused_without_the_number(
    server: Server, entry: str
) -> None:
    # A directory built from a column of gateway addresses (number@domain)
    # instead of domains: the error used to quote the entry, number and all.
    gateway = provider(server.port, directory={TO: entry})
    with pytest.raises(ConfigurationError) as caught:
        gateway.send(msg())
    assert caught.value.field == "directory"
    assert "4155550123" not in str(caught.value)
    assert "vtext.com" in str(caught.value)
    assert server.recorder.connections == 0


def test_the_body_limit_counts_utf16_units(server: Server) -> None:
    gateway = provider(server.port, max_body_chars=10)
    with pytest.raises(ProviderRejectedError, match="UTF-16"):
        gateway.send(msg("\U0001f600" * 6))  # 6 characters, 12 units
    gateway.send(msg("\U0001f600" * 5))
    assert len(server.recorder.envelopes) == 1


@pytest.mark.parametrize("key", ["4155550123", "+1 415 555 0123", "(415) 555-0123"])
def test_a_directory_key_no_recipient_can_match_is_refused_when_built(key: str) -> None:
    # Keys are compared with the recipient's strict E.164: one written as a CRM writes
    # it matched nobody, and each send failed later with "no gateway domain for ...".
    with pytest.raises(ConfigurationError) as caught:
        EmailGatewayProvider("localhost", 25, sender_address=SENDER,
                             directory={key: "vtext.com"})
    assert caught.value.field == "directory"
    assert "E.164" in str(caught.value)
    assert "555-0123" not in str(caught.value)
    assert "5550123" not in str(caught.value)
