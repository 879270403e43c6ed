"""Sending through Telnyx's Messaging API v2 over HTTPS, with the standard library.

``POST {base_url}/v2/messages`` with a JSON body (``from``, ``to``, ``text``,
``messaging_profile_id``, ``media_urls``, ``webhook_url``) and the API key as a
Bearer token (https://developers.telnyx.com/docs/messaging/messages/send-message).
The answer's ``data`` is the message record: ``id``, ``parts``, ``to[].status``,
``received_at`` (https://developers.telnyx.com/docs/messaging/messages/message-detail-records).

Retries follow :class:`~smskit.providers.TwilioProvider`'s rule: resend only what was
certainly not processed.

- HTTP 429 and a connection that was never made (refused, DNS, connect timeout)
  are retried with the same :class:`RetryPolicy` backoff, honouring ``Retry-After``.
- A read timeout, a dropped connection, a 5xx or an unreadable 2xx after the
  request was sent are ambiguous: Telnyx may hold the message. Telnyx has an
  ``Idempotency-Key`` header for endpoints whose reference declares it
  (https://developers.telnyx.com/docs/development/api-fundamentals/idempotency), but
  the send endpoint's reference does not, and this adapter has no lookup by
  recipient, so it raises :class:`~smskit.errors.ProviderAmbiguousError` at once and
  never resends; reconcile from the delivery webhooks or Telnyx's message records.

Behind an egress proxy (``proxy=``, else ``HTTPS_PROXY``/``NO_PROXY`` read once when the
provider is built), an https endpoint is reached through an HTTP ``CONNECT`` tunnel
(RFC 9110, 9.3.6) and a plain-http loopback one with the absolute URL as the request
target (RFC 9112, 3.2.2). A proxy that refuses the tunnel has been sent nothing of the
message: a 4xx (407 credentials, 403 policy) will not change on a retry, a 5xx, 408 or
429 may.
"""

from __future__ import annotations

import base64
import enum
import http.client
import json
import logging
import math
import random as _random
import re
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Final
from urllib.parse import SplitResult, unquote, urlsplit

from ..consent import Clock, SystemClock
from ..errors import (
    ConfigurationError,
    ErrorCategory,
    ProviderAmbiguousError,
    ProviderRejectedError,
    ProviderTransportError,
)
from ..numbers import mask_number
from ..timing.quiet_hours import require_aware
from ._telnyx_codes import TELNYX_CAPABILITIES, telnyx_error_code
from .model import Capabilities, MessageStatus, OutboundMessage, SendReceipt
from .twilio import CANCELLED, RetryPolicy, blocking_sleep, in_worker

__all__ = ["DEFAULT_BASE_URL", "AsyncTelnyxProvider", "TelnyxProvider", "telnyx_status"]

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL: Final = "https://api.telnyx.com"
_NAME: Final = "telnyx"
_PATH: Final = "/v2/messages"
_NUMBERS = re.compile(r"\+?\d[\d ()-]{5,}\d")
_LOOPBACK: Final = frozenset({"127.0.0.1", "::1", "localhost"})
_MAX_BODY: Final = 1 << 20  # an answer larger than this is no message record
_MAX_TIMEOUT: Final = 3600.0
# http.client's words when a proxy answers CONNECT with anything but 200 (the same in
# CPython 3.11 and 3.13, both tested); the status is all that is kept of them.
_TUNNEL_REFUSED = re.compile(r"Tunnel connection failed: (\d{3})\b")
_HAS_SCHEME: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
# A proxy's answers to CONNECT below 500 that a later attempt may not get: it timed
# out waiting for our request line, or is shedding load.
_PASSING: Final = frozenset({408, 429})
_SOCKS: Final = frozenset({"socks", "socks4", "socks4a", "socks5", "socks5h"})


class _Proxy(enum.Enum):
    # The default of ``proxy=``: a member, so that no URL can be mistaken for it.
    FROM_ENVIRONMENT = "from the environment"


@dataclass(frozen=True, slots=True)
class _Route:
    """An HTTP proxy: where it is and, when the URL carried them, its credentials."""

    host: str
    port: int
    authorization: str | None = field(default=None, repr=False)

    @property
    def shown(self) -> str:
        """``http://host:port``, never the credentials."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def headers(self) -> dict[str, str]:
        return {"Proxy-Authorization": self.authorization} if self.authorization else {}


# Telnyx's per-recipient statuses in smskit's vocabulary. The ten values are the
# enum of ``to[].status`` in Telnyx's OpenAPI-generated Python SDK
# (team-telnyx/telnyx-python, src/telnyx/types/message_cancel_scheduled_response.py),
# whose ``valid_until`` says a message still queued then is discarded and marked
# ``sending_failed`` (Telnyx never sent it: FAILED). "expired" never reached the
# handset, as Twilio's "undelivered"; "cancelled" is a scheduled message withdrawn.
# delivery_unconfirmed (no receipt either way) and values added later are UNKNOWN
# with the value kept.
_STATUSES: Final = {
    "scheduled": MessageStatus.SCHEDULED,
    "queued": MessageStatus.QUEUED,
    "sending": MessageStatus.SENDING,
    "sent": MessageStatus.SENT,
    "cancelled": MessageStatus.CANCELED,
    "delivered": MessageStatus.DELIVERED,
    "sending_failed": MessageStatus.FAILED,
    "delivery_failed": MessageStatus.UNDELIVERED,
    "expired": MessageStatus.UNDELIVERED,
    "received": MessageStatus.RECEIVED,
}


def telnyx_status(value: object) -> tuple[MessageStatus, str | None]:
    """``(status, raw_status)`` for a Telnyx status; ``raw_status`` only with ``UNKNOWN``.

    >>> telnyx_status("delivery_failed")
    (<MessageStatus.UNDELIVERED: 'undelivered'>, None)
    >>> telnyx_status("delivery_unconfirmed")
    (<MessageStatus.UNKNOWN: 'unknown'>, 'delivery_unconfirmed')
    """
    reported = str(value or "").strip().lower()[:40] if isinstance(value, str) else ""
    known = _STATUSES.get(reported)
    if known is not None:
        return known, None
    return MessageStatus.UNKNOWN, reported or None


def _masked(text: str) -> str:
    return _NUMBERS.sub(lambda m: mask_number(m.group()), text)


def _config_text(value: object, field: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        kind = "empty" if isinstance(value, str) else type(value).__name__
        raise ConfigurationError(
            f"TelnyxProvider needs {what}; it is {kind} (is the environment variable "
            "that holds it set?)",
            field=field,
        )
    if value != value.strip():
        raise ConfigurationError(
            f"the {what} given to TelnyxProvider has leading or trailing whitespace (a "
            "newline kept from a file or secret store?); strip it",
            field=field,
        )
    return value


def _api_key(value: object) -> str:
    key = _config_text(value, "api_key", "the Telnyx API key")
    # It travels in a header: a control character, space or non-ASCII letter (a quote
    # pasted with it) would make http.client raise at send time, naming the key.
    if not all("!" <= ch <= "~" for ch in key):
        raise ConfigurationError(
            "the Telnyx API key holds a space, a control character or a non-ASCII one "
            "(a quote or line break pasted with it?); copy it again from the portal",
            field="api_key",
        )
    return key


def _resolvable(host: str) -> bool:
    """Whether ``host`` encodes as socket.getaddrinfo encodes it: an empty label
    ("api..telnyx.com") or one past 63 characters fails every connection with the
    idna codec's bare UnicodeError, a traceback at send time."""
    try:
        host.encode("idna")
    except UnicodeError:
        return False
    return True


