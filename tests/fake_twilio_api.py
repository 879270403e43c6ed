"""A loopback stand-in for Twilio's Messages API that fails on purpose.

It plays ``POST /2010-04-01/Accounts/{sid}/Messages.json`` (create) and
``GET`` on the same path (list), in the JSON shape twilio-python reads, and
follows a script of what to do with each request: answer, answer with an error,
hang past the client's timeout, or answer with a body that is not JSON, each
after creating the message or not. It counts every request it receives.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ACCOUNT = "AC" + "0" * 32
TOKEN = "loopback-token"
PATH = f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"


@dataclass
class Action:
    """What the fake does with one request."""

    status: int = 201
    body: dict[str, Any] | str | None = None  # None: the message's JSON
    headers: dict[str, str] = field(default_factory=dict)
    create: bool = True  # store the message before answering (POST only)
    hang: bool = False  # wait until released (past the client's timeout) then drop
    create_on_release: bool = False  # with hang: store the message once released (late)


class FakeMessagesApi:
    """Twilio's Messages API on 127.0.0.1, with a script of failures."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self.now = now
        self.messages: list[dict[str, Any]] = []
        self.posts: list[dict[str, str]] = []
        self.post_lists: list[dict[str, list[str]]] = []  # every value of repeated fields
        self.gets: list[dict[str, str]] = []
        self.post_script: deque[Action] = deque()
        self.get_script: deque[Action] = deque()
        self.release = threading.Event()
        self.created = threading.Event()  # set by each late creation (create_on_release)
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def _create(self, form: dict[str, str]) -> dict[str, Any]:
        with self._lock:
            sid = f"SM{len(self.messages) + 1:032x}"
            # Twilio writes its dates in GMT ("+0000"), and the SDK reads every date as
            # UTC whatever offset it holds: a test clock in New York read 4 hours off.
            created = format_datetime(self.now().astimezone(UTC), usegmt=True)
            record = {
                "sid": sid,
                "account_sid": ACCOUNT,
                "to": form.get("To"),
                "from": form.get("From"),
                "messaging_service_sid": form.get("MessagingServiceSid"),
                "body": form.get("Body", ""),
                "status": "accepted" if "MessagingServiceSid" in form else "queued",
                "direction": "outbound-api",
                # Twilio's Message resource: "For messages sent via a Messaging Service,
                # num_segments is initially 0, since a sender hasn't yet been assigned."
                "num_segments": "0" if "MessagingServiceSid" in form else "1",
                "num_media": "0",
                "date_created": created,
                "date_updated": created,
                "date_sent": None,
                "error_code": None,
                "error_message": None,
                "price": None,
                "price_unit": "USD",
                "api_version": "2010-04-01",
                "uri": f"/2010-04-01/Accounts/{ACCOUNT}/Messages/{sid}.json",
            }
            self.messages.append(record)
            return record

    def _list(self, query: dict[str, str]) -> dict[str, Any]:
        with self._lock:
            found = [
                m
                for m in reversed(self.messages)  # newest first, as Twilio lists
                if m["to"] == query.get("To")
                and ("From" not in query or m["from"] == query["From"])
            ]
        return {
            "messages": found,
            "next_page_uri": None,
            "previous_page_uri": None,
            "first_page_uri": PATH,
            "uri": PATH,
            "page": 0,
            "page_size": int(query.get("PageSize", "50")),
            "start": 0,
            "end": len(found),
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def _answer(self, action: Action, default: dict[str, Any] | None) -> None:
                if action.hang:
                    api.release.wait(timeout=5)
                    self.close_connection = True
                    return
                body = action.body if action.body is not None else default
                payload = body if isinstance(body, str) else json.dumps(body)
                data = payload.encode("utf-8")
                self.send_response(action.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in action.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length).decode("utf-8")
                lists = parse_qs(raw)
                form = {k: v[0] for k, v in lists.items()}
                with api._lock:
                    api.posts.append(form)
                    api.post_lists.append(lists)
                    action = api.post_script.popleft() if api.post_script else Action()
                if urlsplit(self.path).path != PATH:
                    self._answer(Action(status=404, body={"code": 20404}), None)
                    return
                record = api._create(form) if action.create else None
                self._answer(action, record)
                if action.hang and action.create_on_release:
                    api._create(form)
                    api.created.set()

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                with api._lock:
                    api.gets.append(query)
                    action = api.get_script.popleft() if api.get_script else Action(status=200)
                self._answer(action, api._list(query))

        return Handler
