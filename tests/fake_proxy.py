"""A tiny HTTP proxy on 127.0.0.1: CONNECT tunnels and absolute-URL requests.

It records each request head it receives (the request line and headers), can answer
from a script instead of forwarding (a 407, a 502, or bytes that are not HTTP), and
maps host names to loopback ports, as a corporate proxy resolves names its clients
cannot. Threads and sockets only.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections import deque
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Head:
    line: str
    headers: dict[str, str]


class FakeProxy:
    def __init__(self, hosts: dict[str, int] | None = None) -> None:
        self.hosts = hosts or {}  # name -> port on 127.0.0.1
        self.heads: list[Head] = []
        self.script: deque[bytes] = deque()  # raw answers, one per request, then forward
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self._closing = threading.Event()

    def start(self) -> FakeProxy:
        self.thread.start()
        return self

    def stop(self) -> None:
        self._closing.set()
        # close() alone does not wake a thread blocked in accept() on Linux.
        socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        self.thread.join(2)
        self.listener.close()

    def _serve(self) -> None:
        while not self._closing.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self._closing.is_set():
                client.close()
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client: socket.socket) -> None:
        with client:
            client.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = client.recv(4096)
                if not chunk:
                    return
                data += chunk
            raw, rest = data.split(b"\r\n\r\n", 1)
            line, *fields = raw.decode("latin-1").split("\r\n")
            headers = dict(f.split(": ", 1) for f in fields)
            self.heads.append(Head(line, headers))
            if self.script:
                client.sendall(self.script.popleft())
                return
            method, target, version = line.split(" ")
            if method == "CONNECT":
                host, _, port = target.rpartition(":")
                upstream = self._open(host, int(port))
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            else:  # absolute form: forward in origin form, without the proxy's header
                url = urlsplit(target)
                upstream = self._open(url.hostname or "", url.port or 80)
                kept = [f"{k}: {v}" for k, v in headers.items() if k != "Proxy-Authorization"]
                head = "\r\n".join([f"{method} {url.path} {version}", *kept])
                upstream.sendall(head.encode("latin-1") + b"\r\n\r\n" + rest)
            with upstream:
                self._relay(client, upstream)

    def _open(self, host: str, port: int) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.hosts.get(host, port)), timeout=5)

    @staticmethod
    def _relay(a: socket.socket, b: socket.socket) -> None:
        def pump(source: socket.socket, sink: socket.socket) -> None:
            try:
                while chunk := source.recv(65536):
                    sink.sendall(chunk)
            except OSError:
                pass
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)

        back = threading.Thread(target=pump, args=(b, a), daemon=True)
        back.start()
        pump(a, b)
        back.join(5)
