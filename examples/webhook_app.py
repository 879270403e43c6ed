"""A minimal webhook application for smskit's Messenger: standard library only (wsgiref).

Two routes, each a single call to the messenger:

* ``POST /sms/inbound``: Twilio's "A message comes in" webhook → ``handle_inbound``
  (STOP, HELP, START are recorded in the consent ledger and answered once).
* ``POST /sms/status``: the status callback → ``handle_status`` (delivery
  outcomes, provider-reported opt-outs, suppression of dead numbers).

A request whose signature does not verify gets 403 and changes nothing; a
webhook missing its fields gets 400. Run it against Twilio with::

    TWILIO_ACCOUNT_SID=AC... TWILIO_AUTH_TOKEN=... SMSKIT_SENDER=+1... \\
    SMSKIT_PUBLIC_URL=https://sms.example.com python examples/webhook_app.py

``SMSKIT_PUBLIC_URL`` is the address Twilio calls (behind a proxy or tunnel it
is not what the app sees, and the signature covers it): the verifier checks
signatures against it (``TwilioSignatureVerifier(token, public_url=...)``), and
never against a ``Host`` or ``X-Forwarded-*`` header a caller could choose.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import make_server
from wsgiref.util import request_uri

from smskit import Messenger, ProviderResponseError, WebhookSignatureError

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

_EMPTY_TWIML = b'<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
_MAX_BODY = 64 * 1024  # Twilio's webhooks are a few kilobytes


def make_app(
    messenger: Messenger,
    *,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> WsgiApp:
    """The WSGI application.

    Args:
        messenger: handles the webhooks; its verifier's ``public_url`` (if any)
            replaces the scheme and host of the URL this server sees.
        now: the clock (the app is the edge where the time is read).
    """

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        handlers = {
            "/sms/inbound": messenger.handle_inbound,
            "/sms/status": messenger.handle_status,
        }
        handler = handlers.get(path)
        if handler is None or environ.get("REQUEST_METHOD") != "POST":
            return _reply(start_response, "404 Not Found", b"not found\n")
        length_text = str(environ.get("CONTENT_LENGTH") or "0")
        if not length_text.isdecimal():  # "-1" would read until the client hangs up
            return _reply(start_response, "400 Bad Request", b"bad content length\n")
        length = int(length_text)
        if length > _MAX_BODY:
            return _reply(start_response, "413 Content Too Large", b"too large\n")
        try:
            text = environ["wsgi.input"].read(length).decode("utf-8")
        except UnicodeDecodeError:
            return _reply(start_response, "400 Bad Request", b"not UTF-8\n")
        form = parse_qs(text, keep_blank_values=True)
        url = request_uri(environ)
        headers = _headers(environ)
        try:
            handler(url, form, headers, now())
        except WebhookSignatureError:
            return _reply(start_response, "403 Forbidden", b"bad signature\n")
        except ProviderResponseError:
            return _reply(start_response, "400 Bad Request", b"not a webhook\n")
        if path == "/sms/inbound":  # the reply went out through the API, not TwiML
            return _reply(start_response, "200 OK", _EMPTY_TWIML, "text/xml")
        return _reply(start_response, "204 No Content", b"")

    return app


def _headers(environ: Mapping[str, Any]) -> dict[str, str]:
    found = {
        k[5:].replace("_", "-").title(): str(v) for k, v in environ.items() if k.startswith("HTTP_")
    }
    if "CONTENT_TYPE" in environ:
        found["Content-Type"] = str(environ["CONTENT_TYPE"])
    return found


def _reply(
    start_response: StartResponse, status: str, body: bytes, kind: str = "text/plain"
) -> list[bytes]:
    start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body)))])
    return [body]


def main() -> None:
    """Serve on 127.0.0.1:8000 with SQLite files in the current directory."""
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client

    from smskit import (
        CompliancePipeline,
        ConsentLedger,
        SenderProfile,
        SQLiteMessageHistory,
        SQLiteOutbox,
        SQLiteStore,
        TwilioProvider,
        TwilioSignatureVerifier,
        TwilioWebhookParser,
        default_policies,
    )

    token = os.environ["TWILIO_AUTH_TOKEN"]
    # A timeout: the SDK's HTTP client waits forever by default (docs/providers.md).
    client = Client(
        os.environ["TWILIO_ACCOUNT_SID"], token, http_client=TwilioHttpClient(timeout=10)
    )
    sender = SenderProfile(sender_id=os.environ["SMSKIT_SENDER"], consent_scope="default")
    public_url = os.environ.get("SMSKIT_PUBLIC_URL")
    with (
        ConsentLedger(SQLiteStore("consent.db")) as ledger,
        SQLiteMessageHistory("history.db") as history,
        SQLiteOutbox("outbox.db") as outbox,
    ):
        messenger = Messenger(
            TwilioProvider(client),
            CompliancePipeline(
                default_policies(store=ledger.store, history=history), history=history
            ),
            ledger,
            history,
            outbox,
            verifier=TwilioSignatureVerifier(token, public_url=public_url),
            parser=TwilioWebhookParser(),
            senders=[sender],
            # Without it Twilio posts no delivery reports for the answers sent here
            # (docs/messenger.md): /sms/status would never hear of them.
            status_callback=f"{public_url.rstrip('/')}/sms/status" if public_url else None,
        )
        # Settle what a crash left open; rows younger than the in-flight lease (2
        # minutes) may be another process's send and are left to a later run: call
        # it from your scheduler too, beside send_due.
        messenger.reconcile(datetime.now(UTC))
        app = make_app(messenger)
        with make_server("127.0.0.1", 8000, app) as server:
            server.serve_forever()

if __name__ == "__main__":
    main()