def _base_url(url: object) -> tuple[str, str, int | None, str]:
    """(scheme, host, port, path prefix) of the base URL; plain HTTP only on loopback."""
    if not isinstance(url, str):
        raise ConfigurationError(
            f"base_url must be a str, not {type(url).__name__}", field="base_url"
        )
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed "[": the same mistake as any other below
        parts = urlsplit("")
    try:
        port = parts.port
    except ValueError:
        port = -1
    host = parts.hostname or ""
    # http.client refuses a path with a space, control or non-ASCII character only
    # once the connection is open, where it would pass for an ambiguous send.
    path_ok = all("!" <= ch <= "~" for ch in parts.path)
    if (
        parts.scheme not in ("http", "https")
        or not host
        or port == -1
        or parts.query
        or parts.fragment
        or parts.username is not None
        or not path_ok
    ):
        # A URL with credentials is not echoed: the error would carry the password.
        shown = "with credentials" if "@" in parts.netloc else repr(url[:60])
        raise ConfigurationError(
            f"base_url {shown} is not an http(s) URL with a host and a plain path "
            f"(no query, fragment, credentials or spaces); leave it out for {DEFAULT_BASE_URL}",
            field="base_url",
        )
    if not _resolvable(host):
        raise ConfigurationError(
            f"base_url {url[:60]!r} has a host name no resolver can look up (an empty "
            "label, a doubled dot, or a label longer than 63 characters)",
            field="base_url",
        )
    if parts.scheme == "http" and host not in _LOOPBACK:
        # The API key travels in every request: never in clear over a network.
        raise ConfigurationError(
            f"base_url {url[:60]!r} is plain http on a host that is not loopback; the "
            "API key would travel unencrypted: use https",
            field="base_url",
        )
    return parts.scheme, host, port, parts.path.rstrip("/")


