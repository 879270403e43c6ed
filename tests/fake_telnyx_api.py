"""A loopback stand-in for Telnyx's ``POST /v2/messages`` that fails on purpose.

It answers each request from a script (status, JSON or raw body, headers, or hang
past the client's timeout), records every request (path, headers, decoded JSON),
and by default answers with a message record in the shape Telnyx documents.
"""

from __future__ import annotations

import json
import ssl
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

API_KEY = "KEYloopback0123"


@dataclass
class Action:
    """What the fake does with one request."""

    status: int = 200
    body: dict[str, Any] | str | None = None  # None: a message record for the request
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False  # wait until released (past the client's timeout), then drop


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    json: Any


def record(request: Any) -> dict[str, Any]:
    """The message record Telnyx answers a send with (its documented fields)."""
    return {
        "data": {
            "record_type": "message",
            "id": "4031938a-0000-4000-8000-00000000beef",
            "direction": "outbound",
            "from": {"phone_number": request.get("from"), "carrier": "X", "line_type": "VoIP"},
            "to": [{"phone_number": request.get("to"), "status": "queued"}],
            "text": request.get("text"),
            "parts": 2,
            "cost": {"amount": "0.0080", "currency": "USD"},
            "received_at": "2026-03-01T12:00:05.250+00:00",
            "errors": [],
        }
    }


class FakeTelnyxApi:
    """Telnyx's send endpoint on 127.0.0.1 (https with ``tls``), with a script of answers."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.tls = tls
        self.requests: list[Request] = []
        self.script: deque[Action] = deque()
        self.release = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        if tls is not None:  # https, with the certificate the test made
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakeTelnyxApi:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    sent = json.loads(raw)
                except ValueError:
                    sent = None
                fake.requests.append(Request(self.path, dict(self.headers.items()), sent))
                action = fake.script.popleft() if fake.script else Action()
                if action.hang:
                    fake.release.wait(10)
                    self.close_connection = True
                    return
                body = action.body if action.body is not None else record(sent or {})
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(action.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in action.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler
