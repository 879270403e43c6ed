"""Sending through Twilio's Messages API with the official SDK (extra ``twilio``).

You pass a configured ``twilio.rest.Client``, so subaccounts, regions, edges,
timeouts and proxies work as you already set them up.

Retries follow one rule: resend only what was certainly not processed.

- HTTP 429 (Twilio: "never processed and always safe to retry",
  https://www.twilio.com/docs/api/errors/20429) and a connection that was never
  made (refused, DNS, connect timeout) are retried with exponential backoff and
  jitter, honouring ``Retry-After`` when the response has one.
- A read timeout, a dropped connection, a 5xx or an unreadable 2xx after the
  request was sent are ambiguous: Twilio may have created the message. The
  provider then waits the backoff (the request may still be in flight), looks
  the message up (:meth:`TwilioProvider.lookup`) and returns
  what it finds; it sends again only when the lookup says the message is not
  there, and if the lookup fails too it raises
  :class:`~smskit.errors.ProviderAmbiguousError` so your outbox can reconcile later.

Twilio's REST API documents no idempotency key for creating messages, which is
why the lookup is needed at all.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import logging
import math
import random as _random
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from ..consent import Clock, SystemClock
from ..errors import (
    ConfigurationError,
    MissingExtraError,
    ProviderAmbiguousError,
    ProviderRejectedError,
    ProviderTransportError,
    install_hint,
)
from ..numbers import mask_number
from ..timing.quiet_hours import require_aware
from ._twilio_codes import TWILIO_CAPABILITIES, twilio_error_code
from .model import Capabilities, ErrorCategory, MessageStatus, OutboundMessage, SendReceipt

if TYPE_CHECKING:
    from twilio.rest import Client

__all__ = ["AsyncTwilioProvider", "RetryPolicy", "TwilioProvider"]

logger = logging.getLogger(__name__)
_NAME = "twilio"
_NUMBERS = re.compile(r"\+?\d[\d ()-]{5,}\d")
#: The longest validity_period Twilio accepts, in seconds (errors 21624 and 90007).
_MAX_VALIDITY = 36000
# http.client's words when a proxy answers CONNECT with anything but 200 (TelnyxProvider
# reads the same); urllib3 wraps them in its ProxyError.
_TUNNEL_REFUSED = re.compile(r"Tunnel connection failed: (\d{3})\b")
# A proxy's answers to CONNECT below 500 that a later attempt may not get.
_PASSING = frozenset({408, 429})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently to retry what was certainly not processed.

    Attributes:
        attempts: create requests at most, the first included.
        base_delay: seconds before the first retry; doubles each time.
        max_delay: the longest wait, jitter and ``Retry-After`` included.
        jitter: the fraction (±) by which each wait is randomly spread.
        lookup_skew: how far before the first attempt a found message may have
            been created (clocks differ).
        lookup_limit: how many of the recipient's newest messages to search.
    """

    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 30.0
    jitter: float = 0.1
    lookup_skew: timedelta = timedelta(minutes=2)
    lookup_limit: int = 50

    def __post_init__(self) -> None:
        # Checked here, not where used: lookup_skew and lookup_limit are read
        # only while recovering from an ambiguous failure, too late to fail.
        for name in ("attempts", "lookup_limit"):
            value = getattr(self, name)
            if type(value) is not int or value < 1:
                raise ConfigurationError(
                    f"RetryPolicy.{name} must be a whole number, at least 1; got {value!r:.40}",
                    field=name,
                )
        if not isinstance(self.lookup_skew, timedelta) or self.lookup_skew < timedelta(0):
            raise ConfigurationError(
                "RetryPolicy.lookup_skew must be a timedelta of 0 or more (a negative one "
                "would miss the message a timed-out request created, and send it again)",
                field="lookup_skew",
            )
        for name in ("base_delay", "max_delay", "jitter"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ConfigurationError(
                    f"RetryPolicy.{name} must be a number, not {type(value).__name__}",
                    field=name,
                )
        delays = (self.base_delay, self.max_delay)
        if not all(math.isfinite(d) and d >= 0 for d in delays) or not 0 <= self.jitter < 1:
            raise ConfigurationError(
                "RetryPolicy delays must be finite numbers >= 0 (the total wait is bounded "
                "by attempts x max_delay) and jitter in [0, 1)",
                field="max_delay",
            )

    def delay(self, retry: int, uniform: float, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (1-based).

        Args:
            retry: which retry this is.
            uniform: a random number in [0, 1) spreading the wait by ±``jitter``.
            retry_after: the server's ``Retry-After`` in seconds, if it sent one;
                it replaces the backoff (capped at ``max_delay``).
        """
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_delay)
        # The exponent is capped: 2.0 ** 1024 overflows, and 2 ** 64 is past any cap.
        backoff = min(self.base_delay * 2.0 ** min(retry - 1, 64), self.max_delay)
        return min(backoff * (1 + self.jitter * (2 * uniform - 1)), self.max_delay)


#: The stop signal of the async send running in this worker thread, if any: set when
#: its await is cancelled, so the sync provider's ``send`` starts no new request. A
#: context variable, not an argument, so the twins call the public ``send`` (a
#: subclass's override included).
CANCELLED: contextvars.ContextVar[threading.Event | None] = contextvars.ContextVar(
    "smskit_async_send_cancelled", default=None
)


def blocking_sleep(sleep: Callable[[float], None]) -> Callable[[float], None]:
    """``sleep`` if it waits when called; a coroutine function (``asyncio.sleep``) is
    refused: the provider calls it in a worker thread and never awaits it, so it would
    not wait at all (retries at once, a lookup before a late message can show)."""
    # An object with ``async def __call__`` (a rate limiter's wait) is no coroutine
    # function itself; its bound __call__ is. A plain function's __call__ is a wrapper.
    call = getattr(sleep, "__call__", None)  # noqa: B004 - the method itself is tested
    if inspect.iscoroutinefunction(sleep) or inspect.iscoroutinefunction(call):
        raise ConfigurationError(
            "sleep must wait when called, like time.sleep; a coroutine function such as "
            "asyncio.sleep is never awaited there (the async twins run the provider in a "
            "worker thread, where blocking waits do not block the event loop)",
            field="sleep",
        )
    return sleep


def _sdk() -> Any:
    try:
        from twilio.base import exceptions
    except ImportError as exc:
        raise MissingExtraError(
            f"TwilioProvider needs the Twilio SDK: {install_hint('twilio')}", extra="twilio"
        ) from exc
    return exceptions


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and every exception it wraps (causes, contexts, args, reasons)."""
    todo, seen = [exc], set()
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        wrapped.extend(a for a in getattr(current, "args", ()) if isinstance(a, BaseException))
        todo.extend(w for w in wrapped if isinstance(w, BaseException))


def _never_connected(exc: BaseException) -> bool:
    """True when the request certainly never reached the server."""
    try:
        from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
    except ImportError:  # pragma: no cover - urllib3 comes with the SDK
        connect_errors: tuple[type[BaseException], ...] = (ConnectionRefusedError,)
    else:
        connect_errors = (ConnectionRefusedError, NewConnectionError, ConnectTimeoutError)
    return any(isinstance(e, connect_errors) for e in _chain(exc))


def _tunnel_refused(exc: BaseException) -> int | None:
    """The status a proxy answered CONNECT with, when that is what failed: the POST
    would have gone inside the tunnel, so nothing of the message was sent."""
    for wrapped in _chain(exc):
        found = _TUNNEL_REFUSED.match(str(wrapped)) if type(wrapped) is OSError else None
        if found:
            return int(found.group(1))
    return None


def _proxy_refused(status: int) -> ProviderTransportError:
    if status == 407:
        cause = "it wants a user and password, or refused those in the proxy URL"
    elif status == 403:
        cause = "its policy does not let Twilio's API host through: ask for it to be allowed"
    else:
        cause = "a retry will not change that: check the proxy settings"
    return ProviderTransportError(
        f"the HTTP proxy (HTTPS_PROXY or the client's proxies) refused to open a tunnel "
        f"to Twilio (HTTP {status} to CONNECT); {cause}; nothing was sent",
        provider=_NAME,
        retryable=False,
    )


def _refused_before_sending(exc: BaseException) -> bool:
    """True for requests' errors raised while building the request, before any byte
    was sent (they are ValueErrors too, like an unreadable answer, which is not).
    Not InvalidHeader: urllib3 raises it for a malformed header in the answer too
    (two Content-Lengths), after the request left. These three come only from the
    URL, the proxy and the adapter, and the SDK follows no redirect. Also urllib3's
    LocationValueError, which requests lets through bare: a host name with an empty
    label or one past 63 characters (the API's or the proxy's), refused before a
    socket is opened; urllib3 follows no redirect for requests, so it has no other
    source once the request has left."""
    try:
        from requests.exceptions import InvalidSchema, InvalidURL, MissingSchema
        from urllib3.exceptions import LocationValueError
    except ImportError:  # pragma: no cover - requests comes with the SDK
        return False
    return isinstance(exc, InvalidSchema | InvalidURL | MissingSchema | LocationValueError)


def _masked(text: str | None) -> str | None:
    return _NUMBERS.sub(lambda m: mask_number(m.group()), text) if text else text


class TwilioProvider:
    """Twilio's Messages API (implements Provider and MessageLookup).

    Args:
        client: a configured ``twilio.rest.Client``.
        retry: the retry policy.
        sleep: how to wait (inject a recorder in tests).
        random: a source of numbers in [0, 1) for the jitter.
        clock: the time used for receipts without a date and for lookup windows.

    Raises:
        MissingExtraError: the ``twilio`` extra is not installed.
        ConfigurationError: ``client`` was built on the SDK's async HTTP client
            (``AsyncTwilioHttpClient``), or ``sleep`` is a coroutine function.
    """

    def __init__(
        self,
        client: Client,
        *,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = _random.random,
        clock: Clock | None = None,
    ) -> None:
        self._errors = _sdk()
        http = getattr(client, "http_client", None)
        if getattr(http, "is_async", False) is True:
            # Its requests are coroutines the synchronous SDK calls never await: nothing
            # is sent, and reading a coroutine as the answer passes for an ambiguous send.
            raise ConfigurationError(
                f"this Twilio Client was built on an async HTTP client "
                f"({type(http).__name__}), whose requests TwilioProvider cannot await; build "
                "it with the default TwilioHttpClient (timeout=10 or so), and from asyncio "
                "code send with AsyncTwilioProvider(TwilioProvider(client)), which runs it "
                "in a worker thread",
                field="client",
            )
        self._client = client
        self._retry = retry or RetryPolicy()
        self._sleep = blocking_sleep(sleep)
        self._random = random
        self._clock = clock or SystemClock()
        # The SDK's own HTTP client waits forever by default: a stalled connection would
        # hang send() and hold the outbox reservation. Said once, when built.
        http = getattr(client, "http_client", None)
        if http is not None and getattr(http, "timeout", 0) is None:
            logger.warning(
                "the Twilio client's HTTP client has no timeout, so a stalled connection "
                "hangs send(): build it with TwilioHttpClient(timeout=10) or similar"
            )

    @property
    def name(self) -> str:
        """``"twilio"``."""
        return _NAME

    @property
    def capabilities(self) -> Capabilities:
        """Twilio's documented limits."""
        return TWILIO_CAPABILITIES

    def _rest_errors(self) -> tuple[type[BaseException], ...]:
        found = [self._errors.TwilioRestException]
        service = getattr(self._errors, "TwilioServiceException", None)  # SDK >= 9.9
        if service is not None:
            found.append(service)
        return tuple(found)

    def send(self, message: OutboundMessage) -> SendReceipt:
        """Create the message, retrying only what was certainly not processed."""
        return self._send(message, CANCELLED.get())

    def _wait(self, seconds: float, stop: threading.Event | None) -> bool:
        """Wait before a retry or lookup; False when the async caller has gone meanwhile.

        ``stop`` is set by :class:`AsyncTwilioProvider` when its await is cancelled:
        this thread then starts no new request (a resend nobody awaits would text the
        person again once the caller resends). The default wait ends at the cancel.
        """
        if stop is not None and self._sleep is time.sleep:
            return not stop.wait(seconds)
        self._sleep(seconds)
        return stop is None or not stop.is_set()

    def _send(self, message: OutboundMessage, stop: threading.Event | None) -> SendReceipt:
        since = self._clock.now()
        # Checked before the POST: found only by the lookup after a 5xx, a naive clock
        # would raise once Twilio may already hold the message.
        require_aware(since, "clock.now()")
        period = message.validity_period
        if period is not None and period > _MAX_VALIDITY:
            # Twilio refuses it (21624) with a code smskit's table does not know, after
            # the message was reserved and handed over.
            raise ConfigurationError(
                f"validity_period {period} s is past Twilio's maximum of {_MAX_VALIDITY} s "
                "(10 hours, https://www.twilio.com/docs/api/errors/21624); give at most "
                "that, or leave it out (Twilio's default is the maximum)",
                field="validity_period",
            )
        rest_errors = self._rest_errors()
        # Outside the try: a client without messages is a mistake to raise as it is,
        # not an answer to look up (an AttributeError below is the SDK's, reading one).
        messages = self._messages()
        for attempt in range(1, self._retry.attempts + 1):
            last = attempt == self._retry.attempts
            try:
                instance = messages.create(**_create_args(message))
                if not instance.sid:  # a 2xx naming no message is unreadable too
                    raise ValueError("Twilio answered without a message sid")
                return self._receipt(instance, message, recovered=False)
            except rest_errors as exc:
                status = int(getattr(exc, "status", 0) or 0)
                if status == 429:
                    if last:
                        raise self._rejected(exc, status) from None
                    wait = self._retry.delay(attempt, self._random(), self._retry_after())
                    if not self._wait(wait, stop):
                        raise _cancelled(message, since, sent=False) from None
                    continue
                if status < 500:
                    raise self._rejected(exc, status) from None
                ambiguous: BaseException = exc
            except AttributeError as exc:
                # The SDK reads the answer with payload.get(): a 2xx whose JSON is null,
                # a list or a string (a gateway answering in Twilio's place).
                ambiguous = exc
            except ValueError as exc:  # a 2xx whose body is not the JSON expected
                if _refused_before_sending(exc):
                    # requests' own ValueErrors: the request was never built, so
                    # nothing left and the same client will refuse it again.
                    raise ProviderTransportError(
                        f"the HTTP client refused to send the request to Twilio "
                        f"({type(exc).__name__}: a malformed proxy URL in HTTPS_PROXY or "
                        "HTTP_PROXY, a SOCKS proxy without PySocks installed, or a URL or host "
                        "name it cannot parse, such as one with an empty label or a label "
                        "past 63 characters); nothing was sent: fix the proxy or URL settings",
                        provider=_NAME,
                        retryable=False,
                    ) from None  # its text may quote the proxy URL, credentials and all
                ambiguous = exc
            except OSError as exc:  # the transport: requests' errors and sockets are OSErrors
                tunnel = _tunnel_refused(exc)
                if tunnel is not None and tunnel < 500 and tunnel not in _PASSING:
                    raise _proxy_refused(tunnel) from None  # its text names the proxy URL
                if tunnel is not None or _never_connected(exc):
                    if last:
                        raise ProviderTransportError(
                            f"could not connect to Twilio after {attempt} attempts; "
                            "nothing was sent, safe to retry later",
                            provider=_NAME,
                        ) from exc
                    if not self._wait(self._retry.delay(attempt, self._random()), stop):
                        raise _cancelled(message, since, sent=False) from None
                    continue
                ambiguous = exc
            # Wait before looking: a request that timed out may still be in
            # Twilio's hands and create the message a moment later; looking at
            # once would miss it and the resend would text the person twice.
            if not self._wait(self._retry.delay(attempt, self._random()), stop):
                raise _cancelled(message, since, sent=True) from None
            found = self._reconcile(message, since, ambiguous)
            if found is not None:
                return found
            if stop is not None and stop.is_set():  # cancelled during the lookup
                raise _cancelled(message, since, sent=True) from None
            if last:
                raise ProviderTransportError(
                    f"Twilio failed {attempt} times and a lookup found no message "
                    f"to {mask_number(message.to)}; it was not sent",
                    provider=_NAME,
                ) from ambiguous
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    def _reconcile(
        self, message: OutboundMessage, since: datetime, cause: BaseException
    ) -> SendReceipt | None:
        try:
            return self.lookup(message, since)
        except ProviderTransportError as lookup_error:
            raise ProviderAmbiguousError(
                f"Twilio may have taken the message to {mask_number(message.to)} "
                f"({type(cause).__name__}), and looking it up failed too; do not resend: "
                f"reconcile with TwilioProvider.lookup(message, since) later",
                provider=_NAME,
                idempotency_key=message.idempotency_key,
                since=since,
            ) from lookup_error

    def lookup(
        self, message: OutboundMessage, since: datetime, until: datetime | None = None
    ) -> SendReceipt | None:
        """Twilio's record of ``message`` if one was created since ``since``.

        Lists the recipient's newest messages from the sender (``To``/``From``
        filters; not ``DateSent``, which a queued message does not have yet) and
        matches the body, the messaging service and the creation time within
        ``[since - lookup_skew, until + lookup_skew]``.

        Only one match created at or after ``since`` (to the second) is claimed.
        Several matches, or a match only in the skew allowance before ``since``
        (an earlier identical message, or this one with the clocks apart), cannot
        be told apart without an idempotency key, which Twilio's Messages API
        lacks: that is reported, never guessed.

        Raises:
            ProviderTransportError: Twilio could not be asked; the answer is unknown.
            ProviderAmbiguousError: more than one message could be this one.
        """
        require_aware(since, "since")
        if until is not None:
            require_aware(until, "until")
        skew = self._retry.lookup_skew
        filters: dict[str, Any] = {"to": message.to, "limit": self._retry.lookup_limit}
        if message.sender:
            filters["from_"] = message.sender
        # A failed page comes back as the SDK's base TwilioException, not its REST error;
        # a page whose JSON is not the object expected (null, a list, "messages": null)
        # as the TypeError or AttributeError of the SDK's reading it.
        unanswered = (
            OSError, ValueError, TypeError, AttributeError, KeyError,
            self._errors.TwilioException, *self._rest_errors(),
        )  # fmt: skip
        messages = self._messages()  # a client without messages is raised as it is
        try:
            records = messages.list(**filters)
        except unanswered as exc:
            raise ProviderTransportError(
                f"could not list Twilio messages to look one up ({type(exc).__name__})",
                provider=_NAME,
            ) from None  # its text has the lookup URL, with both numbers in full
        # Twilio dates have whole seconds: a message created in the second the
        # send began is "after" it. Before that, within the skew, a match is
        # either this message (clocks differ) or an earlier identical one.
        # The window in UTC: since - skew in since's own zone is wall-clock arithmetic,
        # an hour off beside a clock change (after the clocks go forward, past since).
        start = since.astimezone(UTC).replace(microsecond=0)
        first = since.astimezone(UTC) - skew
        last = None if until is None else until.astimezone(UTC) + skew
        after: list[Any] = []
        before: list[Any] = []
        for record in records:
            created = record.date_created
            if created is None or created < first:
                continue
            if last is not None and created > last:
                continue
            if (record.body or "") != message.body or not str(record.direction).startswith("out"):
                continue
            service = message.messaging_service
            if service is not None and record.messaging_service_sid != service:
                continue
            (after if created >= start else before).append(record)
        if len(after) == 1:
            return self._receipt(after[0], message, recovered=True)
        if after or before:
            raise ProviderAmbiguousError(
                f"{len(after) + len(before)} messages to {mask_number(message.to)} with the "
                f"same body were created around {since.isoformat()} (sids "
                f"{', '.join(str(r.sid) for r in after + before)}); smskit cannot tell which, "
                "if any, is this one: check them in the Twilio console before resending",
                provider=_NAME,
                idempotency_key=message.idempotency_key,
                since=since,
            )
        return None

    def _messages(self) -> Any:
        return self._client.messages

    def _retry_after(self) -> float | None:
        # The SDK raises without the response headers; its HTTP client keeps the
        # last response (named _test_only_last_response since 9.x, last_response
        # before). Read only as a hint: with a shared client it may be another
        # thread's response, and the wait is capped by max_delay anyway.
        http = getattr(self._client, "http_client", None)
        response = getattr(http, "_test_only_last_response", None) or getattr(
            http, "last_response", None
        )
        headers = getattr(response, "headers", None)
        value = headers.get("Retry-After") if headers is not None else None
        if not value:
            return None
        value = str(value).strip()
        if value.isascii() and value.isdigit():  # "²" is a digit to isdigit alone
            return float(value)
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, OverflowError):  # a zone offset past a C int overflows
            return None
        if when.tzinfo is None:
            return None
        return max((when - self._clock.now()).total_seconds(), 0.0)

    def _rejected(self, exc: BaseException, status: int) -> ProviderRejectedError:
        # Raised "from None": the SDK's exception text quotes Twilio's message,
        # which names the number in full; the masked detail and the code are kept.
        code = getattr(exc, "code", None)
        if code is not None and str(code).strip() == str(status):
            # The SDK's stand-in when the body names no code (not JSON: a proxy's or
            # load balancer's page): the HTTP status, which is no Twilio code.
            code = None
        if code is None and status == 429:
            code = 20429
        info = twilio_error_code(code)
        category = info.category
        if code is None and status in (401, 403):
            category = ErrorCategory.ACCOUNT
        detail = getattr(exc, "msg", None) or getattr(exc, "detail", None)
        shown = f"code {info.code}: {info.title}; see {info.source}" if info.code else "no code"
        wait = self._retry_after() if status == 429 else None
        return ProviderRejectedError(
            f"Twilio refused the message (HTTP {status}, {shown}): {category.value}",
            provider=_NAME,
            status=status,
            provider_code=info.code or None,
            detail=_masked(str(detail)) if detail else None,
            category=category,
            retryable=True if status == 429 else None,
            # A day at most: a huge header would overflow timedelta.
            retry_after=None if wait is None else timedelta(seconds=min(wait, 86400.0)),
        )

    def _receipt(self, instance: Any, message: OutboundMessage, *, recovered: bool) -> SendReceipt:
        # As a status callback: a value Twilio added after this release is kept, not
        # passed off as "queued".
        reported = str(getattr(instance.status, "value", instance.status) or "").strip().lower()
        try:
            status, raw_status = MessageStatus(reported), None
        except ValueError:
            status, raw_status = MessageStatus.UNKNOWN, reported or None
        segments = str(instance.num_segments or "")
        created = instance.date_created
        return SendReceipt(
            provider=_NAME,
            message_id=str(instance.sid),
            status=status,
            to=message.to,
            accepted_at=created if isinstance(created, datetime) else self._clock.now(),
            # "0" is Twilio's answer for a message sent through a Messaging Service
            # before a sender is assigned (Message resource, num_segments): no count.
            segments=int(segments) if segments.isdigit() and int(segments) > 0 else None,
            idempotency_key=message.idempotency_key,
            recovered=recovered,
            raw_status=raw_status,
        )


def _cancelled(message: OutboundMessage, since: datetime, *, sent: bool) -> Exception:
    """What the worker thread ends with after its async caller cancelled (nobody reads
    it: asyncio drops the result of a cancelled ``to_thread``); said as it is anyway."""
    if not sent:
        return ProviderTransportError(
            "the async send was cancelled during the wait before a retry; nothing was sent",
            provider=_NAME,
        )
    return ProviderAmbiguousError(
        f"the async send to {mask_number(message.to)} was cancelled after a request that "
        "Twilio may have taken; not looked up nor resent: reconcile with lookup",
        provider=_NAME,
        idempotency_key=message.idempotency_key,
        since=since,
    )


async def in_worker(
    send: Callable[[OutboundMessage], SendReceipt],
    message: OutboundMessage,
    provider: str,
    log: logging.Logger,
) -> SendReceipt:
    """``send(message)`` in a worker thread (as ``asyncio.to_thread``, in a copy of the
    caller's context) whose :data:`CANCELLED` is set once the await ends.

    Cancelled, asyncio drops whatever the thread returns afterwards; a receipt, the
    proof the text went out (and, for Telnyx, which has no lookup, its only id), is
    then logged. The lock makes exactly one side see it: the thread if the cancel came
    first, else the cancelled await, whose result was ready but never delivered.
    """
    stop, lock = threading.Event(), threading.Lock()
    ready: list[SendReceipt] = []

    def work() -> SendReceipt:
        CANCELLED.set(stop)  # in the thread's copy of the context only
        receipt = send(message)
        with lock:
            if not stop.is_set():
                ready.append(receipt)
                return receipt
        _log_unawaited(receipt, message, provider, log)
        return receipt

    context = contextvars.copy_context()
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(None, functools.partial(context.run, work))
    except asyncio.CancelledError:
        with lock:
            stop.set()
            unawaited = ready[0] if ready else None
        if unawaited is not None:
            _log_unawaited(unawaited, message, provider, log)
        raise
    finally:
        stop.set()  # a no-op once the thread has returned


def _log_unawaited(
    receipt: SendReceipt, message: OutboundMessage, provider: str, log: logging.Logger
) -> None:
    log.warning(
        "an async send to %s was cancelled, but %s took the message (message id %s, "
        "idempotency key %s): it was sent; record it, do not send it again",
        mask_number(message.to), provider, receipt.message_id,
        _masked(message.idempotency_key),  # a key may be built from the number
    )  # fmt: skip


def _create_args(message: OutboundMessage) -> dict[str, Any]:
    args: dict[str, Any] = {"to": message.to}
    if message.body:
        args["body"] = message.body
    if message.sender:
        args["from_"] = message.sender
    if message.messaging_service:
        args["messaging_service_sid"] = message.messaging_service
    if message.media_urls:
        args["media_url"] = list(message.media_urls)
    if message.status_callback:
        args["status_callback"] = message.status_callback
    if message.validity_period is not None:
        args["validity_period"] = message.validity_period
    return args


class AsyncTwilioProvider:
    """The asyncio twin of :class:`TwilioProvider` (implements AsyncProvider, and
    ``lookup`` as an awaitable).

    Each send runs the synchronous provider in a worker thread
    (``asyncio.to_thread``). This keeps one retry-and-reconcile path for both
    twins and lets you keep the one configured ``Client``; the SDK's own async
    client would need a second ``Client`` built around ``AsyncTwilioHttpClient``
    and an aiohttp session to manage, for no gain at the rates one sender may
    send (a US long code sends about one segment per second). Waits between
    retries block the worker thread, not the event loop.
    """

    def __init__(self, provider: TwilioProvider) -> None:
        if not isinstance(provider, TwilioProvider):
            # Else accepted, and an AttributeError at the first send.
            raise ConfigurationError(
                f"AsyncTwilioProvider wraps a TwilioProvider, not a "
                f"{type(provider).__name__}: write AsyncTwilioProvider(TwilioProvider(client))",
                field="provider",
            )
        self.provider = provider

    @property
    def name(self) -> str:
        """``"twilio"``."""
        return self.provider.name

    @property
    def capabilities(self) -> Capabilities:
        """Twilio's documented limits."""
        return self.provider.capabilities

    async def send(self, message: OutboundMessage) -> SendReceipt:
        """As :meth:`TwilioProvider.send`, without blocking the event loop.

        Cancelled, it raises ``CancelledError`` at once; a request already on the wire
        cannot be recalled (treat the message as ambiguous), but the worker thread
        starts no retry, lookup or resend after that. A message Twilio took after the
        cancel is logged (WARNING, with its SID), as nobody awaits its receipt.
        """
        return await in_worker(self.provider.send, message, _NAME, logger)

    async def lookup(
        self, message: OutboundMessage, since: datetime, until: datetime | None = None
    ) -> SendReceipt | None:
        """As :meth:`TwilioProvider.lookup` (it lists messages over HTTP), in a worker
        thread: reconcile an ambiguous or cancelled send without blocking the loop."""
        return await asyncio.to_thread(self.provider.lookup, message, since, until)