def _proxy_url(value: object, origin: str) -> _Route:
    """The proxy a URL names (``host:port`` alone means ``http://host:port``)."""
    if not isinstance(value, str):
        raise ConfigurationError(
            f"proxy must be a URL such as 'http://proxy.example:3128' or None, not "
            f"{type(value).__name__}",
            field="proxy",
        )
    # Only a leading scheme counts: "user:pw@host/x://" has none, and its user is no
    # scheme to echo.
    url = value if _HAS_SCHEME.match(value) else f"http://{value}"
    # Never the URL itself in a message: it may carry a password.
    where = f"the proxy {origin}"
    malformed = ConfigurationError(
        f"{where} is not an http://[user:password@]host:port URL (no path, query, "
        "spaces or control characters; percent-encode a user or password holding "
        "@ : / ? or #)",
        field="proxy",
    )
    parts: SplitResult | None = None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # an unclosed "[", a port that is no number or past 65535
        # Raised outside the handler: urllib's words ("... as 'pa'") can hold part
        # of a password with an unencoded "/" and would stay on as __context__.
        parts = None
    if parts is None:
        raise malformed
    scheme = parts.scheme.lower()
    if scheme in _SOCKS:
        raise ConfigurationError(
            f"{where} is a SOCKS proxy; TelnyxProvider supports only HTTP proxies (an "
            "http://host:port URL, tunnelling with CONNECT)",
            field="proxy",
        )
    if scheme != "http":
        extra = ""
        if scheme == "https":
            extra = " (TLS to the proxy itself is not; most proxies take http:// for https sites)"
        raise ConfigurationError(
            f"{where} has the scheme {scheme[:10]!r}; TelnyxProvider supports only "
            f"http://host:port proxies{extra}",
            field="proxy",
        )
    host = parts.hostname or ""
    if (
        not host
        or not _resolvable(host)
        or not all("!" <= ch <= "~" for ch in url)
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise malformed
    authorization = None
    if parts.username is not None:
        pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        authorization = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")
    return _Route(host, 80 if port is None else port, authorization)


def _choose_proxy(proxy: object, scheme: str, host: str, port: int | None) -> _Route | None:
    """The proxy to send through, chosen once: ``proxy=`` wins, else the environment."""
    if proxy is None:
        return None
    if proxy is not _Proxy.FROM_ENVIRONMENT:
        return _proxy_url(proxy, "given as proxy=")
    if host in _LOOPBACK:
        # A proxy elsewhere would reach its own loopback, never this one (Go's
        # net/http skips the environment's proxy for loopback hosts too).
        return None
    # The variables, their lower-case spelling winning, and NO_PROXY's "*", host
    # and domain-suffix entries as urllib and requests read them (macOS and Windows
    # system settings are not read: pass proxy= there).
    proxies = urllib.request.getproxies_environment()
    value = proxies.get(scheme)
    if not value:
        return None
    target = host if port is None or ":" in host else f"{host}:{port}"
    # Not in typeshed's stubs, but in urllib.request since Python 2.
    if urllib.request.proxy_bypass_environment(target, proxies):  # type: ignore[attr-defined]
        return None
    return _proxy_url(value, f"in {scheme.upper()}_PROXY or {scheme}_proxy")


class TelnyxProvider:
    """Telnyx's Messaging API v2 (implements Provider).

    Args:
        api_key: the Telnyx API key (sent as ``Authorization: Bearer``).
        messaging_profile_id: the profile used when a message names none
            (``OutboundMessage.messaging_service`` wins); Telnyx requires one to
            send from a number pool or an alphanumeric sender ID.
        base_url: where the API is (a loopback server in tests); plain ``http``
            only for loopback hosts.
        timeout: seconds to connect, and then to wait for the answer.
        retry: the retry policy (``lookup_*`` fields are unused: no lookup).
        sleep: how to wait (inject a recorder in tests).
        random: a source of numbers in [0, 1) for the jitter.
        clock: the time for receipts without a date and for ``Retry-After`` dates.
        proxy: an HTTP proxy, ``http://[user:password@]host:port`` (credentials
            percent-encoded), or ``None`` for none; left out, ``HTTPS_PROXY`` and
            ``NO_PROXY`` decide, read once here (a loopback base URL ignores them).

    Raises:
        ConfigurationError: the API key or profile id is empty, not text or padded
            with whitespace; the base URL is not http(s), or plain http off loopback;
            the timeout is not a positive number; the proxy URL is malformed, not
            ``http`` (SOCKS is not supported), or off loopback for an http base URL;
            ``sleep`` is a coroutine function (``asyncio.sleep``), which is never awaited.
    """

    def __init__(
        self,
        api_key: str,
        *,
        messaging_profile_id: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = _random.random,
        clock: Clock | None = None,
        proxy: str | _Proxy | None = _Proxy.FROM_ENVIRONMENT,
    ) -> None:
        self._api_key = _api_key(api_key)
        self._profile = None
        if messaging_profile_id is not None:
            self._profile = _config_text(
                messaging_profile_id, "messaging_profile_id", "a messaging profile id"
            )
        self._scheme, self._host, self._port, self._prefix = _base_url(base_url)
        if (
            isinstance(timeout, bool)
            or not isinstance(timeout, int | float)
            or not math.isfinite(timeout)
            or not 0 < timeout <= _MAX_TIMEOUT
        ):
            # No timeout would let a stalled connection hang send() and hold the outbox;
            # one past an hour is milliseconds given as seconds, or overflows the socket.
            raise ConfigurationError(
                f"timeout must be a positive number of seconds, at most {_MAX_TIMEOUT:.0f} "
                f"(milliseconds given as seconds?); got {timeout!r:.40}",
                field="timeout",
            )
        self._timeout = float(timeout)
        self._retry = retry or RetryPolicy()
        self._sleep = blocking_sleep(sleep)
        self._random = random
        self._clock = clock or SystemClock()
        self._proxy = _choose_proxy(proxy, self._scheme, self._host, self._port)
        if self._proxy is not None and not self._host.isascii():
            # CPython 3.11 writes the CONNECT line in ASCII and would fail at send time.
            raise ConfigurationError(
                "base_url's host has non-ASCII letters; through a proxy, write it in its "
                "ASCII (xn--) form",
                field="base_url",
            )
        if self._proxy is not None and self._scheme == "http" and self._proxy.host not in _LOOPBACK:
            raise ConfigurationError(
                f"base_url is plain http and the proxy {self._proxy.shown} is not on "
                "loopback; the API key would cross the network unencrypted: use a "
                "loopback proxy, proxy=None, or https",
                field="proxy",
            )

    def __repr__(self) -> str:
        # Never the key, nor the proxy's credentials.
        where = f"{self._scheme}://{self._host}"
        return (
            f"TelnyxProvider(base_url={where!r}, profile={self._profile!r}, proxy={self.proxy!r})"
        )

    @property
    def proxy(self) -> str | None:
        """The proxy sends go through (``http://host:port``, no credentials), or ``None``."""
        return None if self._proxy is None else self._proxy.shown

    @property
    def name(self) -> str:
        """``"telnyx"``."""
        return _NAME

    @property
    def capabilities(self) -> Capabilities:
        """Telnyx's limits (see :data:`TELNYX_CAPABILITIES` for which are assumed)."""
        return TELNYX_CAPABILITIES

    def send(self, message: OutboundMessage) -> SendReceipt:
        """Create the message, retrying only what was certainly not processed.

        Raises:
            ProviderRejectedError: Telnyx refused it (``category`` from its code).
            ProviderTransportError: Telnyx could not be reached; nothing was sent.
            ProviderAmbiguousError: Telnyx may hold it; do not resend.
            ConfigurationError: the message asks for what this adapter cannot send
                (``validity_period``).
        """
        return self._send(message, CANCELLED.get())

    def _wait(self, seconds: float, stop: threading.Event | None) -> bool:
        """Wait before a retry; False when the async caller has gone meanwhile (as
        TwilioProvider's: no new request for a cancelled :class:`AsyncTelnyxProvider`)."""
        if stop is not None and self._sleep is time.sleep:
            return not stop.wait(seconds)
        self._sleep(seconds)
        return stop is None or not stop.is_set()

    def _send(self, message: OutboundMessage, stop: threading.Event | None) -> SendReceipt:
        since = self._clock.now()
        require_aware(since, "clock.now()")
        payload = json.dumps(self._payload(message)).encode("utf-8")
        for attempt in range(1, self._retry.attempts + 1):
            last = attempt == self._retry.attempts
            try:
                connection = self._connect()
            # Refused, DNS, connect timeout, a tunnel not opened (an HTTPException when
            # the proxy's answer is not HTTP): the message never left.
            except (OSError, http.client.HTTPException) as exc:
                refused = _TUNNEL_REFUSED.match(str(exc)) if self._proxy else None
                code = int(refused.group(1)) if refused else 0
                if code and code < 500 and code not in _PASSING:
                    raise self._tunnel_refused(code) from None
                if last:
                    via = f" through the proxy {self.proxy}" if self._proxy else ""
                    what = f"HTTP {refused.group(1)} to CONNECT" if refused else type(exc).__name__
                    raise ProviderTransportError(
                        f"could not connect to Telnyx{via} after {attempt} attempts "
                        f"({what}); nothing was sent, safe to retry later",
                        provider=_NAME,
                    ) from None
                if not self._wait(self._retry.delay(attempt, self._random()), stop):
                    raise _cancelled() from None
                continue
            try:
                status, headers, body = self._exchange(connection, payload)
            except (OSError, http.client.HTTPException) as exc:
                raise self._ambiguous(message, since, f"no answer ({type(exc).__name__})") from None
            finally:
                connection.close()
            if status == 407 and self._proxy is not None and self._scheme == "http":
                # Only a proxy answers 407: it kept the request from Telnyx.
                raise self._tunnel_refused(status)
            if 200 <= status < 300:
                receipt = self._receipt(body, message)
                if receipt is None:
                    raise self._ambiguous(message, since, f"an unreadable HTTP {status} answer")
                return receipt
            if status == 429 and not last:
                wait = self._retry_after(headers)
                if not self._wait(self._retry.delay(attempt, self._random(), wait), stop):
                    raise _cancelled()
                continue
            if status >= 500:
                raise self._ambiguous(message, since, f"HTTP {status}")
            raise self._rejected(status, headers, body)
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    def _payload(self, message: OutboundMessage) -> dict[str, Any]:
        if message.validity_period is not None:
            # Telnyx's send schema has no such field; dropping it silently would keep
            # a message queued longer than the caller allowed.
            raise ConfigurationError(
                "TelnyxProvider cannot send validity_period (Telnyx's send endpoint has "
                "no such field); leave it out, or set the validity on the messaging profile",
                field="validity_period",
            )
        payload: dict[str, Any] = {"to": message.to}
        if message.sender:
            payload["from"] = message.sender
        profile = message.messaging_service or self._profile
        if profile:
            payload["messaging_profile_id"] = profile
        if message.body:
            payload["text"] = message.body
        if message.media_urls:
            payload["media_urls"] = list(message.media_urls)
        if message.status_callback:
            payload["webhook_url"] = message.status_callback
        return payload

    def _connect(self) -> http.client.HTTPConnection:
        cls = http.client.HTTPSConnection if self._scheme == "https" else http.client.HTTPConnection
        if self._proxy is None:
            connection = cls(self._host, self._port, timeout=self._timeout)
        else:
            connection = cls(self._proxy.host, self._proxy.port, timeout=self._timeout)
            if self._scheme == "https":
                # TLS with Telnyx inside the tunnel: the proxy sees only the host name.
                connection.set_tunnel(self._host, self._port, headers=self._proxy.headers())
        try:
            connection.connect()
        except BaseException:
            connection.close()
            raise
        return connection

    def _exchange(
        self, connection: http.client.HTTPConnection, payload: bytes
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        target = self._prefix + _PATH
        headers = {
            "Authorization": f"Bearer {self._api_key}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        if self._proxy is not None and self._scheme == "http":
            # Through a proxy, plain http names the whole URL and carries the credentials.
            host = f"[{self._host}]" if ":" in self._host else self._host
            netloc = host if self._port is None else f"{host}:{self._port}"
            target = f"http://{netloc}{target}"
            headers.update(self._proxy.headers())
        connection.request("POST", target, body=payload, headers=headers)
        response = connection.getresponse()
        return response.status, response.msg, response.read(_MAX_BODY)

    def _tunnel_refused(self, status: int) -> ProviderTransportError:
        if status == 407:
            cause = (
                "it did not accept the user and password in the proxy URL"
                if self._proxy and self._proxy.authorization
                else "it wants a user and password: http://user:password@host:port, percent-encoded"
            )
        elif status == 403:
            cause = f"its policy does not let {self._host} through: ask for it to be allowed"
        else:
            cause = "a retry will not change that: check the proxy URL"
        return ProviderTransportError(
            f"the proxy {self.proxy} refused to take the request to {self._host} (HTTP "
            f"{status}); {cause}; nothing was sent",
            provider=_NAME,
            retryable=False,
        )

    def _ambiguous(
        self, message: OutboundMessage, since: datetime, what: str
    ) -> ProviderAmbiguousError:
        return ProviderAmbiguousError(
            f"Telnyx may have taken the message to {mask_number(message.to)} ({what} after "
            "the request was sent); its send endpoint declares no idempotency key, so do "
            "not resend: reconcile from its delivery webhooks or message records",
            provider=_NAME,
            idempotency_key=message.idempotency_key,
            since=since,
        )

    def _retry_after(self, headers: http.client.HTTPMessage) -> float | None:
        value = str(headers.get("Retry-After") or "").strip()
        if not value:
            return None
        if value.isascii() and value.isdigit():  # "²" is a digit to isdigit alone
            return float(value)  # a huge one is capped by RetryPolicy.max_delay
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, OverflowError):
            return None
        if when.tzinfo is None:
            return None
        return max((when - self._clock.now()).total_seconds(), 0.0)

    def _rejected(
        self, status: int, headers: http.client.HTTPMessage, body: bytes
    ) -> ProviderRejectedError:
        error = _first_error(body)
        code = error.get("code")
        info = telnyx_error_code(code if isinstance(code, str | int) else None)
        category = info.category
        if not info.code and status in (401, 403):
            category = ErrorCategory.ACCOUNT
        if not info.code and status == 429:
            category = ErrorCategory.RATE_LIMITED
        pieces = [p for p in (error.get("title"), error.get("detail")) if isinstance(p, str) and p]
        detail = _masked("; ".join(pieces))[:300] if pieces else None
        shown = f"code {info.code}: {info.title}" if info.code else "no code"
        if info.source:
            shown += f"; see {info.source}"
        if not info.code and (300 <= status < 400 or status == 404):
            # Not Telnyx refusing the message: base_url names no Messages API (a
            # redirect is not followed, as it would resend the key and the body).
            shown += f"; is base_url right? it should serve POST {_PATH}"
        wait = self._retry_after(headers) if status == 429 else None
        return ProviderRejectedError(
            f"Telnyx refused the message (HTTP {status}, {shown}): {category.value}",
            provider=_NAME,
            status=status,
            provider_code=info.code or None,
            detail=detail,
            category=category,
            retryable=True if status == 429 else None,
            retry_after=None if wait is None else timedelta(seconds=min(wait, 86400.0)),
        )

    def _receipt(self, body: bytes, message: OutboundMessage) -> SendReceipt | None:
        data = _json_object(body).get("data")
        if not isinstance(data, Mapping):
            return None
        message_id = data.get("id")
        if not isinstance(message_id, str) or not message_id.strip():
            return None
        recipients = data.get("to")
        first = recipients[0] if isinstance(recipients, list) and recipients else None
        reported = first.get("status") if isinstance(first, Mapping) else None
        status, raw_status = telnyx_status(reported)
        parts = data.get("parts")
        accepted = _timestamp(data.get("received_at")) or _timestamp(data.get("created_at"))
        return SendReceipt(
            provider=_NAME,
            message_id=message_id,
            status=status,
            to=message.to,
            accepted_at=accepted or self._clock.now(),
            segments=parts if type(parts) is int and parts > 0 else None,
            idempotency_key=message.idempotency_key,
            raw_status=raw_status,
        )


def _cancelled() -> ProviderTransportError:
    # Raised only in a worker thread whose async caller cancelled; asyncio drops it.
    return ProviderTransportError(
        "the async send was cancelled during the wait before a retry; nothing was sent",
        provider=_NAME,
    )


def _json_object(body: bytes | str) -> Mapping[str, Any]:
    """The JSON object in ``body``, or ``{}`` for anything else (not JSON, not an object)."""
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return {}
    return value if isinstance(value, dict) else {}


def _first_error(body: bytes) -> Mapping[str, Any]:
    errors = _json_object(body).get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return errors[0]
    return {}


def _timestamp(value: object) -> datetime | None:
    """An ISO 8601 time with a zone, or ``None``."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


class AsyncTelnyxProvider:
    """The asyncio twin of :class:`TelnyxProvider` (implements AsyncProvider).

    Each send runs the synchronous provider in a worker thread, as
    :class:`AsyncTwilioProvider` does: one retry path for both twins.
    """

    def __init__(self, provider: TelnyxProvider) -> None:
        if not isinstance(provider, TelnyxProvider):
            # The API key given as to the sync twin was accepted, and an AttributeError
            # at the first send; the value itself is not echoed (it may be the key).
            raise ConfigurationError(
                f"AsyncTelnyxProvider wraps a TelnyxProvider, not a "
                f"{type(provider).__name__}: write AsyncTelnyxProvider(TelnyxProvider(api_key, "
                "...))",
                field="provider",
            )
        self.provider = provider

    @property
    def name(self) -> str:
        """``"telnyx"``."""
        return self.provider.name

    @property
    def capabilities(self) -> Capabilities:
        """As :attr:`TelnyxProvider.capabilities`."""
        return self.provider.capabilities

    async def send(self, message: OutboundMessage) -> SendReceipt:
        """As :meth:`TelnyxProvider.send`, without blocking the event loop.

        Cancelled, it raises ``CancelledError`` at once; a request already on the wire
        cannot be recalled (treat the message as ambiguous), but the worker thread
        starts no retry after that. A message Telnyx took after the cancel is logged
        (WARNING, with its id), as nobody awaits its receipt.
        """
        return await in_worker(self.provider.send, message, _NAME, logger)
